import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FlowExpressionError } from '../../src/expression/errors.js';
import { evaluateFlowProgram } from '../../src/expression/evaluate.js';
import { opNamesIn } from '../../src/expression/op-names.js';
import { MAX_SOURCE_LENGTH, parseFlowExpression } from '../../src/expression/parser.js';
import { flatParallel, flatSequence, op, type Shape, shapeBuilder } from './shape-builder.js';

// "Never hangs": generous, because a shared 2-core machine under load can stall any single parse for
// seconds; a real hang (a loop that does not end) still fails it.
const PER_INPUT_LIMIT_MS = 15_000;

// The shape builder without flattening: flattening copies the list at every `|`, quadratic in the test
// stand-in (seconds for a 12,500-op chain on a loaded machine), where the parser is what is on trial.
const nestingBuilder = {
  ...shapeBuilder(),
  sequence: (left: Shape, right: Shape): Shape => ({ seq: [left, right] }),
  parallel: (left: Shape, right: Shape): Shape => ({ par: [left, right] }),
};

/** Parses (and, when that works, evaluates) `source`; only FlowExpressionError may escape, quickly. */
function parsesOrFailsCleanly(source: string): void {
  const started = performance.now();
  try {
    const program = parseFlowExpression(source);
    opNamesIn(program);
    evaluateFlowProgram(program, nestingBuilder);
  } catch (error) {
    if (!(error instanceof FlowExpressionError)) throw error;
  }
  expect(performance.now() - started).toBeLessThan(PER_INPUT_LIMIT_MS);
}

// Fragments of the grammar itself, so random input gets past the tokenizer and deep into the parser.
const grammarPiece = fc.constantFrom(
  'Op1Op()',
  'Op2Op(x=1)',
  'ContainerOp(',
  'op',
  'op = ',
  'op.ops.',
  'search',
  '=',
  '>>',
  '<<',
  '|',
  '>',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  ',',
  ':',
  '.',
  '"s"',
  "'t'",
  '"""',
  "'''",
  "'",
  '"',
  'r',
  'b',
  '\\',
  '\\n',
  '\\u12',
  '\n',
  '\r\n',
  ' ',
  '\t',
  '# c',
  '-',
  '+',
  '0',
  '1',
  '.5',
  '1e',
  '0x',
  '1_',
  'True',
  'None',
  'if',
  '\u00e9',
  '\u{1D518}',
);

describe('parseFlowExpression never fails any other way', () => {
  it('arbitrary unicode strings', () => {
    fc.assert(fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.string()), parsesOrFailsCleanly), {
      numRuns: 400,
    });
  });

  it('arbitrary UTF-16 code units, lone surrogates included', () => {
    const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n));
    fc.assert(fc.property(fc.string({ unit: codeUnit }), parsesOrFailsCleanly), { numRuns: 300 });
  });

  it('strings assembled from grammar tokens', () => {
    const source = fc.array(grammarPiece, { maxLength: 80 }).map((pieces) => pieces.join(''));
    fc.assert(fc.property(source, parsesOrFailsCleanly), { numRuns: 600 });
  });

  it.each([
    ['deep parentheses', '('.repeat(MAX_SOURCE_LENGTH)],
    ['deep kwarg lists', `Op1Op(v=${'['.repeat(MAX_SOURCE_LENGTH - 10)}`],
    ['deep kwarg dicts', `Op1Op(v=${'{"a":'.repeat((MAX_SOURCE_LENGTH - 10) / 5)}`],
    ['deep op dicts', `a = Op1Op()\na${' << {"k": a'.repeat((MAX_SOURCE_LENGTH - 20) / 11)}`],
    ['a long chain', `${'Op1Op()|'.repeat((MAX_SOURCE_LENGTH - 10) / 8)}Op1Op()`],
    ['many lines', 'a = Op1Op()\n'.repeat((MAX_SOURCE_LENGTH - 10) / 12)],
    ['one long string', `Op1Op(v="${'x'.repeat(MAX_SOURCE_LENGTH - 20)}")`],
  ])('%s at the size limit', (_name, source) => {
    expect(source.length).toBeLessThanOrEqual(MAX_SOURCE_LENGTH);
    parsesOrFailsCleanly(source);
  });
});

// ---- a generator of valid programs together with the shape they must build ----

interface Generated {
  text: string;
  shape: Shape;
  /** Binding strength of the outermost operator: 1 for |, 2 for >> and <<, 3 for an atom. */
  precedence: number;
}

interface GeneratedLiteral {
  text: string;
  value: unknown;
}

/** A Python float literal for `d` that reads back as exactly `d`. */
function floatText(d: number): string {
  return Number.isInteger(d) && !Number.isSafeInteger(d) ? d.toExponential() : String(d);
}

/** A single-quoted Python string for `s`, escaping what must be escaped. */
function singleQuoted(s: string): string {
  let out = "'";
  for (const ch of s) {
    const code = ch.charCodeAt(0);
    if (ch === '\\' || ch === "'") out += `\\${ch}`;
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}'`;
}

const stringLiteral = fc.tuple(fc.string({ unit: 'binary', maxLength: 12 }), fc.boolean()).map(
  ([value, single]): GeneratedLiteral => ({
    text: single ? singleQuoted(value) : JSON.stringify(value),
    value,
  }),
);

