import { APP_BRAND, hasBrand, SERVICE_BRAND } from '../brand.js';
import type { FlowllmConfigInput } from '../config/config-input.js';
import { createFlowApp } from '../create-flow-app.js';
import type { FlowApp, FlowAppOptions } from '../engine/flow-app.js';
import type { FlowProtocol } from '../protocols/stream-encoder.js';
import type { EventLog } from '../resume/event-log.js';
import { type McpMountOptions, mcpMountOptions } from './mcp-mount.js';
import { FlowService } from './service.js';
import type { ServiceLogger } from './service-types.js';

/**
 * What `createFlowService`, `serve` and every adapter accept: a YAML path or config name, a config
 * object, a built app, or a service.
 *
 * @example
 * const sources: FlowServiceSource[] = [
 *   'my_stream_config',                                                 // ./my_stream_config.yaml
 *   { flow: { chat: { flow_content: 'StreamChatOp()', stream: true } } }, // a config object
 *   createFlowApp({ config: 'my_stream_config' }),                      // a FlowApp, shared
 * ];
 */
export type FlowServiceSource = string | FlowllmConfigInput | FlowApp | FlowService;

/**
 * Options of {@link createFlowService} (and of every adapter): the service's `logger`, and — when the
 * source is not already a `FlowApp` or `FlowService` — the options of `createFlowApp` but `config`.
 *
 * @example
 * const service = createFlowService('my_stream_config', { offlineFallback: true, overrides: ['http.heartbeat=5'] });
 */
export interface FlowServiceOptions extends Omit<FlowAppOptions, 'config'> {
  /**
   * Where failures are logged (ignored when the source is a `FlowService`, which has its own).
   * @default consoleLogger: one line per event on stderr
   */
  logger?: ServiceLogger;
  /**
   * Mounts the MCP Streamable HTTP endpoint beside the flow routes (every served flow a tool), at `/mcp`
   * with `true`; needs the `@flowllm/mcp` package (checked here, imported on the first MCP request).
   * When the source is a `FlowService`, give it where that service is made.
   * @default false: no MCP endpoint
   */
  mcp?: boolean | McpMountOptions;
  /**
   * The store of resumable runs, e.g. `createRedisEventLog()` from `@flowllm/redis` or a test's own;
   * giving one turns resume on even when `resume.backend` is `none`. Ignored when the source is a
   * `FlowService`.
   * @default by `resume.backend`: none (resume off), a memory store, or `@flowllm/redis` loaded on demand
   */
  eventLog?: EventLog;
  /**
   * Your own wire formats, each served for every stream flow at `POST /{flow}/{name}` beside the
   * built-in `ui` (see `@flowllm/core/protocols`). When the source is a `FlowService`, give them where
   * that service is made.
   * @default none
   */
  protocols?: readonly FlowProtocol[];
}

/**
 * The HTTP service of a config, app or service: one object with `fetch` (a web fetch handler), `node`
 * (a `node:http` listener and connect-style middleware), `handle` (for adapters), `shutdown()` and
 * `app`. A `FlowService` is returned as it is, and a `FlowApp` is shared, not rebuilt — also when it
 * comes from another copy of `@flowllm/core` in the process.
 *
 * @param source a YAML path or config name, a config object, a `FlowApp` or a `FlowService`
 * @example
 * const service = createFlowService('my_stream_config');
 * http.createServer(service.node).listen(8002);                                  // node:http
 * expressApp.use('/api', service.node);                                          // connect-style middleware
 * export const POST = (request: Request) => service.fetch(request);              // fetch runtimes
 * const withMcp = createFlowService('my_stream_config', { mcp: true });           // + POST/GET/DELETE /mcp
 * const shared = createFlowApp({ config: 'my_stream_config' });
 * app.use(flowllmExpress(shared)); koa.use(flowllmKoa(shared));                  // one app, two adapters
 */
export function createFlowService(source: FlowServiceSource, options: FlowServiceOptions = {}): FlowService {
  const { logger, mcp, eventLog, protocols, ...appOptions } = options;
  if (hasBrand(source, SERVICE_BRAND)) {
    // A service is used as it is: an MCP endpoint it was made without cannot be added here unnoticed.
    if (mcpMountOptions(mcp) && !(source as FlowService).mcp)
      throw new TypeError(
        'the `mcp` option needs to be given where this FlowService is made (createFlowService)',
      );
    if (protocols && protocols.length > 0)
      throw new TypeError(
        'the `protocols` option needs to be given where this FlowService is made (createFlowService)',
      );
    return source as FlowService;
  }
  const app = hasBrand(source, APP_BRAND)
    ? (source as FlowApp)
    : createFlowApp({ ...appOptions, config: source as Exclude<FlowServiceSource, FlowApp | FlowService> });
  return new FlowService(app, { logger, mcp, eventLog, protocols });
}
