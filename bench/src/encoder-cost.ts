// What each wire format costs to write, in process and without sockets: the same flow chunks through
// FlowLLM's encoder, the AI SDK UI message stream encoder and the OpenAI chunk encoder of
// `@flowllm/core/protocols`, a fresh encoder per stream, rounds interleaved so that drifting machine load
// hits every encoder alike. The CLI is src/micro/encoders.ts; the section it writes, encoder-cost-report.ts.
import type { FlowStreamChunk } from '@flowllm/core';
import {
  createFlowllmEncoder,
  createOpenAIChunkEncoder,
  createUiMessageEncoder,
  type StreamEncoder,
} from '@flowllm/core/protocols';
import { createChunk } from '@flowllm/core/sse';
import { median } from './run.js';

/** One encoder under test. */
export interface EncoderUnderTest {
  name: 'flowllm' | 'ui' | 'openai';
  label: string;
  create: () => StreamEncoder;
}

/** The baseline first: every ratio divides by it. */
export const ENCODERS: readonly EncoderUnderTest[] = [
  { name: 'flowllm', label: 'FlowLLM', create: () => createFlowllmEncoder('post') },
  { name: 'ui', label: 'AI SDK UI message stream', create: () => createUiMessageEncoder() },
  {
    name: 'openai',
    label: 'OpenAI chunks',
    create: () => createOpenAIChunkEncoder({ model: 'x', includeUsage: true }),
  },
];

/** A stream's chunks, in the order a flow sends them (ending with `done`). */
export interface Workload {
  name: string;
  description: string;
  chunks: FlowStreamChunk[];
}

// Token-sized pieces of text (3–6 characters, as a BPE tokenizer cuts English), some with a newline
// or a quote so that JSON escaping is part of the cost as it is in real answers.
const PIECES = [
  ' the',
  ' model',
  'ing',
  ' flow',
  ' is',
  ' tok',
  'ens',
  ' and',
  ' "ok"',
  '.\n\n',
  ' with',
  ' data',
];

/** `count` tokens, the same every run (no randomness: every encoder and round sees the same text). */
export function tokens(count: number, offset = 0): string[] {
  return Array.from({ length: count }, (_, index) => PIECES[(index * 7 + offset) % PIECES.length]!);
}

const FLOW_ID = '0b6a1f3c9d2e4f5a8b7c6d5e4f3a2b1c';
// How a run ends: Flow.stream puts the run's usage (ops keep it in the response, not in a chunk) on the
// done chunk, which FlowLLM's wire writes as [DONE] and the other two turn into their usage.
const done = (completion: number) =>
  createChunk(FLOW_ID, 'done', '', {
    metadata: { usage: { prompt_tokens: 42, completion_tokens: completion, total_tokens: 42 + completion } },
  });

/** A reasoning model's answer: `think` tokens, then `answer` tokens, and the end with the usage. */
export function answerStream(think: number, answer: number): FlowStreamChunk[] {
  return [
    ...tokens(think, 3).map((text) => createChunk(FLOW_ID, 'think', text)),
    ...tokens(answer).map((text) => createChunk(FLOW_ID, 'answer', text)),
    done(think + answer),
  ];
}

/** An agent's turn: a thought, one tool call and its result, then the answer. */
export function agentStream(answer: number): FlowStreamChunk[] {
  const call = {
    index: 0,
    id: 'call_0',
    function: { arguments: '{"city":"Paris"}', name: 'get_weather' },
    type: 'function',
  };
  const result = {
    type: 'tool_result',
    tool_call_id: 'call_0',
    name: 'get_weather',
    content: '{"tempC":14}',
  };
  return [
    ...tokens(20, 5).map((text) => createChunk(FLOW_ID, 'think', text)),
    createChunk(FLOW_ID, 'tool', call),
    createChunk(FLOW_ID, 'tool', result),
    ...tokens(answer).map((text) => createChunk(FLOW_ID, 'answer', text)),
    done(20 + answer),
  ];
}

/** The workloads of the section, at full size. */
export const WORKLOADS: readonly Workload[] = [
  {
    name: 'long answer',
    description: '100 think + 1,000 answer tokens, then the end (done, carrying the usage)',
    chunks: answerStream(100, 1000),
  },
  { name: 'short answer', description: '20 answer tokens, the end', chunks: answerStream(0, 20) },
  {
    name: 'agent turn',
    description: '20 think tokens, a tool call and its result, 100 answer tokens, the end',
    chunks: agentStream(100),
  },
];

export interface EncoderCostSizes {
  /** Measured rounds; each runs every encoder on every workload once. */
  rounds: number;
  /** Rounds run first and thrown away (JIT warm-up). */
  warmRounds: number;
  /** Chunks encoded per measurement (whole streams, at least one). */
  chunksPerSample: number;
}

