import {
  type ClientRequest,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
} from 'node:http';
import { HANG_MS } from './wait.js';

/**
 * What a client sees of a failure the server masks (`http.expose_errors` off): core's fixed text, kept
 * here as the wire contract the suites assert (core does not export it).
 */
export const MASKED_ERROR = 'The flow failed. The server log has the details (look up the flow_id).';

const clients = new Set<{ destroy(): void }>();

/** Destroys every client request still open (the harness calls it after each test). */
export function destroyClients(): void {
  for (const client of clients) client.destroy();
  clients.clear();
}

export interface SendOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Send the body with chunked transfer encoding (no Content-Length). */
  chunked?: boolean;
}

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body as UTF-8 text. */
  body: string;
  /** The body's bytes as received (still compressed if the server compressed it). */
  raw: Buffer;
}

/** One request over a fresh connection (no agent pooling) to `base + path`; resolves with the whole body. */
export function send(base: string, path: string, options: SendOptions = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined && !options.chunked)
    headers['content-length'] = String(Buffer.byteLength(options.body));
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      new URL(base + path),
      { method: options.method ?? 'GET', headers, agent: false },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (part: Buffer) => parts.push(part));
        res.on('end', () => {
          const raw = Buffer.concat(parts);
          resolve({ status: res.statusCode!, headers: res.headers, body: raw.toString('utf8'), raw });
        });
        res.on('error', reject);
      },
    );
    clients.add(req);
    req.on('error', reject);
    req.on('close', () => clients.delete(req));
    if (options.body !== undefined && options.chunked) {
      // Two writes force chunked framing.
      const half = Math.floor(options.body.length / 2);
      req.write(options.body.slice(0, half));
      req.end(options.body.slice(half));
    } else {
      req.end(options.body);
    }
  });
}

/** POSTs JSON (a value, or raw text sent as is), with extra `headers` if given. */
export function postJson(
  base: string,
  path: string,
  value: unknown,
  { headers = {} }: { headers?: Record<string, string> } = {},
): Promise<Reply> {
  const body = typeof value === 'string' ? value : JSON.stringify(value);
  return send(base, path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
}

export interface StreamOptions {
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Pause the response (stop reading) right after the first body data. */
  pauseOnFirstData?: boolean;
}

/** A response read piece by piece, with the time each piece arrived (`performance.now()`). */
export interface StreamClient {
  readonly request: ClientRequest;
  /** When the request was sent. */
  readonly startedAt: number;
  /** When the status line and headers arrived. */
  responseAt: number | undefined;
  response: Promise<IncomingMessage>;
  readonly pieces: { at: number; text: string }[];
  text(): string;
  /** Resolves when the response ends or the connection closes (never rejects). */
  ended: Promise<void>;
  /** True when the body ended normally (the server ended the response). */
  complete: boolean;
  /** Resolves with the time the body first satisfies `predicate`. */
  waitForText(predicate: (text: string) => boolean, timeoutMs?: number): Promise<number>;
  destroy(): void;
}

/** Opens a streaming request with node:http (POST with a JSON body by default). */
export function openStream(base: string, path: string, options: StreamOptions = {}): StreamClient {
  const method = options.method ?? 'POST';
  const body =
    options.body === undefined
      ? undefined
      : typeof options.body === 'string'
        ? options.body
        : JSON.stringify(options.body);
  const headers: Record<string, string> = { ...options.headers };
  if (body !== undefined) {
    headers['content-type'] ??= 'application/json';
    headers['content-length'] = String(Buffer.byteLength(body));
  }
  let text = '';
  const waiters: { predicate: (text: string) => boolean; resolve: (at: number) => void }[] = [];
  const check = (at: number) => {
    for (const waiter of [...waiters]) {
      if (waiter.predicate(text)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(at);
      }
    }
  };
  let resolveResponse!: (res: IncomingMessage) => void;
  let rejectResponse!: (error: unknown) => void;
  let resolveEnded!: () => void;
  const client: StreamClient = {
    request: httpRequest(new URL(base + path), { method, headers, agent: false }),
    startedAt: 0,
    responseAt: undefined,
    response: new Promise<IncomingMessage>((resolve, reject) => {
      resolveResponse = resolve;
      rejectResponse = reject;
    }),
    pieces: [],
    text: () => text,
    ended: new Promise<void>((resolve) => {
      resolveEnded = resolve;
    }),
    complete: false,
    waitForText(predicate, timeoutMs = HANG_MS) {
      if (predicate(text)) return Promise.resolve(performance.now());
      return new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(new Error(`timed out after ${timeoutMs} ms; body so far: ${text.slice(0, 500)}`));
        }, timeoutMs);
        const waiter = {
          predicate,
          resolve: (at: number) => {
            clearTimeout(timer);
            resolve(at);
          },
        };
        waiters.push(waiter);
      });
    },
    destroy: () => client.request.destroy(),
  };
  client.response.catch(() => {});
  const req = client.request;
  clients.add(req);
  req.on('error', (error) => {
    rejectResponse(error);
    resolveEnded();
  });
  req.on('close', () => {
    clients.delete(req);
    resolveEnded();
  });
  req.on('response', (res) => {
    client.responseAt = performance.now();
    resolveResponse(res);
    let first = true;
    res.on('data', (part: Buffer) => {
      const at = performance.now();
      const piece = part.toString('utf8');
      client.pieces.push({ at, text: piece });
      text += piece;
      if (first && options.pauseOnFirstData) res.pause();
      first = false;
      check(at);
    });
    res.on('end', () => {
      client.complete = true;
      resolveEnded();
    });
    res.on('error', () => resolveEnded());
  });
  (client as { startedAt: number }).startedAt = performance.now();
  req.end(body);
  return client;
}

/** One SSE event exactly as FlowLLM frames a chunk (`done` false unless given). */
export function frame(
  flowId: string,
  chunkType: string,
  chunk: unknown,
  { done = false }: { done?: boolean } = {},
): string {
  return `data:${JSON.stringify({ flow_id: flowId, chunk_type: chunkType, chunk, done, metadata: {} })}\n\n`;
}

export const DONE = 'data:[DONE]\n\n';

/** The whole body of a stream of `[type, content]` chunks, ending with `data:[DONE]`. */
export function streamBody(flowId: string, chunks: [string, unknown][]): string {
  return chunks.map(([type, chunk]) => frame(flowId, type, chunk)).join('') + DONE;
}

/** The flow_id of the first `data:{…}` event of a raw body. */
export function firstFlowId(body: string): string {
  const start = body.indexOf('data:{');
  if (start === -1) throw new Error(`no data event in ${JSON.stringify(body.slice(0, 200))}`);
  const line = body.slice(start + 5, body.indexOf('\n', start));
  return (JSON.parse(line) as { flow_id: string }).flow_id;
}

/** The payloads of the `data:` lines of a raw body, in order. */
export function dataLines(body: string): string[] {
  return body
    .split('\n')
    .filter((line) => line.startsWith('data:'))
    .map((line) => line.slice(5));
}

export const FLOW_ID = /^[0-9a-f]{32}$/;
