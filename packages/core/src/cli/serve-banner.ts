import type { Flow } from '../engine/flow.js';
import type { FlowApp } from '../engine/flow-app.js';
import { escapeControl } from '../http/log-line.js';
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
  const docs = app.config.http.docs === false ? '' : `  (playground: ${url}/docs)`;
  const lines = [`flowllm: serving ${app.config.app_name} at ${url}${docs}`];
  for (const [name, flow] of app.flows) {
    lines.push(`  POST ${url}/${name}${flow.isStream ? '  (stream)' : ''}  ${flowModels(app, flow)}`);
  }
  lines.push(...protocolLines(app, url));
  for (const notice of app.notices) lines.push(`notice: ${escapeControl(notice)}`);
  return `${lines.join('\n')}\n`;
}

/** The other wires the service speaks: useChat's below each stream flow, and the OpenAI facade. */
function protocolLines(app: FlowApp, url: string): string[] {
  const lines: string[] = [];
  const streams = [...app.flows.values()].some((flow) => flow.isStream);
  if (streams && app.config.ui_stream.enabled !== false)
    lines.push(`  and POST ${url}/{stream flow}/ui: the AI SDK's UI message stream (useChat)`);
  const facade = app.config.openai_facade;
  if (facade.enabled) {
    const keys = facade.api_keys.length > 0 || Boolean(app.resources.env?.FLOWLLM_OPENAI_API_KEYS?.trim());
    lines.push(
      `  and ${url}${facade.path}/chat/completions, ${url}${facade.path}/models: OpenAI-compatible (model = flow name)${keys ? '' : ', no API key check'}`,
    );
  }
  return lines;
}

/**
 * What `flowllm backend=mcp` prints at start (on stderr: stdout may be the stdio transport): the
 * transport and where clients connect, each flow as a tool with its models, and any notice.
 *
 * @example
 * process.stderr.write(mcpBanner(app, { transport: 'streamable-http', url: 'http://localhost:8001/mcp' }));
 */
export function mcpBanner(app: FlowApp, running: { transport: string; url?: string }): string {
  const where = running.url ? `at ${running.url}` : `over ${running.transport}`;
  const lines = [`flowllm: serving ${app.config.app_name} as MCP tools ${where}  (${running.transport})`];
  for (const [name, flow] of app.flows) {
    lines.push(`  tool ${name}${flow.isStream ? '  (stream)' : ''}  ${flowModels(app, flow)}`);
  }
  for (const notice of app.notices) lines.push(`notice: ${escapeControl(notice)}`);
  return `${lines.join('\n')}\n`;
}

function flowModels(app: FlowApp, flow: Flow): string {
  const llms = [...new Set([...opsIn(flow.buildOpTree())].map((op) => op.common.llm))];
  return llms
    .map((llmName) => {
      const llm = app.resources.llm(llmName);
      return `llm ${llmName} = ${llm.backend}${llm.modelName ? ` ${llm.modelName}` : ''}`;
    })
    .join(', ');
}
