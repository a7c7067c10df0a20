import { ConfigError, createFlowApp } from '@flowllm/core';
import {
  BaseOp,
  evaluateFlowProgram,
  type FlowBuilder,
  FlowExpressionError,
  parseFlowExpression,
} from '@flowllm/core/ops';
import { createSseDecoder, encodeSseEvent, SseDecodeError, type SseEvent } from '@flowllm/core/sse';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The command-line parser is not public API (only the `flowllm` command uses it): fuzzed from source.
import { applyOverrides, parseCliArgs } from '../../core/src/config/cli-args.js';
import { reliabilityOps } from '../src/ops.js';
import { runSeed } from '../src/random.js';
import { record } from '../src/report.js';
import { SIZE } from '../src/sizes.js';
import { startWatchdog, type Watchdog } from '../src/watchdog.js';

const RUNS = SIZE.fuzz.runs;
const seed = runSeed();
/** A single call taking longer than this is a (near-)hang: the inputs are small (CI machines are busy). */
const CALL_LIMIT_MS = 2000;

let dog: Watchdog;
const figures: Record<string, { runs: number; maxMs: number; errors: Record<string, number> }> = {};

beforeAll(() => {
  // Kills the process (failing the run) if a call never returns.
  dog = startWatchdog(10_000);
});
afterAll(async () => {
  await dog.stop();
  record('fuzz', 'all', { seed, properties: figures });
});

/** Runs `call`; only errors `allowed` accepts may escape; the time is checked and recorded. */
function tryCall(name: string, input: string, call: () => void, allowed: (error: unknown) => boolean): void {
  dog.beat(name, input);
  figures[name] ??= { runs: 0, maxMs: 0, errors: {} };
  const entry = figures[name];
  const started = performance.now();
  let failure: unknown;
  try {
    call();
  } catch (error) {
    if (allowed(error)) {
      const kind = (error as Error).constructor.name;
      entry.errors[kind] = (entry.errors[kind] ?? 0) + 1;
    } else failure = error;
  }
  const ms = performance.now() - started;
  entry.runs++;
  entry.maxMs = Math.max(entry.maxMs, Math.round(ms * 100) / 100);
  if (failure !== undefined) throw failure;
  if (ms > CALL_LIMIT_MS)
    throw new Error(`${name} took ${Math.round(ms)} ms on ${JSON.stringify(input.slice(0, 300))}`);
}

const TOKENS = [
  'ChatOp()',
  'StreamChatOp()',
  'SeqStreamOp(count=1)',
  'NoSuchOp()',
  'A()',
  '>>',
  '|',
  '<<',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  ',',
  '=',
  '.',
  ':',
  'x',
  'op',
  'ops',
  '"s"',
  "'s'",
  '"""',
  '"\\u0041\\x41\\n"',
  '1',
  '-1.5e3',
  '0x1F',
  '1_000',
  'True',
  'False',
  'None',
  '\n',
  '\r\n',
  '\r',
  ' ',
  '\t',
  '\\',
  '#c',
  'lambda',
  'import',
  '__proto__',
  'constructor',
  'prototype',
  '__proto__()',
  'constructor()',
  'globalThis.process',
  "require('fs')",
  'eval("1")',
  'toString()',
  'hasOwnProperty()',
  'llm="default"',
  'count=',
  '**',
  '@',
  '$',
  '`',
  '\u0000',
  '\u2028',
  '\uFEFF',
  '😀',
];

const tokens = (separator: string) =>
  fc.array(fc.constantFrom(...TOKENS), { maxLength: 40 }).map((parts) => parts.join(separator));

// Well-formed programs of registered ops, so the engine's builder runs too, not only the parser's errors.
const registeredCall = fc.constantFrom(
  'ChatOp()',
  'StreamChatOp()',
  'SeqStreamOp(count=2)',
  'IdleStreamOp(idle_ms=1)',
);
const program = fc
  .array(fc.tuple(registeredCall, fc.constantFrom(' >> ', ' | ', ' << ')), { minLength: 1, maxLength: 6 })
  .map((parts) => `${parts.map(([call, operator]) => call + operator).join('')}ChatOp()`);

const flowSource = fc.oneof(
  program,
  tokens(''),
  tokens(' '),
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.integer({ min: 1, max: 5000 }).map((n) => `${'('.repeat(n)}A()${')'.repeat(n)}`),
  fc.integer({ min: 1, max: 5000 }).map((n) => `${'A() >> '.repeat(n)}A()`),
  fc.integer({ min: 1, max: 3000 }).map((n) => `A(x=${'['.repeat(n)}${']'.repeat(n)})`),
  fc.integer({ min: 1, max: 3000 }).map((n) => `A(x=${'{"a":'.repeat(n)}1${'}'.repeat(n)})`),
  fc.integer({ min: 1, max: 3000 }).map((n) => `x = A() << {${'"a": A() << {'.repeat(n)}`),
);

/** A builder that only records names (the engine's builder is exercised through createFlowApp below). */
const names: FlowBuilder<string> = {
  create: (name) => name,
  sequence: (a, b) => `${a}>>${b}`,
  parallel: (a, b) => `${a}|${b}`,
  attach: (target) => target,
};

