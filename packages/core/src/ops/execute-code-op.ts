import { BaseToolOp } from '../op/base-tool-op.js';
import { OpConfigError } from '../op/op-errors.js';

/**
 * Why `ExecuteCodeOp` cannot be built here.
 *
 * @example
 * expect(() => createFlowApp({ config })).toThrow(EXECUTE_CODE_UNAVAILABLE);
 */
export const EXECUTE_CODE_UNAVAILABLE =
  "ExecuteCodeOp is not available: flowllm for Node has no sandbox to run model-written code in (FlowLLM's op runs it with Python's exec inside the server, and Node's vm module is no security boundary); remove it from the flow, or write an op that calls a sandbox service you trust";

/**
 * FlowLLM's `ExecuteCodeOp` (a tool that runs model-written Python with `exec`), registered so
 * FlowLLM configs can name it — but building a flow that uses it fails at start-up with
 * {@link EXECUTE_CODE_UNAVAILABLE}: running untrusted code needs a real sandbox, and there is none.
 * Flows that do not use it load as usual.
 *
 * @example
 * // flow_content: ReactAgentOp() << ExecuteCodeOp()
 * // → OpConfigError: ExecuteCodeOp is not available: flowllm for Node has no sandbox …
 */
export class ExecuteCodeOp extends BaseToolOp {
  constructor(kwargs: Record<string, unknown> = {}) {
    super(kwargs);
    throw new OpConfigError(EXECUTE_CODE_UNAVAILABLE);
  }

  describeTool() {
    return {
      description: 'Runs Python code and returns what it prints.',
      input_schema: { code: { type: 'string' as const, description: 'the code to run', required: true } },
    };
  }

  execute(): never {
    throw new OpConfigError(EXECUTE_CODE_UNAVAILABLE);
  }
}
