import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { HANG_MS } from '@flowllm/conformance';
import { type LocalUpstream, startOpenAiUpstream, type UpstreamReply } from '@flowllm/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { sleep, waitFor } from '../src/client.js';
import { pool, runSeed, seededRandom } from '../src/random.js';
import { record, unhandledRejections } from '../src/report.js';
import { SIZE } from '../src/sizes.js';
import { type RunningTarget, TARGETS } from '../src/targets.js';

const MOMENTS = ['during-body', 'before-headers', 'mid-stream', 'during-drain'] as const;
type Moment = (typeof MOMENTS)[number];

const MID_ANSWER = Array.from({ length: 300 }, (_, i) => `w${i}`).join(' ');
// The drain case runs the model next to an op that streams 400 chunks of 64 KiB: far more than the socket
// buffers between a paused client and the server hold (~4 MiB here), so the server waits for drain while
// the model request is open (a 10 s trickle).
const DRAIN_FLOW = 'SeqStreamOp(count=400, pad=65536) | StreamChatOp()';
const LONG_ANSWER = Array.from({ length: 2000 }, (_, i) => `t${i}`).join(' ');

function script(request: { body: unknown }): UpstreamReply {
  const moment = /moment=([a-z-]+)/.exec(JSON.stringify(request.body))?.[1] as Moment | undefined;
  if (moment === 'before-headers') return { hang: 'headers' };
  if (moment === 'during-drain') return { answer: LONG_ANSWER, delayMs: 5 };
  return { answer: MID_ANSWER, delayMs: 5 };
}

interface Disconnect {
  moment: Moment;
  tag: string;
  destroyedAt: number;
  /** The response head had arrived when the client left. */
  hadHeaders: boolean;
  /** The server's socket had unsent data (it was waiting for drain) when the client left. */
  serverBlocked: boolean;
}

function serverSocketOf(server: RunningTarget, localPort: number | undefined): Socket | undefined {
  for (const socket of server.sockets) if (socket.remotePort === localPort) return socket;
  return undefined;
}

/** One client that leaves at `moment`, after a random wait. */
async function leave(
  server: RunningTarget,
  moment: Moment,
  tag: string,
  random: () => number,
): Promise<Disconnect> {
  const body = JSON.stringify({ query: `moment=${moment} tag=${tag}` });
  const req = httpRequest(`${server.url}/${moment === 'during-drain' ? 'relay_drain' : 'relay'}`, {
    method: 'POST',
    agent: false,
    headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) },
  });
  req.on('error', () => {});
  let response: IncomingMessage | undefined;
  let firstData: (() => void) | undefined;
  const gotData = new Promise<void>((resolve) => {
    firstData = resolve;
  });
  req.on('response', (res) => {
    response = res;
    res.on('error', () => {});
    // The drain case never reads: the client's receive buffer stays small, the server's socket fills fast.
    if (moment === 'during-drain') return res.pause();
    res.once('data', () => firstData?.());
    res.resume();
  });
  const connected = new Promise<void>((resolve) =>
    req.once('socket', (socket) => socket.once('connect', resolve)),
  );
  let serverBlocked = false;
  if (moment === 'during-body') {
    // Headers and a part of the body, then gone.
    req.write(body.slice(0, 10));
    await connected;
    await sleep(random() * 50);
  } else {
    req.end(body);
    await connected;
    if (moment === 'before-headers') {
      await sleep(random() * 150);
    } else if (moment === 'mid-stream') {
      await Promise.race([gotData, sleep(HANG_MS)]); // a hang guard: the check below names it
      await sleep(random() * 200);
    } else {
      // Wait until the server is stuck on a full socket (the check below fails the run if it never is).
      const localPort = req.socket?.localPort;
      const until = performance.now() + 10_000;
      while (performance.now() < until) {
        const socket = serverSocketOf(server, localPort);
        if (socket && (socket.writableNeedDrain || socket.writableLength > 0)) {
          serverBlocked = true;
          await sleep(random() * 50);
          break;
        }
        await sleep(5);
      }
    }
  }
  const hadHeaders = response !== undefined;
  const destroyedAt = performance.now();
  req.destroy();
  return { moment, tag, destroyedAt, hadHeaders, serverBlocked };
}

