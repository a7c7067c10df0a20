import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';

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

/** One request over a fresh connection; resolves with the whole body (never rejects). */
export function fetchText(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string; timeoutMs: number },
): Promise<Reply> {
  const started = performance.now();
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined) headers['content-length'] ??= String(Buffer.byteLength(options.body));
  return new Promise<Reply>((resolve) => {
    let status = 0;
    let responseHeaders: IncomingHttpHeaders = {};
    let body = '';
    let complete = false;
    let failure: string | undefined;
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const endAt = performance.now();
      resolve({ status, headers: responseHeaders, body, ms: endAt - started, endAt, complete, failure });
    };
    const req = httpRequest(url, { method: options.method ?? 'GET', headers, agent: false }, (res) => {
      status = res.statusCode ?? 0;
      responseHeaders = res.headers;
      res.setEncoding('utf8');
      res.on('data', (part: string) => {
        body += part;
      });
      res.on('end', () => {
        complete = true;
        finish();
      });
      res.on('error', (error) => {
        failure ??= error.message;
        finish();
      });
      res.on('close', finish);
    });
    const timer = setTimeout(() => {
      failure = `timed out after ${options.timeoutMs} ms`;
      req.destroy();
      finish();
    }, options.timeoutMs);
    req.on('error', (error) => {
      failure ??= error.message;
      finish();
    });
    req.end(options.body);
  });
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
export function fetchTimed(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string; timeoutMs: number },
): Promise<TimedReply> {
  const started = performance.now();
  const pieces: { at: number; text: string }[] = [];
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined) headers['content-length'] ??= String(Buffer.byteLength(options.body));
  return new Promise<TimedReply>((resolve) => {
    let status = 0;
    let responseHeaders: IncomingHttpHeaders = {};
    let complete = false;
    let failure: string | undefined;
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const body = pieces.map((piece) => piece.text).join('');
      const endAt = performance.now();
      resolve({
        status,
        headers: responseHeaders,
        body,
        ms: endAt - started,
        endAt,
        complete,
        failure,
        pieces,
      });
    };
    const req = httpRequest(url, { method: options.method ?? 'GET', headers, agent: false }, (res) => {
      status = res.statusCode ?? 0;
      responseHeaders = res.headers;
      res.setEncoding('utf8');
      res.on('data', (text: string) => pieces.push({ at: performance.now() - started, text }));
      res.on('end', () => {
        complete = true;
        finish();
      });
      res.on('error', (error) => {
        failure ??= error.message;
        finish();
      });
      res.on('close', finish);
    });
    const timer = setTimeout(() => {
      failure = `timed out after ${options.timeoutMs} ms`;
      req.destroy();
      finish();
    }, options.timeoutMs);
    req.on('error', (error) => {
      failure ??= error.message;
      finish();
    });
    req.end(options.body);
  });
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
