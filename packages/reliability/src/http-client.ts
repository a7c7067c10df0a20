import type { EventEmitter } from 'node:events';
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** ms from sending to the end of the response. */
  ms: number;
  /** `performance.now()` at the end of the response. */
  endAt: number;
  /** The response ended normally. */
  complete: boolean;
  /** A transport error or the timeout. */
  failure?: string;
}

/** How one request ended (without its body, which each caller keeps its own way). */
export interface Exchange {
  status: number;
  headers: IncomingHttpHeaders;
  /** `performance.now()` at the end of the response. */
  endAt: number;
  complete: boolean;
  failure?: string;
}

export interface ExchangeOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Give up (destroy) after this long. */
  timeoutMs: number;
}

/**
 * One request over a fresh connection with a deadline. `onResponse` sees the response and returns what
 * to do with each piece of its body (UTF-8 text). Resolves once, at the end, an error, the close or the
 * deadline; never rejects.
 */
export function exchange(
  url: string,
  options: ExchangeOptions,
  onResponse: (response: IncomingMessage) => (text: string) => void,
): Promise<Exchange> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined) headers['content-length'] ??= String(Buffer.byteLength(options.body));
  return new Promise<Exchange>((resolve) => {
    let status = 0;
    let responseHeaders: IncomingHttpHeaders = {};
    const ending = endOnce(
      options.timeoutMs,
      () => req.destroy(),
      ({ complete, failure }) =>
        resolve({ status, headers: responseHeaders, endAt: performance.now(), complete, failure }),
    );
    const req = httpRequest(url, { method: options.method ?? 'GET', headers, agent: false }, (res) => {
      status = res.statusCode ?? 0;
      responseHeaders = res.headers;
      res.setEncoding('utf8');
      res.on('data', onResponse(res));
      ending.follow(res);
    });
    req.on('error', ending.fail);
    req.end(options.body);
  });
}

/** How an exchange ended: `complete` when its response ended normally, else why not in `failure`. */
export interface Ending {
  complete: boolean;
  failure?: string;
}

/**
 * Ends one exchange (HTTP/1 or HTTP/2) once: at the end of the response body, an error, the close, or
 * after `timeoutMs` (calling `abort()` first). `ended` is called exactly once.
 */
export function endOnce(timeoutMs: number, abort: () => void, ended: (ending: Ending) => void) {
  const ending: Ending = { complete: false };
  let settled = false;
  const finish = () => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    ended(ending);
  };
  const fail = (error: Error) => {
    ending.failure ??= error.message;
    finish();
  };
  const timer = setTimeout(() => {
    ending.failure = `timed out after ${timeoutMs} ms`;
    abort();
    finish();
  }, timeoutMs);
  return {
    fail,
    /** Ends with the response body: complete at its end, failed on its error, cut short at its close. */
    follow(body: EventEmitter) {
      body.on('end', () => {
        ending.complete = true;
        finish();
      });
      body.on('error', fail);
      body.on('close', finish);
    },
  };
}

/** One request over a fresh connection; resolves with the whole body (never rejects). */
export async function fetchText(url: string, options: ExchangeOptions): Promise<Reply> {
  const started = performance.now();
  let body = '';
  const ended = await exchange(url, options, () => (text) => {
    body += text;
  });
  return { ...ended, body, ms: ended.endAt - started };
}

export interface StreamEvent {
  data: string;
  chunk?: { chunk_type: string; chunk: unknown; done?: boolean };
}

/** The `data:` payloads of an SSE body, each parsed when it is a chunk. */
export function streamEvents(body: string): StreamEvent[] {
  const events: StreamEvent[] = [];
  for (const block of body.split('\n\n')) {
    const data = block
      .split('\n')
      .filter((line) => line.startsWith('data:'))
      .map((line) => line.slice(5))
      .join('\n');
    if (!block.includes('data:')) continue;
    let chunk: StreamEvent['chunk'];
    if (data !== '[DONE]') {
      try {
        chunk = JSON.parse(data) as StreamEvent['chunk'];
      } catch {
        chunk = undefined;
      }
    }
    events.push({ data, chunk });
  }
  return events;
}

export interface TimedReply extends Reply {
  /** Body pieces as they arrived: ms since the request was sent. */
  pieces: { at: number; text: string }[];
}

/** Like `fetchText`, keeping the time each body piece arrived. */
export async function fetchTimed(
  url: string,
  options: ExchangeOptions,
  /** Sees the body so far after each piece. */
  onBody?: (body: string) => void,
): Promise<TimedReply> {
  const started = performance.now();
  const pieces: { at: number; text: string }[] = [];
  let body = '';
  const ended = await exchange(url, options, () => (text) => {
    pieces.push({ at: performance.now() - started, text });
    body += text;
    onBody?.(body);
  });
  return { ...ended, body, ms: ended.endAt - started, pieces };
}

/** When (ms since the request) the body first contained `needle`, or undefined. */
export function arrivalOf(reply: TimedReply, needle: string): number | undefined {
  let text = '';
  for (const piece of reply.pieces) {
    text += piece.text;
    if (text.includes(needle)) return piece.at;
  }
  return undefined;
}