describe('client faults: disconnects at random moments abort the upstream every time, silently', () => {
  afterAll(() => expect(unhandledRejections).toEqual([]));

  for (const target of TARGETS) {
    it(`[${target.name}] ${SIZE.clientFaults.disconnects} disconnects`, async () => {
      const seed = runSeed();
      const random = seededRandom(seed + target.name.length);
      const upstream: LocalUpstream = await startOpenAiUpstream(script);
      const server = await target.start({
        config: {
          // Headers wait for the model: a hanging upstream keeps the response before its headers.
          http: { status_wait: 30 },
          llm: {
            default: {
              backend: 'openai_compatible',
              model_name: 'gpt-test',
              base_url: upstream.url,
              api_key: 'sk-reliability-client-faults',
              timeout: 30,
            },
          },
          flow: {
            relay: { flow_content: 'StreamChatOp()', stream: true },
            relay_drain: { flow_content: DRAIN_FLOW, stream: true },
          },
        },
      });
      try {
        const started = performance.now();
        const { disconnects, concurrency } = SIZE.clientFaults;
        const results = await pool(disconnects, concurrency, (i) =>
          leave(server, MOMENTS[i % MOMENTS.length]!, `${target.name}-${i}`, random),
        );
        // Every upstream request the flows made was aborted: closed before its response ended.
        await upstream.waitForIdle(HANG_MS);
        await waitFor(() => server.service.openStreamCount === 0, HANG_MS, 'every stream pump to finish');
        await waitFor(
          () => server.sockets.size === 0,
          HANG_MS,
          () => `${server.sockets.size} server sockets to close`,
        );
        const byTag = new Map(
          upstream.requests.map((request) => [
            /tag=([^"\s]+)/.exec(JSON.stringify(request.body))?.[1],
            request,
          ]),
        );
        const problems: string[] = [];
        const latencies: number[] = [];
        for (const result of results) {
          const request = byTag.get(result.tag);
          if (result.moment === 'during-body') {
            if (request) problems.push(`${result.tag}: a request whose body never arrived reached the model`);
            continue;
          }
          if (result.moment === 'before-headers' && result.hadHeaders)
            problems.push(`${result.tag}: headers came before the model answered`);
          if (result.moment === 'mid-stream' && !result.hadHeaders)
            problems.push(`${result.tag}: the stream had not started when the client left`);
          if (!request) {
            // The client left before the flow called the model: then it must never call it.
            if (result.moment !== 'before-headers') problems.push(`${result.tag}: no upstream request`);
            continue;
          }
          if (request.completed !== false)
            problems.push(`${result.tag}: the upstream request ran to its end`);
          if (request.closedAt === undefined)
            problems.push(`${result.tag}: the upstream request is still open`);
          // From the later of the disconnect and the request's arrival (a request still in transit when
          // the client left is aborted as soon as it lands) to its close.
          else latencies.push(request.closedAt - Math.max(result.destroyedAt, request.receivedAt));
        }
        expect(problems).toEqual([]);
        expect(upstream.openConnections).toBe(0);
        const drains = results.filter((r) => r.moment === 'during-drain');
        const blocked = drains.filter((r) => r.serverBlocked).length;
        // The drain case is real: the server had a full socket when (nearly) every such client left.
        expect(
          blocked,
          `${blocked} of ${drains.length} drain-case clients left while the server was blocked`,
        ).toBeGreaterThanOrEqual(Math.ceil(drains.length * 0.9));
        latencies.sort((a, b) => a - b);
        const p99 = latencies[Math.floor(latencies.length * 0.99)] ?? 0;
        const max = latencies.at(-1) ?? 0;
        // A hang guard: `completed: false` above already shows each abort came before the answer's end.
        expect(max, 'disconnect → upstream abort, ms').toBeLessThan(HANG_MS);
        // No log spam: a disconnect is not an error, nothing reached the host's error handling.
        expect(server.logs).toEqual([]);
        expect(server.hostErrors).toEqual([]);
        const counts = Object.fromEntries(
          MOMENTS.map((m) => [m, results.filter((r) => r.moment === m).length]),
        );
        const ms = Math.round(performance.now() - started);
        console.log(
          `[${target.name}] ${results.length} disconnects (seed ${seed}) ${JSON.stringify(counts)}; upstream requests ${upstream.requests.length}, all aborted; blocked on drain ${blocked}/${drains.length}; abort latency p99 ${p99.toFixed(1)} ms, max ${max.toFixed(1)} ms; ${ms} ms`,
        );
        record('client-faults', target.name, {
          disconnects: results.length,
          moments: counts,
          upstreamRequests: upstream.requests.length,
          upstreamAborted: upstream.requests.filter((r) => r.completed === false).length,
          blockedOnDrain: blocked,
          abortLatencyP99Ms: Math.round(p99 * 10) / 10,
          abortLatencyMaxMs: Math.round(max * 10) / 10,
          logLines: server.logs.length,
          hostErrors: server.hostErrors.length,
          ms,
          seed,
        });
      } finally {
        await server.close();
        await upstream.close();
      }
    });
  }
});
