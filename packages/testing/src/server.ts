import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  LocalUpstream,
  RecordedRequest,
  UpstreamOptions,
  UpstreamReply,
  UpstreamScript,
} from './types.js';

/** What one provider adds to the shared server: its routes, error bodies and event framing. */
export interface Provider {
  /** Path prefix of the base URL the SDK is given (`/v1` for OpenAI, `` for Anthropic). */
  basePath: string;
  /** The provider's JSON error body for `status`. */
  errorBody(status: number, message: string | undefined): unknown;
  /** Checks credentials and the request shape; returns `[status, message]` to refuse it. */
  refuse(request: RecordedRequest, apiKey: string | undefined): [number, string] | undefined;
  /** Answers a request the provider accepted. */
  respond(exchange: Exchange): Promise<void>;
}

/** One request being answered. */
export interface Exchange {
  request: RecordedRequest;
  reply: UpstreamReply;
  response: ServerResponse;
  /** Resolves when the response closed (ended or the client left). */
  closed: Promise<void>;
  isClosed(): boolean;
}

/**
 * Starts a provider's upstream on a free port: records requests, applies the status and
 * before-headers faults, and hands the rest to the provider.
 */
export async function startUpstream(
  provider: Provider,
  script: UpstreamScript,
  options: UpstreamOptions,
): Promise<LocalUpstream> {
  const requests: RecordedRequest[] = [];
  let open = 0;
  const idleWaiters = new Set<() => void>();
  const server = createServer((incoming, response) => {
    open++;
    const request = record(incoming);
    requests.push(request);
    let isClosed = false;
    const closed = new Promise<void>((resolve) => {
      response.once('close', () => {
        isClosed = true;
        request.closedAt = performance.now();
        request.completed = response.writableFinished;
        open--;
        if (open === 0) for (const wake of [...idleWaiters]) wake();
        resolve();
      });
    });
    readBody(incoming)
      .then(async (text) => {
        request.body = parseJson(text);
        const index = requests.indexOf(request);
        const reply = typeof script === 'function' ? script(request, index) : pick(script, index);
        await answer(provider, { request, reply, response, closed, isClosed: () => isClosed }, options);
      })
      .catch(() => response.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, options.host ?? '127.0.0.1', resolve));
  const { port, address } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}${provider.basePath}`,
    port,
    requests,
    get openConnections() {
      return open;
    },
    waitForIdle(timeoutMs = 2000) {
      if (open === 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const wake = () => {
          clearTimeout(timer);
          idleWaiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(() => {
          idleWaiters.delete(wake);
          reject(new Error(`upstream still has ${open} open connection(s) after ${timeoutMs} ms`));
        }, timeoutMs);
        idleWaiters.add(wake);
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function answer(provider: Provider, exchange: Exchange, options: UpstreamOptions): Promise<void> {
  const { reply, response } = exchange;
  if (reply.hang === 'headers') return;
  const refused = provider.refuse(exchange.request, options.apiKey);
  const status = refused?.[0] ?? reply.status ?? (reply.errorAs200 ? 500 : undefined);
  if (status !== undefined && status >= 400) {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...reply.headers };
    if (reply.retryAfter !== undefined && !refused) headers['retry-after'] = String(reply.retryAfter);
    const body = JSON.stringify(provider.errorBody(status, refused?.[1] ?? reply.message));
    response.writeHead(reply.errorAs200 && !refused ? 200 : status, headers);
    response.end(body);
    return;
  }
  await provider.respond(exchange);
}

function pick(script: UpstreamReply[], index: number): UpstreamReply {
  return script[Math.min(index, script.length - 1)] ?? {};
}

function record(incoming: IncomingMessage): RecordedRequest {
  return {
    method: incoming.method ?? 'GET',
    path: new URL(incoming.url ?? '/', 'http://localhost').pathname,
    headers: { ...incoming.headers },
    body: undefined,
    receivedAt: performance.now(),
  };
}

function readBody(incoming: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    incoming.on('data', (part: Buffer) => parts.push(part));
    incoming.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    incoming.on('error', reject);
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A JSON answer (non-streaming replies, embeddings). */
export function sendJson(
  response: ServerResponse,
  status: number,
  value: unknown,
  { headers = {} }: { headers?: Record<string, string> } = {},
): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(value));
}

/**
 * The API key a request carried: `x-api-key` (Anthropic), else the `Authorization: Bearer` token
 * (OpenAI, and newer Anthropic SDKs).
 *
 * @example
 * expect(apiKeyOf(upstream.requests[0]!)).toBe('sk-test');
 */
export function apiKeyOf(request: RecordedRequest): string | undefined {
  const header = request.headers['x-api-key'];
  if (typeof header === 'string' && header !== '') return header;
  const auth = request.headers.authorization;
  return typeof auth === 'string' ? auth.replace(/^Bearer\s+/i, '') : undefined;
}
