// Above the engine: the engine takes an op registry; this is where the built-in (demo) ops come in.
import { buildFlowApp, type FlowApp, type FlowAppOptions } from './engine/flow-app.js';
import { defaultOpRegistry } from './ops/builtin.js';

/**
 * Loads and validates the config, builds the models and every flow, with the built-in ops and those
 * `registerOp` added (or `options.opRegistry`).
 * Throws a `ConfigError` listing every problem (file, key path, line:column, what would be valid).
 *
 * @example
 * const app = createFlowApp({ config: ['default', './my_stream_config.yaml'], overrides: ['llm.default.backend=mock'] });
 */
export function createFlowApp(options: FlowAppOptions = {}): FlowApp {
  return buildFlowApp(options, { opRegistry: defaultOpRegistry });
}
