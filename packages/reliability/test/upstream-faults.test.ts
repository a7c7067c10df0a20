import {
  type LocalUpstream,
  startAnthropicUpstream,
  startOpenAiUpstream,
  type UpstreamReply,
} from '@flowllm/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from '../src/client.js';
import { fetchText, type Reply, streamEvents } from '../src/http-client.js';
import { record, unhandledRejections } from '../src/report.js';
import { SIZE } from '../src/sizes.js';
import { TARGETS } from '../src/targets.js';

const KEY = 'sk-reliability-upstream-0123456789';
/**
 * Seconds: the model's idle timeout; the timeout of the flow that trickles past it; the timeout of every
 * other flow (a backstop far beyond what the model's own timeouts take, so they always act first, even
 * when a loaded machine is slow to start hundreds of flows).
 */
const MODEL_TIMEOUT = 3;
const FLOW_TIMEOUT = 3;
const BACKSTOP_TIMEOUT = 15;
// No time limit per fault: the error message proves which mechanism ended a stream, and one that hung
// would be ended by the backstop flow timeout, whose message matches no fault's. A loaded machine can
// only make the streams slower.
const HEALTHY_ANSWER = Array.from({ length: 20 }, (_, i) => `word${i}`).join(' ');
const LONG_ANSWER = Array.from({ length: 300 }, (_, i) => `slow${i}`).join(' ');

interface Fault {
  reply: UpstreamReply;
  /** The error names the mechanism that ended the stream (not merely the flow timeout as a backstop). */
  error: RegExp;
}

// Every fault of the local upstreams, with the settings below: max_retries 1, retry_delay 0.05 s. The
// timeouts leave room for a busy CI machine: a healthy stream must never trip them.
const FAULTS: Record<string, Fault> = {
  'http-500': {
    reply: { status: 500 },
    error: /failed \(HTTP 500\); gave up after 2 attempts/,
  },
  'http-429': {
    reply: { status: 429, retryAfter: 0.05 },
    error: /rate limited \(HTTP 429\); gave up after 2 attempts/,
  },
  'timeout-before-headers': {
    reply: { hang: 'headers' },
    error: new RegExp(`no answer within ${MODEL_TIMEOUT} s \\(timeout\\); gave up after 2 attempts`),
  },
  'hang-mid-stream': {
    reply: { answer: HEALTHY_ANSWER, hang: 4 },
    error: new RegExp(`the stream stalled: no data for ${MODEL_TIMEOUT} s`),
  },
  'dropped-mid-stream': {
    reply: { answer: HEALTHY_ANSWER, drop: 4 },
    error: /the stream broke off/,
  },
  'malformed-json': {
    reply: { answer: HEALTHY_ANSWER, invalidJson: 4 },
    error: /malformed stream data \(not JSON\)/,
  },
  'stream-error-event': {
    reply: { answer: HEALTHY_ANSWER, streamError: 4 },
    error: /reported an error in the stream/,
  },
  'truncated-stream': {
    reply: { answer: HEALTHY_ANSWER, truncate: 4 },
    // Why it broke off (no terminator) is in the log; clients learn only that it did.
    error: /the stream broke off after \d+ events/,
  },
  // Slower per event than the model timeout: cut by the idle timeout (twice: the retry stalls too).
  'trickle-slower-than-timeout': {
    // Twice the timeout: an event read late on a loaded machine still leaves a gap past the timeout.
    reply: { answer: HEALTHY_ANSWER, delayMs: MODEL_TIMEOUT * 2000 },
    // On a loaded machine the first event's wait may count as waiting for the answer itself.
    error: new RegExp(
      `(stalled: no data for|no answer within) ${MODEL_TIMEOUT} s \\(timeout\\); gave up after 2 attempts`,
    ),
  },
  // Each event in time, but the whole answer (30 s) would outlast the flow's timeout (this fault runs on
  // the flow with FLOW_TIMEOUT).
  'trickle-past-flow-timeout': {
    reply: { answer: LONG_ANSWER, delayMs: 100 },
    error: /timed out after 3s/,
  },
};

const PROVIDERS = [
  { name: 'openai_compatible', start: startOpenAiUpstream, model: 'gpt-test' },
  { name: 'anthropic', start: startAnthropicUpstream, model: 'claude-test' },
] as const;

