import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import { createFlowApp } from '../../src/create-flow-app.js';
import { BaseToolOp, type ToolDescriptionInput } from '../../src/op/base-tool-op.js';

type Flows = Record<string, { flow_content: string; stream?: boolean }>;

const build =
  (flow: { flow_content: string }, extra: Flows = {}) =>
  () =>
    createFlowApp({ env: {}, ops: [HugeToolOp], config: { flow: { agent: flow, ...extra } } });

/** A tool whose result is far larger than a model should read. */
class HugeToolOp extends BaseToolOp {
  describeTool(): ToolDescriptionInput {
    return { description: 'Answers a lot.', input_schema: {} };
  }
  execute(): void {
    this.setOutput('x'.repeat(5000));
  }
}

describe('an agent is checked at start-up', () => {
  it.each([
    ['ReactAgentOp() << ChatOp()', 'ReactAgentOp takes tool ops with <<; ChatOp is not one'],
    ['ReactAgentOp() << (ThinkToolOp() | MockSearchOp())', 'ParallelOp is not one'],
    ['ReactAgentOp(max_steps=0) << ThinkToolOp()', "option 'max_steps' must be at least 1"],
    [
      'ReactAgentOp(tool_call_interval=-1) << ThinkToolOp()',
      "option 'tool_call_interval' must be at least 0",
    ],
  ])('%s fails to load: %s', (flowContent, message) => {
    expect(build({ flow_content: flowContent })).toThrow(ConfigError);
    expect(build({ flow_content: flowContent })).toThrow(message);
  });

  it.each([
    ['ToolFlowOp(flow="nope")', "ToolFlowOp: flow 'nope' is not served by this app"],
    ['ToolFlowOp()', "ToolFlowOp: flow '' is not served by this app"],
    ['ToolFlowOp(flow="chat")', "ToolFlowOp: flow 'chat' is a stream flow"],
  ])('ReactAgentOp() << %s fails to load: %s', (tool, message) => {
    const start = build(
      { flow_content: `ReactAgentOp() << ${tool}` },
      { chat: { flow_content: 'StreamChatOp()', stream: true } },
    );
    expect(start).toThrow(`flow.agent.flow_content: ${message}`);
  });

  it('two tools of one name fail the request, naming it', async () => {
    const app = build({ flow_content: 'ReactAgentOp() << [ThinkToolOp(), ThinkToolOp(name="other")]' })();
    await expect(app.run('agent', { query: 'q' })).rejects.toThrow("two of its tools are named 'think_tool'");
  });

  it('cuts a tool result longer than max_tool_result_chars, saying so', async () => {
    const app = build({
      flow_content:
        'ReactAgentOp(tool_call_interval=0, max_steps=1, max_tool_result_chars=100) << HugeToolOp()',
    })();
    const response = await app.run('agent', { query: 'q' });
    const messages = response.metadata.messages as { role: string; content: string }[];
    const result = messages.find((message) => message.role === 'tool')?.content ?? '';
    expect(result).toBe(
      `${'x'.repeat(100)}\n[… cut: the tool answered 5000 characters; the first 100 are shown]`,
    );
  });
});
