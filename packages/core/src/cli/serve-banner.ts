import type { FlowApp } from '../engine/flow-app.js';
import type { BaseOp } from '../op/base-op.js';
import { ParallelOp, SequentialOp } from '../op/composite-ops.js';

function* opsIn(op: BaseOp): Generator<BaseOp> {
  if (op instanceof SequentialOp || op instanceof ParallelOp) {
    for (const child of op.children) yield* opsIn(child);
    return;
  }
  yield op;
  for (const sub of Object.values(op.ops)) yield* opsIn(sub);
}

/**
 * What `flowllm backend=http` prints at start: where it listens, each flow with the models its ops
 * use, and any notice (such as a model running offline for lack of an API key).
 *
 * @example
 * process.stdout.write(serveBanner(app, 'http://localhost:8002'));
 */
export function serveBanner(app: FlowApp, url: string): string {
  const lines = [`flowllm: serving ${app.config.app_name} at ${url}  (docs: ${url}/docs)`];
  for (const [name, flow] of app.flows) {
    const llms = [...new Set([...opsIn(flow.buildOpTree())].map((op) => op.common.llm))];
    const models = llms.map((llmName) => {
      const llm = app.resources.llm(llmName);
      return `llm ${llmName} = ${llm.backend}${llm.modelName ? ` ${llm.modelName}` : ''}`;
    });
    lines.push(`  POST ${url}/${name}${flow.isStream ? '  (stream)' : ''}  ${models.join(', ')}`);
  }
  for (const notice of app.notices) lines.push(`notice: ${notice}`);
  return `${lines.join('\n')}\n`;
}