describe('property-based fuzzing: only documented errors, never a hang', () => {
  it(`the flow expression parser: ${RUNS} sources → a program or a FlowExpressionError`, () => {
    fc.assert(
      fc.property(flowSource, (source) => {
        tryCall(
          'parseFlowExpression',
          source,
          () => evaluateFlowProgram(parseFlowExpression(source), names),
          (error) => error instanceof FlowExpressionError,
        );
      }),
      { numRuns: RUNS, seed },
    );
  });

  it(`flow_content at start-up: ${Math.ceil(RUNS / 10)} sources → an app with registered ops only, or a ConfigError`, () => {
    const registered = new Set([
      'ChatOp',
      'StreamChatOp',
      'GenSystemPromptOp',
      ...reliabilityOps.map((op) => op.name),
    ]);
    fc.assert(
      fc.property(flowSource, (source) => {
        tryCall(
          'createFlowApp(flow_content)',
          source,
          () => {
            const app = createFlowApp({
              config: { flow: { f: { flow_content: source } } },
              env: {},
              ops: reliabilityOps,
            });
            const visit = (op: BaseOp) => {
              expect(op).toBeInstanceOf(BaseOp);
              const name = op.constructor.name;
              if (!['SequentialOp', 'ParallelOp'].includes(name)) expect(registered).toContain(name);
              for (const child of [
                ...Object.values(op.ops),
                ...((op as { children?: BaseOp[] }).children ?? []),
              ])
                visit(child);
            };
            visit(app.flow('f').buildOpTree());
          },
          (error) => error instanceof ConfigError,
        );
      }),
      { numRuns: Math.ceil(RUNS / 10), seed },
    );
  });

  it(`the config override parser: ${RUNS} argument lists → overrides or a ConfigError, no prototype pollution`, () => {
    const pieces = fc.constantFrom(
      'config',
      'http',
      'port',
      'llm',
      'default',
      'params',
      '__proto__',
      'constructor',
      'prototype',
      'polluted',
      '.',
      '..',
      '=',
      '==',
      ',',
      '-',
      '--',
      '[',
      ']',
      '{',
      '}',
      '"',
      "'",
      '1',
      '1e999',
      '-0',
      'true',
      'null',
      'None',
      '[1,2',
      '{"a":',
      '\u0000',
      ' ',
      '😀',
    );
    const argument = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.array(pieces, { maxLength: 12 }).map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(fc.array(argument, { maxLength: 8 }), (argv) => {
        tryCall(
          'parseCliArgs + applyOverrides',
          JSON.stringify(argv),
          () => {
            const { overrides } = parseCliArgs(argv);
            applyOverrides({}, overrides);
          },
          (error) => error instanceof ConfigError,
        );
      }),
      { numRuns: RUNS, seed },
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(Object.prototype)).toEqual([]);
  });

  it(`the SSE decoder on garbage: ${RUNS} byte/text streams → events or an SseDecodeError, events bounded`, () => {
    const piece = fc.oneof(
      fc.uint8Array({ maxLength: 200 }),
      fc.string({ unit: 'binary', maxLength: 100 }),
      fc.constantFrom(
        'data:',
        'data: x\n',
        '\n',
        '\r',
        '\r\n',
        '\n\n',
        'event:e\n',
        'id:\u0000\n',
        'retry:1\n',
        ': c\n',
        '\uFEFF',
      ),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), fc.integer({ min: 8, max: 4096 }), (stream, max) => {
        tryCall(
          'createSseDecoder(garbage)',
          JSON.stringify(stream.map((p) => (typeof p === 'string' ? p : [...p]))),
          () => {
            const decoder = createSseDecoder(
              {
                onEvent: (event) => {
                  if (Buffer.byteLength(event.data) > max)
                    throw new Error(`an event of ${event.data.length} > ${max}`);
                },
                onRetry: () => {},
                onComment: () => {},
              },
              { maxBufferBytes: max },
            );
            for (const part of stream) decoder.feed(part);
            decoder.end();
          },
          (error) => error instanceof SseDecodeError,
        );
      }),
      { numRuns: RUNS, seed },
    );
  });

  it(`the SSE decoder round trip: ${RUNS} encoded event lists, split anywhere → the same events`, () => {
    const field = fc.string({ minLength: 1, maxLength: 20 }).filter((text) => !/[\r\n\0]/.test(text));
    const event = fc.record(
      {
        data: fc.string({ unit: 'grapheme', maxLength: 80 }),
        event: field,
        id: field,
      },
      { requiredKeys: ['data'] },
    );
    fc.assert(
      fc.property(
        fc.array(event, { maxLength: 10 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (events, cuts) => {
          const bytes = Buffer.from(events.map((e) => encodeSseEvent(e)).join(''));
          const decoded: SseEvent[] = [];
          tryCall(
            'createSseDecoder(round trip)',
            bytes.toString('utf8'),
            () => {
              const decoder = createSseDecoder({ onEvent: (e) => decoded.push(e) });
              const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
              let at = 0;
              for (const point of [...points, bytes.length]) {
                decoder.feed(bytes.subarray(at, point));
                at = point;
              }
              decoder.end();
            },
            () => false,
          );
          // Line breaks inside data come back as LF (CR and CRLF each start a new `data:` line).
          expect(decoded).toEqual(events.map((e) => ({ ...e, data: e.data.replace(/\r\n|\r/g, '\n') })));
        },
      ),
      { numRuns: RUNS, seed },
    );
  });
});