const { literal } = fc.letrec<{ literal: GeneratedLiteral; list: GeneratedLiteral; dict: GeneratedLiteral }>(
  (tie) => ({
    literal: fc.oneof(
      { maxDepth: 3, depthIdentifier: 'literal' },
      stringLiteral,
      fc.maxSafeInteger().map((n) => ({ text: String(n), value: n })),
      fc
        .double({ noNaN: true, noDefaultInfinity: true })
        .filter((d) => !Object.is(d, -0))
        .map((d) => ({ text: floatText(d), value: d })),
      fc.constantFrom<GeneratedLiteral>(
        { text: 'True', value: true },
        { text: 'False', value: false },
        { text: 'None', value: null },
      ),
      tie('list'),
      tie('dict'),
    ),
    list: fc.tuple(fc.array(tie('literal'), { maxLength: 3 }), fc.boolean()).map(([items, trailing]) => ({
      text: `[${items.map((i) => i.text).join(', ')}${trailing && items.length > 0 ? ',' : ''}]`,
      value: items.map((i) => i.value),
    })),
    dict: fc
      .uniqueArray(fc.tuple(fc.string({ maxLength: 5 }), tie('literal')), {
        selector: ([key]) => key,
        maxLength: 3,
      })
      .map((entries) => ({
        text: `{${entries.map(([key, v]) => `${JSON.stringify(key)}: ${v.text}`).join(', ')}}`,
        value: Object.fromEntries(entries.map(([key, v]) => [key, v.value])),
      })),
  }),
);

const kwargName = fc.constantFrom('model', 'temperature', 'prompt', 'tags', 'x', '_private', 'max_tokens');
// Separators inside a call's parentheses may include newlines and comments (implicit line joining).
const inCallSpace = fc.constantFrom('', ' ', '\n    ', '  # note\n  ');

const call: fc.Arbitrary<Generated> = fc
  .tuple(
    fc.constantFrom('Op1Op', 'Op2Op', 'Op3Op', 'ChatOp'),
    fc.uniqueArray(fc.tuple(kwargName, literal, inCallSpace), { selector: ([name]) => name, maxLength: 3 }),
    fc.boolean(),
  )
  .map(([name, kwargs, trailing]) => ({
    text: `${name}(${kwargs.map(([k, v, space]) => `${space}${k}=${v.text}`).join(',')}${trailing && kwargs.length > 0 ? ',' : ''})`,
    shape: op(name, Object.fromEntries(kwargs.map(([k, v]) => [k, v.value])), {}),
    precedence: 3,
  }));

const parenthesized = (g: Generated): string => `(${g.text})`;

const { expr } = fc.letrec<{ expr: Generated; attach: Generated; binary: Generated }>((tie) => ({
  expr: fc.oneof({ maxDepth: 4, depthIdentifier: 'expr' }, call, tie('binary'), tie('attach')),
  attach: fc
    .tuple(
      call,
      fc.uniqueArray(
        fc.tuple(
          fc.string({ maxLength: 6 }).filter((key) => key !== '__proto__'),
          tie('expr'),
        ),
        { selector: ([key]) => key, minLength: 1, maxLength: 2 },
      ),
    )
    .map(([container, entries]) => ({
      text: `${container.text} << {${entries.map(([key, g]) => `${JSON.stringify(key)}: ${g.text}`).join(', ')}}`,
      shape: op(
        (container.shape as { op: string }).op,
        (container.shape as { kwargs: Record<string, unknown> }).kwargs,
        Object.fromEntries(entries.map(([key, g]) => [key, g.shape])),
      ),
      precedence: 2,
    })),
  binary: fc
    .tuple(fc.constantFrom('>>', '|'), tie('expr'), tie('expr'), fc.boolean(), fc.constantFrom(' ', '', '\t'))
    .map(([operator, left, right, extraParens, space]) => {
      const precedence = operator === '|' ? 1 : 2;
      // Python grouping: a looser left operand needs parentheses; a right one too unless strictly tighter.
      const leftText = left.precedence < precedence ? parenthesized(left) : left.text;
      const rightText = right.precedence <= precedence ? parenthesized(right) : right.text;
      const text = `${leftText}${space}${operator}${space}${rightText}`;
      const shape =
        operator === '>>' ? flatSequence(left.shape, right.shape) : flatParallel(left.shape, right.shape);
      return extraParens ? { text: `(${text})`, shape, precedence: 3 } : { text, shape, precedence };
    }),
}));

describe('generated valid expressions', () => {
  it('parse and evaluate to the expected shape', () => {
    fc.assert(
      fc.property(expr, (generated) => {
        const shape = evaluateFlowProgram(parseFlowExpression(generated.text), shapeBuilder());
        expect(shape).toEqual(generated.shape);
      }),
      { numRuns: 300 },
    );
  });

  it('give the same shape through a variable on an earlier line', () => {
    fc.assert(
      fc.property(expr, fc.constantFrom('\n', '\r\n', '\n\n# step\n'), (generated, newline) => {
        const source = `flow = ${generated.text}${newline}flow`;
        const shape = evaluateFlowProgram(parseFlowExpression(source), shapeBuilder());
        expect(shape).toEqual(generated.shape);
      }),
      { numRuns: 150 },
    );
  });
});
