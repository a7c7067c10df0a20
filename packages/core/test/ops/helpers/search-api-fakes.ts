// Local fakes of the DashScope and Tavily HTTP APIs: real servers on port 0 that check each request
// (path, bearer key, body shape), answer as the real service does, and play scripted faults.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request a fake received; `closed` resolves when its connection's response closed. */
export interface FakeCall {
  method: string;
  path: string;
  authorization: string | undefined;
  contentType: string | undefined;
  body: unknown;
  closed: Promise<void>;
}

/**
 * A scripted answer: an error `status` (with the service's error body unless `body` is given), a
 * success `body`, or a fault — `hang` (never answers), `invalid_json`, `truncate` (the connection
 * drops halfway through the body), `oversize` (a 64 KiB valid body).
 */
export interface FakeReply {
  status?: number;
  body?: unknown;
  fault?: 'hang' | 'invalid_json' | 'truncate' | 'oversize';
}

export interface FakeApi {
  /** What to give the op as `base_url`. */
  url: string;
  calls: FakeCall[];
  /** Resolves with the `index`th call (from 0) once it arrived. */
  received(index: number): Promise<FakeCall>;
  close(): Promise<void>;
}

/** Per test: the reply for the `index`th call, or undefined for the service's normal answer. */
export type FakeScript = (call: FakeCall, index: number) => FakeReply | undefined;

interface Service {
  basePath: string;
  errorBody(status: number): unknown;
  /** The status and error body for a request the real service refuses, or undefined. */
  refuse(call: FakeCall, apiKey: string): FakeReply | undefined;
  answer(call: FakeCall): unknown;
}

