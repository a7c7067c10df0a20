import { describe, expect, it } from 'vitest';
import type { FlowStreamChunk } from '../../src/chunk.js';
import { createFlowApp } from '../../src/create-flow-app.js';
import type { MockLlm } from '../../src/models/mock-llm.js';
import { collect } from '../helpers/app.js';
import { mockSearchReply } from './helpers/mock-search.js';

function agentApp(flowContent: string, stream = true) {
  return createFlowApp({
    env: {},
    config: {
      llm: {
        default: {
          backend: 'mock',
          script: [mockSearchReply('t')],
        },
      },
      flow: { agent: { flow_content: flowContent, stream } },
    },
  });
}

const types = (chunks: FlowStreamChunk[]) => chunks.map((chunk) => chunk.chunk_type);

describe('ReactAgentOp on the offline mock model', () => {
  it('streams a tool loop: a tool call chunk, the result chunk, then the answer', async () => {
    const app = agentApp(
      'ReactAgentOp(tool_call_interval=0) << [MockSearchOp(num_results=1), ThinkToolOp()]',
    );
    const stream = app.stream('agent', { query: 'ai news' });
    const chunks = await collect(stream);
    const tools = chunks.filter((chunk) => chunk.chunk_type === 'tool');
    expect(tools).toHaveLength(2);
    expect(JSON.stringify(tools[0]?.chunk)).toBe(
      '{"index":0,"id":"call_mock_0","function":{"arguments":"{\\"query\\":\\"ai news\\"}","name":"mock_search"},"type":"function"}',
    );
    expect(tools[1]?.chunk).toMatchObject({
      type: 'tool_result',
      tool_call_id: 'call_mock_0',
      name: 'mock_search',
    });
    expect(JSON.parse(String((tools[1]?.chunk as { content?: string } | undefined)?.content))).toEqual([
      { snippet: 's', title: 't', url: 'https://example.com/a', hostname: 'example.com', hostlogo: '' },
    ]);
    const answer = chunks
      .slice(chunks.indexOf(tools[1] as FlowStreamChunk))
      .filter((chunk) => chunk.chunk_type === 'answer')
      .map((chunk) => chunk.chunk)
      .join('');
    expect(answer).toContain('from the tool results');
    expect(types(chunks).at(-1)).toBe('done');
    const messages = stream.response.metadata.messages as { role: string }[];
    expect(messages.map((message) => message.role)).toEqual([
      'system',
      'user',
      'assistant',
      'tool',
      'assistant',
    ]);
    // Two agent steps and one search: three model calls.
    expect((app.resources.llm('default') as MockLlm).stats.completed).toBe(3);
  });

  it('a sync flow answers the last message and keeps the conversation in metadata', async () => {
    const app = agentApp('ReactAgentOp(tool_call_interval=0) << MockSearchOp(num_results=1)', false);
    const response = await app.run('agent', { query: 'ai news' });
    expect(String(response.answer)).toContain('Offline mock answer to "ai news"');
    expect((response.metadata.messages as unknown[]).length).toBe(5);
  });

  it('a script plays the steps: `match_tool` answers once the tool result is back', async () => {
    const app = createFlowApp({
      env: {},
      config: {
        llm: {
          default: {
            backend: 'mock',
            script: [
              mockSearchReply('t'),
              { match_tool: 'example\\.com', answer: 'Found it on example.com.' },
              { match: 'find', tool_calls: [{ name: 'mock_search', arguments: { query: 'the page' } }] },
            ],
          },
        },
        flow: {
          agent: { flow_content: 'ReactAgentOp(tool_call_interval=0) << MockSearchOp(num_results=1)' },
        },
      },
    });
    const response = await app.run('agent', { query: 'find the page' });
    expect(response.answer).toBe('Found it on example.com.');
    expect((response.metadata.messages as { role: string }[]).map((message) => message.role)).toEqual([
      'system',
      'user',
      'assistant',
      'tool',
      'assistant',
    ]);
  });
});
