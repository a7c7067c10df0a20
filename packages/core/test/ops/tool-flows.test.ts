import { describe, expect, it } from 'vitest';
import { createFlowApp } from '../../src/create-flow-app.js';
import { mockSearchReply } from './helpers/mock-search.js';

function app(extraFlows: Record<string, unknown> = {}) {
  return createFlowApp({
    env: {},
    config: {
      llm: {
        default: {
          backend: 'mock',
          script: [
            mockSearchReply('Found it'),
            { match: 'loop', tool_calls: [{ name: 'looper', arguments: { query: 'loop' } }] },
          ],
        },
      },
      flow: {
        search: {
          flow_content: 'MockSearchOp(num_results=1)',
          description: 'search the web',
          input_schema: { query: { type: 'string', description: 'terms' } },
        },
        bare_search: { flow_content: 'MockSearchOp(num_results=1)' },
        streamed: { flow_content: 'StreamChatOp()', stream: true },
        agent: {
          flow_content: 'ReactAgentOp(tool_call_interval=0) << ToolFlowOp(flow="search")',
          stream: true,
        },
        ...extraFlows,
      },
    },
  });
}

describe('tool flows', () => {
  it('lists the sync flows as tools, described by their config or else by their root tool op', () => {
    const flows = app().toolFlows();
    expect(flows.map((flow) => flow.name)).toEqual(['search', 'bare_search']);
    expect(flows[0]?.tool).toEqual({
      name: 'search',
      description: 'search the web',
      input_schema: { query: { type: 'string', description: 'terms', required: true } },
      output_schema: { mock_search_result: expect.any(Object) },
    });
    expect(flows[1]?.tool).toMatchObject({
      name: 'bare_search',
      description: 'Searches the web for a query and returns the results as a JSON array.',
      input_schema: { query: { type: 'string', required: true } },
    });
  });

  it('an agent calls a flow as a tool through ToolFlowOp', async () => {
    const stream = app().stream('agent', { query: 'find it' });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    const calls = chunks.filter((chunk) => chunk.chunk_type === 'tool').map((chunk) => chunk.chunk);
    expect(calls[0]).toMatchObject({ function: { name: 'search', arguments: '{"query":"find it"}' } });
    expect(calls[1]).toMatchObject({ type: 'tool_result', name: 'search' });
    expect((calls[1] as { content: string }).content).toContain('Found it');
  });

  it('flows calling each other in a loop stop at a depth limit, as an error the model reads', async () => {
    const looping = app({
      looper: {
        flow_content: 'ReactAgentOp(tool_call_interval=0, max_steps=1) << ToolFlowOp(flow="looper")',
        input_schema: { query: { type: 'string' } },
      },
    });
    const response = await looping.run('looper', { query: 'loop' });
    const messages = response.metadata.messages as { role: string; content: string }[];
    expect(messages.at(-1)?.content).toBe(
      "Error: tool 'looper' failed: ToolFlowOp: flows run flows as tools 4 deep; flow 'looper' is not started (do flows call each other in a loop?)",
    );
  });
});
