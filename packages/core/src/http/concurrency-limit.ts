import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { HttpConfig } from '../config/config-types.js';
import { corsHeaders } from './cors.js';
import { writeResult } from './node-handler.js';
import { RETRY_AFTER_SECONDS } from './stream-cap.js';

/**
 * Wraps the built-in server's listener with `http.limit_concurrency` (uvicorn's setting in FlowLLM):
 * a request that arrives while `limit` are in flight gets `503` with `Retry-After` and never reaches
 * the service. A request counts from its arrival until its response closes (sent, or the client
 * left), so a stream counts for as long as it runs; idle keep-alive connections do not count. `0`
 * turns the cap off.
 *
 * @example
 * http.createServer(limitConcurrency(service.node, config.http)).listen(8002);
 */
export function limitConcurrency(
  listener: RequestListener,
  http: Pick<HttpConfig, 'limit_concurrency' | 'cors'>,
): RequestListener {
  const limit = http.limit_concurrency;
  if (limit === 0) return listener;
  let inFlight = 0;
  return (request: IncomingMessage, response: ServerResponse) => {
    if (inFlight >= limit) return refuse(request, response);
    inFlight++;
    response.once('close', () => inFlight--);
    return listener(request, response);
  };

  function refuse(request: IncomingMessage, response: ServerResponse): void {
    const detail = `too many requests in flight (http.limit_concurrency is ${limit}); retry in ${RETRY_AFTER_SECONDS} s`;
    writeResult(response, {
      status: 503,
      headers: {
        'content-type': 'application/json',
        'retry-after': String(RETRY_AFTER_SECONDS),
        ...corsHeaders(http.cors, request.headers.origin),
      },
      body: JSON.stringify({ detail }),
    });
  }
}
