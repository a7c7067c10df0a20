import { createFlowApp, FlowApp, type FlowAppOptions } from '../engine/flow-app.js';
import { FlowService, type FlowServiceOptions } from './service.js';

/**
 * What an adapter accepts: a YAML path or config name, a config object, a built app, or a service.
 *
 * @example
 * const sources: FlowServiceSource[] = [
 *   'my_stream_config',                                                 // ./my_stream_config.yaml
 *   { flow: { chat: { flow_content: 'StreamChatOp()', stream: true } } }, // a config object
 *   createFlowApp({ config: 'my_stream_config' }),                      // a FlowApp, shared
 * ];
 */
export type FlowServiceSource = string | Record<string, unknown> | FlowApp | FlowService;

/**
 * The options every adapter takes: the service's `logger`, and — when the source is not already a
 * `FlowApp` or `FlowService` — the options of {@link createFlowApp} but `config`.
 *
 * @example
 * app.use(flowllmExpress('my_stream_config', { offlineFallback: true, overrides: ['http.heartbeat=5'] }));
 */
export interface FlowServiceSourceOptions extends FlowServiceOptions, Omit<FlowAppOptions, 'config'> {}

/**
 * The service an adapter serves. Pass the same `FlowApp` (or `FlowService`) to two adapters and they
 * share models and flows (and, for a service, shutdown too).
 *
 * @example
 * app.use(flowllmExpress('my_stream_config'));            // a config name or YAML path
 * app.use(flowllmExpress({ flow: { … } }));                // a config object
 * const shared = createFlowApp({ config: 'my_stream_config' });
 * app.use(flowllmExpress(shared)); koa.use(flowllmKoa(shared));
 */
export function toFlowService(
  source: FlowServiceSource,
  options: FlowServiceSourceOptions = {},
): FlowService {
  if (source instanceof FlowService) return source;
  const { logger, ...appOptions } = options;
  const app = source instanceof FlowApp ? source : createFlowApp({ ...appOptions, config: source });
  return new FlowService(app, { logger });
}
