// The identical-bytes check: before anything is measured, every target streams the same fixed tokens
// (`~<index>~`, padded) and the client keeps the body. Targets that speak FlowLLM's wire (both raw
// servers, the framework baselines, every flowllm path) must send exactly the expected bytes; a peer
// speaks its own framing, so its events must carry exactly the expected tokens, in order. flowllm gives
// every run a fresh random flow id (32 hex characters, the bench model's is fixed): that one field is
// compared as "some 32 hex characters", so the same bytes are counted and the measured path is unchanged.
import { BENCH_FLOW_ID, token } from './model.js';
import type { TargetInfo } from './targets.js';

/** The workloads the check streams: one token per tick, a few per tick, and big chunks. */
export const FRAME_CHECKS: readonly { n: number; k: number; size: number }[] = [
  { n: 12, k: 1, size: 0 },
  { n: 20, k: 8, size: 1024 },
  { n: 10, k: 8, size: 16 * 1024 },
];

/** The tokens of a fixed-token stream of `n` tokens padded to `size`. */
export function expectedTokens(n: number, size: number): string[] {
  return Array.from({ length: n }, (_, index) => token(size, index));
}

/**
 * The exact body a FlowLLM-wire target sends for those tokens: one answer chunk per token, then `[DONE]`.
 *
 * @example
 * expectedBody(1, 0); // 'data:{"flow_id":"0123…","chunk_type":"answer","chunk":"~0~",…}\n\ndata:[DONE]\n\n'
 */
export function expectedBody(n: number, size: number): string {
  const frames = expectedTokens(n, size).map(
    (tok) =>
      `data:{"flow_id":"${BENCH_FLOW_ID}","chunk_type":"answer","chunk":"${tok}","done":false,"metadata":{}}\n\n`,
  );
  return `${frames.join('')}data:[DONE]\n\n`;
}

/**
 * The tokens a peer's SSE body carries, in order: each event's `data` (its lines joined), parsed as JSON,
 * read as a FlowLLM chunk (`chunk`) or an AI SDK UI message part (`delta` of a `text-delta`).
 *
 * @example
 * tokensOfEvents('event: x\ndata: {"chunk":"~0~"}\n\n'); // ['~0~']
 */
export function tokensOfEvents(body: string): string[] {
  const tokens: string[] = [];
  for (const event of body.split(/\r?\n\r?\n/)) {
    const data = event
      .split(/\r?\n/)
      .filter((line) => line.startsWith('data:'))
      .map((line) => line.slice(line.startsWith('data: ') ? 6 : 5))
      .join('\n');
    if (data === '' || data === '[DONE]') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      continue;
    }
    const record = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
    if (typeof record.chunk === 'string') tokens.push(record.chunk);
    else if (record.type === 'text-delta' && typeof record.delta === 'string') tokens.push(record.delta);
  }
  return tokens;
}

/**
 * Whether a target must send FlowLLM's bytes exactly: not the peers, nor flowllm with resume on (its
 * frames carry SSE ids); those must carry the same tokens.
 */
export function sendsFlowWire(target: TargetInfo): boolean {
  return target.kind !== 'peer' && !target.resume;
}

/** `body` with every flow id replaced by the bench model's (the same length: 32 hex characters). */
function withBenchFlowId(body: string): string {
  return body.replace(/"flow_id":"[0-9a-f]{32}"/g, `"flow_id":"${BENCH_FLOW_ID}"`);
}

/**
 * What is wrong with a target's captured body for a check, or undefined when it is right.
 *
 * @example
 * frameMismatch(rawTarget, { n: 1, k: 1, size: 0 }, expectedBody(1, 0)); // undefined
 */
export function frameMismatch(
  target: TargetInfo,
  check: { n: number; size: number; k: number },
  body: string,
): string | undefined {
  const where = `n=${check.n} K=${check.k} size=${check.size}`;
  if (sendsFlowWire(target)) {
    const expected = expectedBody(check.n, check.size);
    if (target.kind === 'ours') body = withBenchFlowId(body);
    if (body === expected) return undefined;
    let at = 0;
    while (at < body.length && body[at] === expected[at]) at++;
    return (
      `${where}: body differs from FlowLLM's bytes at byte ${at} of ${expected.length} ` +
      `(got ${JSON.stringify(body.slice(at, at + 40))}, want ${JSON.stringify(expected.slice(at, at + 40))})`
    );
  }
  const got = tokensOfEvents(body);
  const want = expectedTokens(check.n, check.size);
  const bad = want.findIndex((tok, index) => got[index] !== tok);
  if (bad === -1 && got.length === want.length) return undefined;
  return `${where}: ${got.length} tokens of ${want.length}, first wrong at ${bad === -1 ? want.length : bad}`;
}