export const ENCODER_FULL_SIZES: EncoderCostSizes = { rounds: 15, warmRounds: 3, chunksPerSample: 200_000 };
export const ENCODER_QUICK_SIZES: EncoderCostSizes = { rounds: 3, warmRounds: 1, chunksPerSample: 5_000 };

/** One encoder on one workload. */
export interface EncoderResult {
  workload: string;
  encoder: EncoderUnderTest['name'];
  /** Chunks encoded per CPU second, one figure per measured round. */
  perSecond: number[];
  /** What one stream writes: SSE events, and bytes (UTF-8). */
  events: number;
  bytes: number;
}

export interface EncoderCostRun {
  sizes: EncoderCostSizes;
  results: EncoderResult[];
  durationMs: number;
}

// Keeps the encoders' output alive, so the work cannot be optimised away.
let sink = 0;

/**
 * Chunks written per batch: the stream pump writes what a tick queued, up to 64 chunks and one more
 * (packages/core/src/engine/chunk-channel.ts), as one string. Turning each batch into UTF-8 bytes, as
 * the socket write does, makes the bytes a format writes part of its cost.
 */
const BATCH = 64;

/** Chunks per CPU second: `streams` whole streams, each through a fresh encoder. */
function measureOnce(encoder: EncoderUnderTest, chunks: FlowStreamChunk[], streams: number): number {
  // CPU time, not wall time: other processes on the machine do not inflate it.
  const started = process.cpuUsage();
  for (let stream = 0; stream < streams; stream++) {
    const encode = encoder.create();
    let batch = '';
    let queued = 0;
    for (const chunk of chunks) {
      batch += encode.frame(chunk);
      if (++queued < BATCH) continue;
      sink += Buffer.from(batch).length;
      batch = '';
      queued = 0;
    }
    if (batch !== '') sink += Buffer.from(batch).length;
  }
  const used = process.cpuUsage(started);
  return (streams * chunks.length * 1e6) / Math.max(1, used.user + used.system);
}

/** The text one stream of `chunks` writes with `encoder`, one entry per chunk (`''`: nothing). */
export function streamOutput(encoder: EncoderUnderTest, chunks: FlowStreamChunk[]): string[] {
  const encode = encoder.create();
  return chunks.map((chunk) => encode.frame(chunk));
}

/** SSE events in a text (each ends with a blank line; JSON keeps newlines escaped, so none is inside). */
export function countEvents(text: string): number {
  return text.split('\n\n').length - 1;
}

/**
 * Every encoder on every workload, round after round. Each round rotates the encoders' order, so none
 * always runs right after the same neighbour (or always first, on a cold cache).
 */
export function measureEncoders(
  sizes: EncoderCostSizes,
  options: { workloads?: readonly Workload[]; log?: (line: string) => void } = {},
): EncoderCostRun {
  const started = Date.now();
  const workloads = options.workloads ?? WORKLOADS;
  const results = workloads.flatMap((workload) =>
    ENCODERS.map((encoder): EncoderResult => {
      const text = streamOutput(encoder, workload.chunks).join('');
      const events = countEvents(text);
      return {
        workload: workload.name,
        encoder: encoder.name,
        perSecond: [],
        events,
        bytes: Buffer.byteLength(text),
      };
    }),
  );
  for (let round = 0; round < sizes.warmRounds + sizes.rounds; round++) {
    for (const [w, workload] of workloads.entries()) {
      const streams = Math.max(1, Math.round(sizes.chunksPerSample / workload.chunks.length));
      for (let step = 0; step < ENCODERS.length; step++) {
        const e = (round + step) % ENCODERS.length;
        const perSecond = measureOnce(ENCODERS[e]!, workload.chunks, streams);
        if (round >= sizes.warmRounds) results[w * ENCODERS.length + e]!.perSecond.push(perSecond);
      }
    }
    options.log?.(
      `round ${round + 1}/${sizes.warmRounds + sizes.rounds}${round < sizes.warmRounds ? ' (warm-up)' : ''}`,
    );
  }
  if (sink < 0) console.log(sink);
  return { sizes, results, durationMs: Date.now() - started };
}

/** Median and range of a set of figures. */
export interface Spread {
  mid: number;
  min: number;
  max: number;
}

export function spread(values: number[]): Spread {
  if (values.length === 0) return { mid: Number.NaN, min: Number.NaN, max: Number.NaN };
  return { mid: median(values), min: Math.min(...values), max: Math.max(...values) };
}

/** This encoder's chunks/s over FlowLLM's on the same workload, round by round. */
export function ratioToFlowllm(run: EncoderCostRun, result: EncoderResult): Spread {
  const base = run.results.find((other) => other.workload === result.workload && other.encoder === 'flowllm');
  return spread(result.perSecond.map((value, round) => value / (base?.perSecond[round] ?? Number.NaN)));
}
