import type {
  FlowApp,
  FlowllmConfigInput,
  FlowllmConfigLayer,
  FlowService,
  FlowServiceOptions,
  OpClass,
  ServiceLogger,
} from '@flowllm/core';

/** Config layers for `createFlowApp`: an object, or a list of layers (YAML paths, objects). */
// Loose on purpose (the cases build configs with helpers), but also taking typed config objects.
export type AppConfig =
  | FlowllmConfigInput
  | Record<string, unknown>
  | (string | FlowllmConfigLayer | Record<string, unknown>)[];

export interface StartOptions {
  /** Build the app with `createFlowApp({ env: {}, ops, config })` (so the mock model is used). */
  config: AppConfig;
  ops: OpClass[];
  /** Where the flows are mounted: '' (the root) or e.g. '/api'. */
  prefix: string;
  /** The logger of the service (`createFlowService(app, { logger })`). */
  logger: ServiceLogger;
  /**
   * 'core' (default): CORS is core's (`http.cors`). 'framework': the host also runs its framework's
   * own CORS middleware before the flows (any origin, echoed, with credentials); the suite turns
   * core's off with `http.cors.enabled: false`. Only asked of targets with `capabilities.frameworkCors`.
   */
  cors?: 'framework' | 'core';
  /** The MCP endpoint beside the flows (`createFlowService(app, { mcp })`). @default off */
  mcp?: FlowServiceOptions['mcp'];
}

export interface StartedTarget {
  /** The server's origin, e.g. `http://127.0.0.1:41234` (no prefix, no trailing slash). */
  url: string;
  app: FlowApp;
  service: FlowService;
  /** Every error that reached the host's own error handling (error handler, `app.on('error')`, …). */
  hostErrors: unknown[];
  /** Closes the server and every connection to it. */
  close(): Promise<void>;
}

/**
 * One way of serving flows, run by `runConformanceSuite`. `start` serves on a REAL server on
 * 127.0.0.1, port 0, a host app of the target's framework that, besides the flows under `prefix`, has:
 *
 * - a middleware, before the flows, that adds `x-host: 1` to every response it can;
 * - `GET /host/ping` → 200 `{"host":"ok"}` (JSON);
 * - `POST /host/echo` → 200 `{"echo": <the JSON body, parsed the host's own way>}`;
 * - `GET /host/boom`, which throws; the host's own error handler answers 500 `{"host_error":true}`;
 * - for any other path the host's own 404: `{"host_not_found":true}` (JSON).
 *
 * The flows are mounted after the middleware and before the host's routes, so a target that
 * swallowed requests that are not its own would fail.
 */
export interface ConformanceTarget {
  /** 'express', 'koa', 'fastify', 'h3', 'fetch', 'node:http', or a variant ('express+json'). */
  name: string;
  start(options: StartOptions): Promise<StartedTarget>;
  capabilities?: {
    /** Supports `cors: 'framework'` (the framework's own CORS middleware in front of the flows). */
    frameworkCors?: boolean;
    /** Node-only cases: HTTP/2 (h2c and h2) with `service.node`, and `serve()`'s graceful close. */
    node?: boolean;
  };
}

/** The host contract of `ConformanceTarget`, for targets to implement and the suite to check. */
export const HOST = {
  header: 'x-host',
  ping: { path: '/host/ping', body: '{"host":"ok"}' },
  echo: { path: '/host/echo' },
  boom: { path: '/host/boom', status: 500, body: '{"host_error":true}' },
  notFound: { status: 404, body: '{"host_not_found":true}' },
} as const;
