import { describe, expect, it } from 'vitest';
import { createFlowApp } from '../../src/create-flow-app.js';
import type { MockLlm } from '../../src/models/mock-llm.js';
import { collect } from '../helpers/app.js';

const SCRIPT = [
  {
    match: '```prompt',
    answer: '```think\nThey are curious.\n```\n```prompt\nYou are a patient teacher.\n```',
  },
  {
    match: '.',
    think: 'Thinking',
    answer: 'AI is {input}',
    tool_calls: [{ name: 'lookup', arguments: { q: 1 } }],
  },
];

function demoApp(llm: Record<string, unknown> = { script: SCRIPT }) {
  return createFlowApp({
    env: {},
    config: {
      llm: { default: { backend: 'mock', ...llm } },
      flow: {
        stream_flow: { flow_content: 'GenSystemPromptOp() >> StreamChatOp()', stream: true },
        sync_flow: { flow_content: 'GenSystemPromptOp() >> ChatOp()' },
        chat_only: { flow_content: 'ChatOp()' },
      },
    },
  });
}

describe('demo ops', () => {
  it('GenSystemPromptOp stores the ```prompt block; StreamChatOp streams think, answer and tool, not usage', async () => {
    const app = demoApp();
    const stream = app.stream('stream_flow', { query: 'magic' });
    const chunks = await collect(stream);
    expect(chunks.map((c) => [c.chunk_type, c.chunk])).toEqual([
      ['think', 'Thinking'],
      ['answer', 'AI'],
      ['answer', ' is'],
      ['answer', ' magic'],
      [
        'tool',
        { index: 0, id: 'call_mock_0', type: 'function', function: { name: 'lookup', arguments: '{"q":1}' } },
      ],
      ['done', ''],
    ]);
    expect(stream.response.metadata.usage).toMatchObject({ completion_tokens: 4 });
  });

  it('ChatOp answers with [system_prompt] + messages, from a messages list', async () => {
    const app = demoApp();
    const response = await app.run('sync_flow', {
      messages: [
        { role: 'user', content: 'first' },
        { role: 'assistant', content: 'ok' },
        { role: 'user', content: 'second' },
      ],
    });
    expect(response.answer).toBe('AI is second');
    expect(response.success).toBe(true);
  });

  it('GenSystemPromptOp falls back to the whole answer when there is no prompt block', async () => {
    const app = demoApp({ answer: 'Be brief.', usage: false });
    const llm = app.resources.llm('default') as MockLlm;
    const response = await app.run('sync_flow', { query: 'q' });
    expect(response.answer).toBe('Be brief.');
    expect(llm.stats.completed).toBe(2);
  });

  it('without query or messages the flow fails with a message naming both fields', async () => {
    await expect(demoApp().run('sync_flow', {})).rejects.toThrow(
      "GenSystemPromptOp failed: GenSystemPromptOp needs a non-empty 'query' or 'messages' in the request",
    );
    await expect(demoApp().run('chat_only', { messages: [{ role: 'robot', content: 1 }] })).rejects.toThrow(
      'ChatOp: messages[0] must be {role: system|user|assistant|tool, content: string}',
    );
  });

  it('kwargs that are not op options reach the model as params', async () => {
    const app = createFlowApp({
      env: {},
      config: { flow: { f: { flow_content: 'ChatOp(temperature=0.2)' } } },
    });
    const op = app.flow('f').buildOpTree();
    expect(op.params).toEqual({ temperature: 0.2 });
  });

  it('naming an llm that is not configured fails at start-up, listing the configured ones', () => {
    expect(() =>
      createFlowApp({ env: {}, config: { flow: { f: { flow_content: 'ChatOp(llm="gpt")' } } } }),
    ).toThrow("ChatOp: llm 'gpt' is not in the config; configured: default");
  });
});