function script(request: { body: unknown }): UpstreamReply {
  const kind = /fault=([a-z0-9-]+)/.exec(JSON.stringify(request.body))?.[1];
  if (kind && kind in FAULTS) return FAULTS[kind]!.reply;
  return { answer: HEALTHY_ANSWER, delayMs: 20 };
}

type Outcome = 'http-error' | 'error-chunk' | 'complete';

/** How a stream ended: an HTTP error before the first chunk, an error chunk + [DONE], or the whole answer. */
function outcome(reply: Reply): { kind: Outcome | 'broken'; text: string; why?: string } {
  const type = String(reply.headers['content-type']);
  if (!reply.complete) return { kind: 'broken', text: '', why: reply.failure ?? 'the response was cut' };
  if (reply.status >= 400 && type.startsWith('application/json')) {
    const detail = (JSON.parse(reply.body) as { detail?: unknown }).detail;
    return typeof detail === 'string'
      ? { kind: 'http-error', text: detail }
      : { kind: 'broken', text: '', why: 'no detail' };
  }
  if (reply.status !== 200 || !type.startsWith('text/event-stream'))
    return { kind: 'broken', text: '', why: `status ${reply.status} ${type}` };
  const events = streamEvents(reply.body);
  const last = events.at(-1);
  if (last?.data !== '[DONE]') return { kind: 'broken', text: '', why: 'no [DONE] at the end' };
  const chunks = events.slice(0, -1).map((event) => event.chunk);
  if (chunks.some((chunk) => chunk === undefined)) return { kind: 'broken', text: '', why: 'a bad event' };
  const errors = chunks.filter((chunk) => chunk!.chunk_type === 'error');
  if (errors.length > 0) {
    const ok = errors.length === 1 && chunks.at(-1)!.chunk_type === 'error' && chunks.at(-1)!.done === true;
    return ok
      ? { kind: 'error-chunk', text: String(errors[0]!.chunk) }
      : { kind: 'broken', text: '', why: 'error chunk not last, or several' };
  }
  const answer = chunks
    .filter((chunk) => chunk!.chunk_type === 'answer')
    .map((chunk) => String(chunk!.chunk))
    .join('');
  return { kind: 'complete', text: answer };
}

