/**
 * Response headers for an SSE stream. `no-transform` makes compression middleware (express
 * `compression`, `koa-compress`) leave the stream alone instead of buffering it; `x-accel-buffering: no`
 * turns nginx proxy buffering off for this response. `Connection`, `Keep-Alive` and `Transfer-Encoding`
 * are deliberately absent: Node sets them itself, and on HTTP/2 they make `writeHead` throw.
 *
 * @example
 * response.writeHead(200, SSE_HEADERS);
 * response.flushHeaders();
 */
export const SSE_HEADERS: Readonly<Record<'content-type' | 'cache-control' | 'x-accel-buffering', string>> =
  Object.freeze({
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    'x-accel-buffering': 'no',
  });
