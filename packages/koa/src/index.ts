// The koa adapter: it only translates koa's context to @flowllm/core's Node path.
// All behaviour — routes, validation, streaming, errors — lives in core.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createFlowService, type FlowServiceOptions, type FlowServiceSource } from '@flowllm/core';
import { handleNodeRequest } from '@flowllm/core/adapter';

/**
 * Options of {@link flowllmKoa}: `prefix`, the service's `logger`, `mcp` (the MCP Streamable HTTP
 * endpoint beside the flows) and, when `config` is not already a `FlowApp` or `FlowService`,
 * `createFlowApp`'s options (`overrides`, `cwd`, `env`, `ops`, …).
 *
 * @example
 * app.use(flowllmKoa('my_stream_config', { prefix: '/api', offlineFallback: true }));
 * app.use(flowllmKoa('my_stream_config', { mcp: true })); // + GET/POST/DELETE /mcp
 */
export interface FlowllmKoaOptions extends FlowServiceOptions {
  /**
   * Serve the flows below this path, e.g. `/api`.
   * @default "" (the root)
   */
  prefix?: string;
}

/**
 * The part of koa's `Context` that {@link flowllmKoa} uses. Written with node:http's types, so these
 * declarations need no `@types/koa`; koa's own context has every member.
 *
 * @example
 * const handle = (ctx: FlowllmKoaContext) => ctx.path;
 */
export interface FlowllmKoaContext {
  path: string;
  req: IncomingMessage;
  res: ServerResponse;
  request: object;
  respond?: boolean | undefined;
  onerror(error: Error): void;
}

/**
 * The middleware {@link flowllmKoa} returns; `app.use()` takes it as it is.
 *
 * @example
 * const middleware: FlowllmKoaMiddleware = flowllmKoa('my_stream_config', { prefix: '/api' });
 * app.use(middleware);
 */
export type FlowllmKoaMiddleware = (ctx: FlowllmKoaContext, next: () => Promise<unknown>) => Promise<unknown>;

/**
 * Koa middleware serving every flow of a config. Requests for other paths go on to `next()`.
 * Ours are answered on the raw response (`ctx.respond = false`), so `koa-compress` leaves streams
 * alone and client disconnects never reach `app.on('error')`. Reuses `ctx.request.body` from a body
 * parser.
 *
 * @param config a YAML path or config name, a config object, a `FlowApp` or a `FlowService`
 * @example
 * app.use(flowllmKoa('my_stream_config', { prefix: '/api' }));
 */
export function flowllmKoa(config: FlowServiceSource, options: FlowllmKoaOptions = {}): FlowllmKoaMiddleware {
  const { prefix = '', ...serviceOptions } = options;
  const service = createFlowService(config, serviceOptions);
  // '/api', 'api' and '/api/' all mean the same mount point.
  const base = prefix.replace(/^\/*/, '/').replace(/\/+$/, '');
  return async (ctx, next) => {
    const path = belowPrefix(ctx.path, base);
    if (path === undefined || !service.handles(path)) return next();
    ctx.respond = false;
    // koa still sends socket errors to ctx.onerror; a client that left is not an app error.
    const onerror = ctx.onerror;
    ctx.onerror = (error) => {
      if (!isClientGone(error)) onerror.call(ctx, error);
    };
    const parsedBody = (ctx.request as { body?: unknown }).body;
    await handleNodeRequest(service, ctx.req, ctx.res, { path, parsedBody });
  };
}

const CLIENT_GONE = new Set(['ECONNRESET', 'EPIPE', 'ERR_STREAM_PREMATURE_CLOSE']);

/** A client that left, or whose request Node's parser refused (`HPE_*`: a body cut short, broken chunking). */
function isClientGone(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code ?? '';
  return CLIENT_GONE.has(code) || code.startsWith('HPE_');
}

function belowPrefix(path: string, base: string): string | undefined {
  if (!base) return path;
  if (path !== base && !path.startsWith(`${base}/`)) return undefined;
  return path.slice(base.length) || '/';
}
