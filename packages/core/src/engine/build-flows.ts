import { ConfigError, type ConfigIssue } from '../config/config-error.js';
import type { FlowConfig, FlowllmConfig } from '../config/config-types.js';
import type { SourceMap } from '../config/source-map.js';
import { errorMessage } from '../errors.js';
import { evaluateFlowProgram } from '../expression/evaluate.js';
import { parseFlowExpression } from '../expression/parser.js';
import type { BaseOp, OpSetup } from '../op/base-op.js';
import { ParallelOp, SequentialOp } from '../op/composite-ops.js';
import { ENGINE_KEYS } from './context.js';
import { Flow } from './flow.js';
import type { OpTreeBuilder } from './op-builder.js';
import type { FlowResources } from './resources.js';

/** The flows a config serves: `enabled_flows` (all when empty) minus `disabled_flows`. */
export function servedFlowNames(config: FlowllmConfig): string[] {
  const enabled = config.enabled_flows.length > 0 ? config.enabled_flows : Object.keys(config.flow);
  return enabled.filter((name) => !config.disabled_flows.includes(name));
}

/**
 * Parses every served flow and builds its op tree once, so a broken expression, an unknown op or a
 * bad kwarg fails start-up with the file, key path and line:column — never a request.
 *
 * @example
 * const flows = buildFlows({ config, builder, resources, sources });
 */
export function buildFlows(setup: {
  config: FlowllmConfig;
  builder: OpTreeBuilder;
  resources: FlowResources;
  sources?: SourceMap;
}): Map<string, Flow> {
  const { config, sources } = setup;
  const flows = new Map<string, Flow>();
  const issues: ConfigIssue[] = [];
  for (const name of servedFlowNames(config)) {
    const flowConfig = config.flow[name] as FlowConfig;
    // A request may never set these, so a field of that name could never be called.
    for (const field of Object.keys(flowConfig.input_schema).filter((key) => ENGINE_KEYS.has(key))) {
      const at = ['flow', name, 'input_schema', field];
      issues.push({
        path: at.join('.'),
        message: `'${field}' is set by the engine and refused from requests; give the field another name`,
        source: sources?.lookup(at),
      });
    }
    const path = ['flow', name, 'flow_content'];
    try {
      flows.set(name, buildFlow(name, flowConfig, setup));
    } catch (error) {
      issues.push({ path: path.join('.'), message: errorMessage(error), source: sources?.lookup(path) });
    }
  }
  if (issues.length === 0) issues.push(...setupIssues(flows, Object.keys(config.external_mcp), sources));
  if (issues.length > 0) throw new ConfigError(issues);
  return flows;
}

/** What ops see wrong once every flow exists (`BaseOp.checkSetup`), at each flow's `flow_content`. */
function setupIssues(
  flows: Map<string, Flow>,
  externalMcpServers: readonly string[],
  sources: SourceMap | undefined,
): ConfigIssue[] {
  const setup: OpSetup = { flow: (name: string) => flows.get(name), externalMcpServers };
  const issues: ConfigIssue[] = [];
  for (const [name, flow] of flows) {
    const path = ['flow', name, 'flow_content'];
    for (const op of opsOf(flow.buildOpTree())) {
      const problem = op.checkSetup(setup);
      if (problem) issues.push({ path: path.join('.'), message: problem, source: sources?.lookup(path) });
    }
  }
  return issues;
}

/** Every op of a tree: group members and sub-ops too. */
function* opsOf(root: BaseOp): Generator<BaseOp> {
  const pending = [root];
  for (let op = pending.pop(); op; op = pending.pop()) {
    yield op;
    if (op instanceof SequentialOp || op instanceof ParallelOp) pending.push(...op.children);
    pending.push(...Object.values(op.ops));
  }
}

/** One flow from its config entry; throws the parser's or builder's error. */
export function buildFlow(
  name: string,
  flowConfig: FlowConfig,
  { builder, resources }: { builder: OpTreeBuilder; resources: FlowResources },
): Flow {
  const program = parseFlowExpression(flowConfig.flow_content);
  evaluateFlowProgram(program, builder);
  return new Flow(name, { config: flowConfig, program, builder, resources });
}
