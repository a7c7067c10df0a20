// A small node:http server that speaks the resume wire of a flowllm server with `resume` on: the POST
// names its run in `x-flowllm-run-id`, events carry `id:N` (the first also `retry:`), the run goes on
// whatever its readers do, `GET /{flow}/runs/{id}` replays after `Last-Event-ID` (header, else
// `?last_event_id=`) then tails live, and `POST /{flow}/runs/{id}/stop` stops it. Tests steer it: drop a
// response's socket after some events, forget a run, refuse resumes, or misbehave on purpose.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
}

interface Run {
  id: string;
  flow: string;
  /** frames[i] is the data of event i+1. */
  frames: string[];
  state: 'running' | 'finished' | 'stopped';
  wake: Set<() => void>;
  timer: NodeJS.Timeout | undefined;
}

export interface WireServerOptions {
  /** The answer's words: one chunk each. */
  words: string[];
  /** Time between two chunks of a run. */
  intervalMs: number;
  /** The `retry:` hint. */
  retryMs?: number;
}

export interface WireServer {
  url: string;
  requests: SeenRequest[];
  runs: Map<string, Run>;
  /** A queue, one per stream response from now on: destroy its socket after this many events (undefined: never). */
  drops: (number | undefined)[];
  /** A queue as `drops`: end the response cleanly (no [DONE]) after this many events. */
  cuts: (number | undefined)[];
  /** Resumes answer this status (e.g. 503) instead of streaming, while set. */
  refuseResume: number | undefined;
  /** `skip-one` leaves out the first event a resume owes; `from-start` ignores the id. */
  misbehave: 'skip-one' | 'from-start' | undefined;
  /** Forgets a run, as an expired one. */
  forget(runId: string): void;
  /** Stream responses still open. */
  readonly openStreams: number;
  close(): Promise<void>;
}

const chunk = (flowId: string, type: string, text: string, done = false) =>
  JSON.stringify({ flow_id: flowId, chunk_type: type, chunk: text, done, metadata: {} });

export async function startWireServer(options: WireServerOptions): Promise<WireServer> {
  const runs = new Map<string, Run>();
  const requests: SeenRequest[] = [];
  let openStreams = 0;

  function append(run: Run, frame: string): void {
    run.frames.push(frame);
    for (const wake of run.wake) wake();
  }

  function startRun(flow: string): Run {
    const run: Run = {
      id: randomBytes(16).toString('hex'),
      flow,
      frames: [],
      state: 'running',
      wake: new Set(),
      timer: undefined,
    };
    runs.set(run.id, run);
    let next = 0;
    run.timer = setInterval(() => {
      if (next < options.words.length) append(run, chunk(run.id, 'answer', options.words[next++]!));
      else finish(run, 'finished');
    }, options.intervalMs);
    return run;
  }

  function finish(run: Run, state: Run['state']): void {
    clearInterval(run.timer);
    if (run.state !== 'running') return;
    if (state === 'stopped') append(run, chunk(run.id, 'error', 'the run was stopped', true));
    run.state = state;
    append(run, '[DONE]');
  }

  /** Writes the run's events after `after`, live, until [DONE] or the planned drop/cut. */
  async function pump(run: Run, after: number, response: ServerResponse): Promise<void> {
    const dropAt = server.drops.shift();
    const cutAt = server.cuts.shift();
    openStreams++;
    response.on('close', () => openStreams--);
    let cursor = after;
    let written = 0;
    let first = true;
    while (!response.destroyed) {
      if (cursor < run.frames.length) {
        const seq = ++cursor;
        const retry = first ? `retry:${options.retryMs ?? 1000}\n` : '';
        first = false;
        const event = `${retry}id:${seq}\ndata:${run.frames[seq - 1]}\n\n`;
        written++;
        if (run.frames[seq - 1] === '[DONE]' || written === cutAt) return void response.end(event);
        // Destroyed once the event reached the socket (destroying at once could discard it unsent).
        if (written === dropAt) return void response.write(event, () => response.socket?.destroy());
        response.write(event);
        continue;
      }
      await new Promise<void>((resolve) => {
        const wake = () => {
          run.wake.delete(wake);
          resolve();
        };
        run.wake.add(wake);
        response.once('close', wake);
      });
    }
  }

  const sse = (response: ServerResponse, run: Run) =>
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'x-flowllm-run-id': run.id,
      'access-control-expose-headers': 'x-flowllm-run-id',
    });

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    requests.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers });
    for await (const _ of request); // the body is not needed
    const url = new URL(request.url ?? '/', 'http://localhost');
    const parts = url.pathname.split('/').slice(1).map(decodeURIComponent);
    const [flow, runs_, runId, stop] = parts;
    if (request.method === 'POST' && parts.length === 1) {
      const run = startRun(flow!);
      sse(response, run);
      return pump(run, 0, response);
    }
    const run = runs_ === 'runs' && runId ? runs.get(runId) : undefined;
    const own = run && run.flow === flow ? run : undefined;
    if (request.method === 'POST' && parts.length === 4 && stop === 'stop') {
      if (!own) return void response.writeHead(204).end();
      const state = own.state === 'running' ? 'stopping' : own.state;
      finish(own, 'stopped');
      response.writeHead(202, { 'content-type': 'application/json' });
      return void response.end(JSON.stringify({ flow_id: own.id, state }));
    }
    if (request.method === 'GET' && parts.length === 3) {
      if (server.refuseResume)
        return void response.writeHead(server.refuseResume).end('{"detail":"store down"}');
      const header = request.headers['last-event-id'];
      const raw = typeof header === 'string' ? header : url.searchParams.get('last_event_id');
      const after = raw === null ? 0 : Number(raw);
      if (!own || !Number.isInteger(after) || after < 0) return void response.writeHead(204).end();
      if (after > own.frames.length) return void response.writeHead(400).end('{"detail":"ahead"}');
      if (own.state !== 'running' && after >= own.frames.length) return void response.writeHead(204).end();
      sse(response, own);
      const start =
        server.misbehave === 'from-start' ? 0 : server.misbehave === 'skip-one' ? after + 1 : after;
      return pump(own, start, response);
    }
    response.writeHead(404, { 'content-type': 'application/json' }).end('{"detail":"Not Found"}');
  };

  const http: Server = createServer((request, response) => {
    handle(request, response).catch(() => response.destroy());
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const server: WireServer = {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    requests,
    runs,
    drops: [],
    cuts: [],
    refuseResume: undefined,
    misbehave: undefined,
    forget: (runId) => {
      const run = runs.get(runId);
      if (run) clearInterval(run.timer);
      runs.delete(runId);
    },
    get openStreams() {
      return openStreams;
    },
    close: () =>
      new Promise((resolve) => {
        for (const run of runs.values()) clearInterval(run.timer);
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
  return server;
}
