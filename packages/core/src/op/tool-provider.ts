import type { BaseOp } from './base-op.js';
import type { BaseToolOp } from './base-tool-op.js';

/**
 * An op attached to an agent with `<<` that stands for several tools, known only at run time — e.g.
 * every tool of an external MCP server. The agent calls `provideTools` (with the op bound to the
 * request) once per run and offers each tool op it returns, as if each had been attached.
 *
 * @example
 * class WeatherToolsOp extends BaseOp implements ToolProvider {
 *   execute() {}
 *   async provideTools() {
 *     return [new CityWeatherOp(), new ForecastOp()];
 *   }
 * }
 */
export interface ToolProvider {
  provideTools(signal: AbortSignal): Promise<BaseToolOp[]>;
}

/**
 * Whether an attached op provides tools (see {@link ToolProvider}).
 *
 * @example
 * if (isToolProvider(op)) for (const tool of await op.provideTools(signal)) offer(tool);
 */
export function isToolProvider(op: BaseOp): op is BaseOp & ToolProvider {
  return typeof (op as Partial<ToolProvider>).provideTools === 'function';
}
