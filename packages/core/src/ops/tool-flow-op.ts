import type { Flow } from '../engine/flow.js';
import { FlowllmError } from '../errors.js';
import type { OpSetup } from '../op/base-op.js';
import { BaseToolOp, type ToolDescriptionInput } from '../op/base-tool-op.js';

/** Flows running flows as tools nest at most this deep: enough for real use, and no endless loop. */
const MAX_DEPTH = 4;

/**
 * Another sync flow of the app as a tool: `ToolFlowOp(flow="demo_mcp_flow")` offers that flow to an
 * agent under the flow's name, with its `description` and `input_schema` (see `Flow.tool`), and runs
 * it with the call's arguments; the tool result is the flow's answer.
 *
 * @example
 * // flow_content: ReactAgentOp() << [ToolFlowOp(flow="demo_mcp_flow"), ThinkToolOp()]
 */
export class ToolFlowOp extends BaseToolOp {
  static override options = { flow: '' };

  describeTool(): ToolDescriptionInput {
    const { name, description, input_schema } = this.target().tool;
    return {
      name,
      description,
      input_schema,
      output_schema: { [`${name}_result`]: { type: 'string', description: `the answer of flow ${name}` } },
    };
  }

  async execute(): Promise<void> {
    const flow = this.target();
    if (this.context.depth >= MAX_DEPTH) {
      throw new FlowllmError(
        'FLOWLLM_TOOL',
        `ToolFlowOp: flows run flows as tools ${MAX_DEPTH} deep; flow '${flow.name}' is not started (do flows call each other in a loop?)`,
        { expose: true, status: 508 },
      );
    }
    const response = await flow.run(this.input, { signal: this.signal, depth: this.context.depth + 1 });
    this.setOutput(typeof response.answer === 'string' ? response.answer : JSON.stringify(response.answer));
  }

  override checkSetup(setup: OpSetup): string | undefined {
    const name = this.option<string>('flow');
    return targetProblem(name, setup.flow(name));
  }

  private target(): Flow {
    const name = this.option<string>('flow');
    const flow = this.context.resources.flow?.(name);
    const problem = targetProblem(name, flow);
    if (problem || !flow)
      throw new FlowllmError('FLOWLLM_TOOL', problem ?? '', { expose: true, status: 500 });
    return flow;
  }
}

function targetProblem(name: string, flow: { readonly isStream: boolean } | undefined): string | undefined {
  if (!flow) return `ToolFlowOp: flow '${name}' is not served by this app (name it with flow="…")`;
  if (flow.isStream) return `ToolFlowOp: flow '${name}' is a stream flow (a tool answers with one result)`;
  return undefined;
}