describe('upstream faults: every stream ends cleanly in time, no socket stays open, the others are unaffected', () => {
  afterAll(() => expect(unhandledRejections).toEqual([]));

  for (const target of TARGETS) {
    // CI: all adapters at once (each with its own upstreams and server), the faults mostly wait on timeouts.
    // Full: one after the other (600 streams each).
    (SIZE.name === 'full' ? it : it.concurrent)(
      `[${target.name}] ${Object.keys(FAULTS).length} faults × 2 providers next to healthy streams`,
      async ({ expect }) => {
        const upstreams: Record<string, LocalUpstream> = {};
        for (const provider of PROVIDERS) upstreams[provider.name] = await provider.start(script);
        const retry = { max_retries: 1, retry_delay: 0.05, max_retry_wait: 1, timeout: MODEL_TIMEOUT };
        const server = await target.start({
          config: {
            http: { status_wait: 1 },
            llm: Object.fromEntries(
              PROVIDERS.map((p) => [
                p.name,
                {
                  backend: p.name,
                  model_name: p.model,
                  base_url: upstreams[p.name]!.url,
                  api_key: KEY,
                  ...retry,
                },
              ]),
            ),
            flow: Object.fromEntries(
              PROVIDERS.flatMap((p) => [
                [
                  `relay_${p.name}`,
                  { flow_content: `StreamChatOp(llm="${p.name}")`, stream: true, timeout: BACKSTOP_TIMEOUT },
                ],
                [
                  `capped_${p.name}`,
                  { flow_content: `StreamChatOp(llm="${p.name}")`, stream: true, timeout: FLOW_TIMEOUT },
                ],
              ]),
            ),
          },
        });
        try {
          // Warm-up: one healthy stream per provider, so the SDKs' first-call set-up is not timed as a fault.
          for (const provider of PROVIDERS) {
            const warm = await fetchText(`${server.url}/relay_${provider.name}`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ query: 'fault=none warm-up' }),
              timeoutMs: 20_000,
            });
            expect(outcome(warm).text).toBe(HEALTHY_ANSWER);
          }
          const jobs: Promise<{ provider: string; kind: string; tag: string; reply: Reply }>[] = [];
          for (const provider of PROVIDERS) {
            const ask = (kind: string, i: number) => {
              const tag = `fault=${kind} #${i};`;
              const flow = kind === 'trickle-past-flow-timeout' ? 'capped' : 'relay';
              return fetchText(`${server.url}/${flow}_${provider.name}`, {
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify({ query: tag }),
                timeoutMs: BACKSTOP_TIMEOUT * 1000 + 20_000,
              }).then((reply) => ({ provider: provider.name, kind, tag, reply }));
            };
            for (const kind of Object.keys(FAULTS))
              for (let i = 0; i < SIZE.upstreamFaults.perFault; i++) jobs.push(ask(kind, i));
            for (let i = 0; i < SIZE.upstreamFaults.healthy; i++) jobs.push(ask('none', i));
          }
          const results = await Promise.all(jobs);
          const problems: string[] = [];
          const slowest: Record<string, number> = {};
          const outcomes: Record<string, number> = { 'http-error': 0, 'error-chunk': 0, complete: 0 };
          for (const { provider, kind, tag, reply } of results) {
            const seen = outcome(reply);
            const label = `${provider} ${kind}`;
            if (reply.body.includes(KEY) || reply.body.includes(KEY.slice(-10)))
              problems.push(`${label}: the API key reached the client`);
            if (seen.kind === 'broken') {
              problems.push(`${label}: ${seen.why}: ${reply.body.slice(0, 300)}`);
              continue;
            }
            outcomes[seen.kind]!++;
            if (kind === 'none') {
              if (seen.kind !== 'complete' || seen.text !== HEALTHY_ANSWER)
                problems.push(`${label}: a healthy stream was hurt: ${seen.kind} ${seen.text.slice(0, 200)}`);
              continue;
            }
            if (seen.kind === 'complete') problems.push(`${label}: the fault went unnoticed`);
            if (!FAULTS[kind]!.error.test(seen.text))
              problems.push(`${label}: unexpected error: ${seen.text.slice(0, 200)}`);
            // Timed from the flow's first model request (hundreds of flows starting at once on one CPU take a
            // while to get there) to the end of the client's response.
            const calls = upstreams[provider]!.requests.filter((r) => JSON.stringify(r.body).includes(tag));
            const from =
              calls.length > 0 ? Math.min(...calls.map((r) => r.receivedAt)) : reply.endAt - reply.ms;
            const took = reply.endAt - from;
            if (took >= BACKSTOP_TIMEOUT * 1000)
              problems.push(`${label}: took ${Math.round(took)} ms, as long as the backstop timeout`);
            slowest[kind] = Math.max(slowest[kind] ?? 0, Math.round(took));
          }
          expect(problems.join('\n')).toBe('');
          // No socket left open: every upstream request closed (aborted or finished), every stream pump ended.
          for (const upstream of Object.values(upstreams)) await upstream.waitForIdle(10_000);
          await waitFor(() => server.service.openStreamCount === 0, 10_000, 'every stream pump to finish');
          await waitFor(
            () => server.sockets.size === 0,
            10_000,
            () => `${server.sockets.size} server sockets to close`,
          );
          // One log line per failed flow, no more (nothing for the healthy ones).
          const faulty = results.filter((r) => r.kind !== 'none').length;
          expect(server.logs.length).toBeLessThanOrEqual(faulty);
          expect(server.logs.filter((line) => line.level === 'error').length).toBeGreaterThan(0);
          expect(server.hostErrors).toEqual([]);
          console.log(
            `[${target.name}] upstream faults: ${JSON.stringify(outcomes)}; slowest ms ${JSON.stringify(slowest)}`,
          );
          record('upstream-faults', target.name, {
            faultKinds: Object.keys(FAULTS).length,
            modelTimeoutSeconds: MODEL_TIMEOUT,
            flowTimeoutSeconds: FLOW_TIMEOUT,
            backstopTimeoutSeconds: BACKSTOP_TIMEOUT,
            providers: PROVIDERS.length,
            faultStreams: faulty,
            healthyStreams: results.length - faulty,
            survived: faulty,
            httpErrors: outcomes['http-error'],
            errorChunks: outcomes['error-chunk'],
            healthyComplete: outcomes.complete,
            slowestMs: slowest,
            upstreamRequests: Object.values(upstreams).reduce((total, u) => total + u.requests.length, 0),
          });
        } finally {
          await server.close();
          for (const upstream of Object.values(upstreams)) await upstream.close();
        }
      },
    );
  }
});
