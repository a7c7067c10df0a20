import type { BaseOp } from '@flowllm/core/ops';
import { OpConfigError } from '@flowllm/core/ops';

/**
 * How long an MCP op waits when neither it nor its server's config says: 30 s. FlowLLM waits
 * without limit; here a dead or stuck server becomes a tool error.
 *
 * @example
 * DEFAULT_MCP_TIMEOUT_SECONDS; // 30
 */
export const DEFAULT_MCP_TIMEOUT_SECONDS = 30;

/**
 * Checks an MCP op's `timeout` option at build time: seconds above 0, or unset (`None`).
 *
 * @example
 * checkTimeoutOption('McpToolsOp', 5); // ok
 * checkTimeoutOption('McpToolsOp', 0); // throws OpConfigError
 */
export function checkTimeoutOption(className: string, value: unknown): void {
  if (value === null || value === undefined) return;
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) {
    throw new OpConfigError(`${className}: option 'timeout' must be seconds above 0`);
  }
}

/**
 * The time budget of one use of `server`, in ms: the op's `timeout`, else the server's `timeout` in
 * `external_mcp`, else {@link DEFAULT_MCP_TIMEOUT_SECONDS}.
 *
 * @example
 * const timeoutMs = mcpTimeoutMs(this, 'echo');
 */
export function mcpTimeoutMs(op: BaseOp, server: string): number {
  const own = op.option<number | null>('timeout');
  const configured = op.context.resources.externalMcp?.[server]?.timeout;
  return Math.round((own ?? configured ?? DEFAULT_MCP_TIMEOUT_SECONDS) * 1000);
}