async function startFake(service: Service, apiKey: string, script: FakeScript): Promise<FakeApi> {
  const calls: FakeCall[] = [];
  const waiters = new Set<() => void>();
  const server = createServer((request, response) => {
    void readJson(request).then((body) => {
      const closed = new Promise<void>((resolve) => response.once('close', () => resolve()));
      const call: FakeCall = {
        method: request.method ?? '',
        path: request.url ?? '',
        authorization: request.headers.authorization,
        contentType: request.headers['content-type'],
        body,
        closed,
      };
      calls.push(call);
      for (const wake of [...waiters]) wake();
      const reply = service.refuse(call, apiKey) ??
        script(call, calls.length - 1) ?? { body: service.answer(call) };
      send(response, reply, service);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${service.basePath}`,
    calls,
    received: (index) =>
      new Promise<FakeCall>((resolve) => {
        const check = () => {
          const call = calls[index];
          if (!call) return;
          waiters.delete(check);
          resolve(call);
        };
        waiters.add(check);
        check();
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(response: ServerResponse, reply: FakeReply, service: Service): void {
  if (reply.fault === 'hang') return;
  const status = reply.status ?? 200;
  let text = JSON.stringify(reply.body ?? (status >= 400 ? service.errorBody(status) : {}));
  if (reply.fault === 'invalid_json') text = '{"output": {"choices": [';
  if (reply.fault === 'oversize') text = JSON.stringify({ padding: 'x'.repeat(64 * 1024) });
  const bytes = Buffer.from(text);
  if (reply.fault === 'truncate') {
    response.writeHead(status, { 'content-type': 'application/json', 'content-length': bytes.length });
    response.write(bytes.subarray(0, bytes.length >> 1), () => response.destroy());
    return;
  }
  // The oversize body goes without a length, so the client's cap, not a header check, must stop it.
  const length = reply.fault === 'oversize' ? {} : { 'content-length': bytes.length };
  response.writeHead(status, { 'content-type': 'application/json', ...length });
  response.end(bytes);
}

function readJson(request: IncomingMessage): Promise<unknown> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    request.on('data', (part: Buffer) => parts.push(part));
    request.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(parts).toString('utf8')));
      } catch {
        resolve(undefined);
      }
    });
  });
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

/** The fields of a DashScope request body the fake reads, each still to be checked. */
interface GenerationBody {
  model?: unknown;
  input?: { messages?: unknown };
  parameters?: unknown;
}

const GENERATION = '/api/v1/services/aigc/text-generation/generation';

/**
 * DashScope's text-generation API as the `dashscope` SDK's `Generation.call(…, enable_search=True,
 * result_format="message")` uses it. The normal answer quotes the user message it got.
 */
export function startFakeDashscope(apiKey: string, script: FakeScript = () => undefined): Promise<FakeApi> {
  return startFake(
    {
      basePath: '/api/v1',
      errorBody: (status) => ({
        request_id: 'req-fake',
        code: status === 429 ? 'Throttling.RateQuota' : status === 401 ? 'InvalidApiKey' : 'InternalError',
        message: status === 429 ? 'Requests rate limit exceeded.' : 'An internal error has occured.',
      }),
      refuse(call, key) {
        if (call.method !== 'POST' || call.path !== GENERATION)
          return { status: 404, body: { code: 'NotFound' } };
        if (call.authorization !== `Bearer ${key}`) {
          // DashScope echoes part of a wrong key; the op must never show it.
          const shown = call.authorization?.slice(7) ?? '';
          return {
            status: 401,
            body: { code: 'InvalidApiKey', message: `Invalid API-key provided: ${shown}` },
          };
        }
        const body = (isRecord(call.body) ? call.body : {}) as GenerationBody;
        const messages = isRecord(body.input) ? body.input.messages : undefined;
        const parameters = body.parameters;
        const valid =
          call.contentType === 'application/json' &&
          typeof body.model === 'string' &&
          Array.isArray(messages) &&
          messages.every((m) => isRecord(m) && typeof m.role === 'string' && typeof m.content === 'string') &&
          isRecord(parameters) &&
          parameters.result_format === 'message' &&
          parameters.enable_search === true &&
          isRecord(parameters.search_options);
        return valid
          ? undefined
          : { status: 400, body: { code: 'InvalidParameter', message: 'bad request shape' } };
      },
      answer(call) {
        const messages = (call.body as { input: { messages: { content: string }[] } }).input.messages;
        return {
          request_id: 'req-fake',
          output: {
            choices: [
              {
                finish_reason: 'stop',
                message: { role: 'assistant', content: `Found on the web for: ${messages.at(-1)?.content}` },
              },
            ],
            search_info: {
              search_results: [
                { index: 1, title: 'A page', url: 'https://example.com/a', site_name: 'Example', icon: '' },
              ],
            },
          },
          usage: { input_tokens: 10, output_tokens: 5, total_tokens: 15, plugins: { search: { count: 1 } } },
        };
      },
    },
    apiKey,
    script,
  );
}

/**
 * Tavily's `POST /search` (`{query, …}`) and `POST /extract` (`{urls}`), bearer-authenticated. The
 * normal search answers two results for the query; extract answers each URL's page text.
 */
export function startFakeTavily(apiKey: string, script: FakeScript = () => undefined): Promise<FakeApi> {
  return startFake(
    {
      basePath: '',
      errorBody: (status) => ({
        detail: {
          error:
            status === 429
              ? 'Rate limit exceeded.'
              : status === 401
                ? 'Unauthorized.'
                : 'Internal Server Error',
        },
      }),
      refuse(call, key) {
        if (call.method !== 'POST' || (call.path !== '/search' && call.path !== '/extract')) {
          return { status: 404, body: { detail: 'Not Found' } };
        }
        if (call.authorization !== `Bearer ${key}`) {
          return {
            status: 401,
            body: { detail: { error: `Unauthorized: missing or invalid API key ${call.authorization}` } },
          };
        }
        const body = call.body;
        const valid =
          call.contentType === 'application/json' &&
          isRecord(body) &&
          (call.path === '/search'
            ? typeof body.query === 'string'
            : Array.isArray(body.urls) && body.urls.every((url: unknown) => typeof url === 'string'));
        return valid ? undefined : { status: 400, body: { detail: { error: 'bad request shape' } } };
      },
      answer(call) {
        const body = call.body as { query?: string; urls?: string[] };
        if (call.path === '/extract') {
          return {
            results: (body.urls ?? []).map((url) => ({ url, raw_content: `Text of ${url}`, images: [] })),
            failed_results: [],
            response_time: 0.1,
          };
        }
        const result = (n: number) => ({
          title: `Result ${n} for ${body.query}`,
          url: `https://example.com/${n}`,
          content: `About ${body.query}, part ${n}.`,
          score: 0.9 - n / 10,
          raw_content: null,
        });
        return {
          query: body.query,
          follow_up_questions: null,
          answer: null,
          images: [],
          results: [result(1), result(2)],
          response_time: 0.2,
        };
      },
    },
    apiKey,
    script,
  );
}
