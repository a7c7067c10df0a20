import { FileToolOp } from './file-tool-op.js';

/**
 * FlowLLM's `ExitPlanModeOp` (tool `ExitPlanMode`): the model presents its implementation plan for
 * the user's approval. Pure state: it answers the plan with a note that approval is awaited.
 *
 * @example
 * // flow_content: ReactAgentOp() << [ReadFileOp(), ExitPlanModeOp()]
 */
export class ExitPlanModeOp extends FileToolOp {
  static override prompts = {
    tool_desc: [
      'Call this when you are planning a coding task and the plan is ready: it shows the plan to the user for approval before any code is written.',
      'Only for planning the implementation of code changes — not for research such as searching, reading or explaining code.',
    ].join('\n'),
    plan: 'The plan to show the user, in concise markdown.',
  };

  describeTool() {
    return {
      name: 'ExitPlanMode',
      description: this.prompt('tool_desc'),
      input_schema: { plan: this.stringField('plan') },
    };
  }

  protected failurePrefix(): string {
    const plan = this.text('plan');
    return `Failed to present plan "${plan.length > 50 ? `${plan.slice(0, 50)}...` : plan}"`;
  }

  protected async work(): Promise<string> {
    const plan = this.requiredText('plan');
    return `Plan presented for approval:\n\n${plan}\n\nWaiting for user confirmation to proceed with implementation.`;
  }
}
