import { FileToolOp } from './file-tool-op.js';

/**
 * FlowLLM's `TaskOp` (tool `Task`): hands a task to a subagent. As in FlowLLM 0.2 it is a
 * placeholder — no subagent runs; it answers what would be delegated. Pure state.
 *
 * @example
 * // flow_content: ReactAgentOp() << TaskOp()
 */
export class TaskOp extends FileToolOp {
  static override prompts = {
    tool_desc: 'Hands a complex, multi-step task to a specialised subagent that works on it on its own.',
    description: 'A short (3-5 word) summary of the task.',
    prompt: 'Everything the subagent needs to do the task on its own.',
    subagent_type: 'Which kind of subagent should do it; must be one that exists.',
  };

  describeTool() {
    return {
      name: 'Task',
      description: this.prompt('tool_desc'),
      input_schema: {
        description: this.stringField('description'),
        prompt: this.stringField('prompt'),
        subagent_type: this.stringField('subagent_type'),
      },
    };
  }

  protected failurePrefix(): string {
    return `Failed to delegate task "${this.text('description')}" to subagent "${this.text('subagent_type')}"`;
  }

  protected async work(): Promise<string> {
    const description = this.requiredText('description');
    const prompt = this.requiredText('prompt');
    const subagent = this.requiredText('subagent_type');
    return `Task delegated to ${subagent} subagent: ${description}\n\nTask prompt: ${prompt}\n\n[Subagent execution result would appear here]`;
  }
}
