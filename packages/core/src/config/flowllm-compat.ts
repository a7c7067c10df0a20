import { type CheckContext, isPlainObject, report } from './check-value.js';

// Checks of keys FlowLLM defines that no spec in schema.ts can say on its own: an `external_mcp`
// entry needs a server to reach, and a FlowLLM setting the port cannot honour gets one warning.

/**
 * Checks FlowLLM's keys beyond their types: every `external_mcp` entry names a `url` or a `command`
 * (an issue otherwise), and `ray_max_workers` above 1, which asks for Ray workers the port cannot
 * start, gets one warning naming why.
 *
 * @example
 * checkFlowllmKeys({ ray_max_workers: 4 }, context); // context.warnings: ray_max_workers …
 */
export function checkFlowllmKeys(config: Record<string, unknown>, context: CheckContext): void {
  if (isPlainObject(config.external_mcp)) {
    for (const [name, server] of Object.entries(config.external_mcp)) {
      if (!isPlainObject(server) || server.url !== undefined || server.command !== undefined) continue;
      report(
        context,
        ['external_mcp', name],
        'an MCP server needs `url` (a remote server) or `command` (a local one)',
      );
    }
  }
  // FlowLLM starts Ray only above 1; -1 (its default), 0 and 1 mean "no Ray" there too.
  if (typeof config.ray_max_workers === 'number' && config.ray_max_workers > 1) {
    const path = ['ray_max_workers'];
    const source = context.sources.lookup(path);
    context.warnings.push({
      path: path.join('.'),
      message:
        'ignored: Ray is a Python library; ops here run in this Node process (parallel branches with `|`)',
      ...(source && { source }),
    });
  }
}
