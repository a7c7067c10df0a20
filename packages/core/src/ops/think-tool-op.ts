import { BaseToolOp, type ToolDescriptionInput } from '../op/base-tool-op.js';

/**
 * FlowLLM's `ThinkToolOp`: a tool the model calls to reflect before acting. Its result is a fixed
 * acknowledgement, or the reflection itself with `add_output_reflection=True`. `ReactAgentOp` adds it
 * with `add_think_tool=True`; it can also be attached with `<<` like any tool.
 *
 * @example
 * // flow_content: ReactAgentOp() << [MockSearchOp(), ThinkToolOp()]
 */
export class ThinkToolOp extends BaseToolOp {
  static override options = { add_output_reflection: false };
  static override prompts = {
    tool_desc: [
      'Call this tool for a short reflection before you call any other tool, and whenever you need to rethink your plan.',
      'Cover three points:',
      '  1. Is what you know now enough to answer the user? Say why.',
      '  2. If not, what information or check is missing?',
      '  3. How to close the gap: which tool to call next, why, and with which key arguments.',
      'Stay on the current turn, leave out unrelated background, and do not run tools from here: only write clear, actionable thoughts.',
    ].join('\n'),
    reflection:
      '1) Can I answer now, and why?\n2) What is missing?\n3) Which tool next, with which arguments?',
    reflection_output: 'Reflection recorded.',
    tool_desc_zh: [
      '在调用任何其他工具之前，以及需要重新规划时，先调用本工具做简短思考。',
      '需要涵盖三点：',
      '  1. 现有信息是否足以回答用户？说明理由。',
      '  2. 如果不够，还缺少哪些信息或验证？',
      '  3. 如何补齐：下一步调用哪个工具、为什么、用哪些关键参数。',
      '只针对当前这一轮，不写无关背景，也不要在这里执行工具：只写清晰、可执行的思路。',
    ].join('\n'),
    reflection_zh: '1) 现在能回答吗？为什么？\n2) 缺什么？\n3) 下一步用哪个工具、什么参数？',
    reflection_output_zh: '已记录思考。',
  };

  describeTool(): ToolDescriptionInput {
    return {
      name: 'think_tool',
      description: this.prompt('tool_desc'),
      input_schema: {
        reflection: { type: 'string', description: this.prompt('reflection'), required: true },
      },
    };
  }

  execute(): void {
    this.setOutput(
      this.option<boolean>('add_output_reflection')
        ? this.input.reflection
        : this.prompt('reflection_output'),
    );
  }
}
