import { afterEach, describe, expect, it } from 'vitest';
import { HANG_MS, waitFor } from '../../../conformance/src/wait.js';
import { BaseToolOp } from '../../src/op/base-tool-op.js';
import { BACKENDS, closer } from '../models/helpers/backends.js';
import { post, sseChunks, startFlowServer, textOf } from '../models/helpers/flow-server.js';
import { mockSearchReply } from './helpers/mock-search.js';

/** A tool whose run always fails, with a message safe to show. */
class BrokenToolOp extends BaseToolOp {
  describeTool() {
    return { description: 'Always fails.', input_schema: { x: { type: 'string' as const } } };
  }
  execute(): void {
    throw new Error('the broken tool broke');
  }
}

/** A tool that runs until it is aborted, counting how its runs ended. */
class SlowToolOp extends BaseToolOp {
  static started = 0;
  static aborted = 0;
  describeTool() {
    return { description: 'Takes forever.', input_schema: {} };
  }
  async execute(): Promise<void> {
    SlowToolOp.started++;
    await new Promise<void>((resolve) =>
      this.signal.addEventListener('abort', () => resolve(), { once: true }),
    );
    SlowToolOp.aborted++;
  }
}

const resources = closer();
afterEach(() => resources.closeAll());

describe.each(BACKENDS)('ReactAgentOp on $backend', (backend) => {
  async function agentServer(script: Parameters<typeof backend.start>[0], flowContent: string) {
    const upstream = resources.add(await backend.start(script));
    const server = resources.add(
      await startFlowServer({
        env: backend.env,
        ops: [BrokenToolOp, SlowToolOp],
        config: {
          llm: {
            default: backend.entry(upstream.url),
            search: { backend: 'mock', script: [mockSearchReply('Paris weather')] },
          },
          flow: { agent: { flow_content: flowContent, stream: true } },
        },
      }),
    );
    return { upstream, server };
  }

  it('streams a three-step tool loop: think_tool, then mock_search, then the answer', async () => {
    const { upstream, server } = await agentServer(
      [
        {
          toolCalls: [
            { name: 'think_tool', arguments: { reflection: 'I need to search.' }, id: 'call_think' },
          ],
        },
        { toolCalls: [{ name: 'mock_search', arguments: { query: 'Paris weather' }, id: 'call_search' }] },
        { answer: 'It will rain in Paris.' },
      ],
      'ReactAgentOp(tool_call_interval=0) << [MockSearchOp(llm="search", num_results=1), ThinkToolOp()]',
    );
    const reply = await post(`${server.url}/agent`, { query: 'Weather in Paris?' });
    expect(reply.status).toBe(200);
    const { chunks, done } = sseChunks(reply.body);
    expect(done).toBe(true);
    // The tool call chunks as FlowLLM writes them, key order included.
    expect(reply.body).toContain(
      `"chunk":{"index":0,"id":"call_think","function":{"arguments":"{\\"reflection\\":\\"I need to search.\\"}","name":"think_tool"},"type":"function"}`,
    );
    const tools = chunks.filter((chunk) => chunk.chunk_type === 'tool').map((chunk) => chunk.chunk);
    expect(tools).toMatchObject([
      { id: 'call_think', type: 'function' },
      {
        type: 'tool_result',
        tool_call_id: 'call_think',
        name: 'think_tool',
        content: 'Reflection recorded.',
      },
      { id: 'call_search', function: { name: 'mock_search' } },
      { type: 'tool_result', tool_call_id: 'call_search', name: 'mock_search' },
    ]);
    expect(JSON.parse((tools[3] as { content: string }).content)[0].title).toBe('Paris weather');
    expect(textOf(chunks, 'answer')).toBe('It will rain in Paris.');
    // Three model calls, each offered both tools; the tool results went back with their call ids.
    expect(upstream.requests).toHaveLength(3);
    const toolNames = (body: unknown) =>
      JSON.stringify((body as { tools?: unknown }).tools ?? []).match(/"name":"(\w+)"/g);
    expect(toolNames(upstream.requests[0]?.body)).toEqual(['"name":"mock_search"', '"name":"think_tool"']);
    // The search result went back to the model inside the tool message (JSON text in a string).
    expect(JSON.stringify(upstream.requests[2]?.body)).toContain('\\"title\\": \\"Paris weather\\"');
    expect(JSON.stringify(upstream.requests[2]?.body)).toContain('call_search');
  });

  it('answers a failing tool and an unknown tool with error results, so the provider accepts the next request', async () => {
    const { upstream, server } = await agentServer(
      [
        {
          toolCalls: [
            { name: 'broken_tool', arguments: { x: 'a' }, id: 'call_broken' },
            { name: 'no_such_tool', arguments: {}, id: 'call_unknown' },
          ],
        },
        { answer: 'Sorry, the tools failed.' },
      ],
      'ReactAgentOp(tool_call_interval=0) << BrokenToolOp()',
    );
    const reply = await post(`${server.url}/agent`, { query: 'try' });
    const { chunks, done } = sseChunks(reply.body);
    expect(done).toBe(true);
    expect(chunks.filter((chunk) => chunk.chunk_type === 'error')).toEqual([]);
    expect(textOf(chunks, 'answer')).toBe('Sorry, the tools failed.');
    const results = chunks
      .filter((chunk) => (chunk.chunk as { type?: string }).type === 'tool_result')
      .map((chunk) => chunk.chunk as { tool_call_id: string; content: string });
    expect(results.find((result) => result.tool_call_id === 'call_broken')?.content).toMatch(
      /^Error: tool 'broken_tool' failed: /,
    );
    expect(results.find((result) => result.tool_call_id === 'call_unknown')?.content).toMatch(
      /no tool named 'no_such_tool'.*broken_tool/,
    );
    expect(upstream.requests).toHaveLength(2);
    expect(JSON.stringify(upstream.requests[1]?.body)).toContain('call_unknown');
  });

  it('checks arguments against the tool schema, stops after max_steps, and re-offers think_tool only after a step without it', async () => {
    const { upstream, server } = await agentServer(
      [
        { toolCalls: [{ name: 'think_tool', arguments: { reflection: 'plan' }, id: 'call_t1' }] },
        { toolCalls: [{ name: 'mock_search', arguments: {}, id: 'call_bad' }] },
        { toolCalls: [{ name: 'mock_search', arguments: { query: 'x' }, id: 'call_ok' }] },
      ],
      'ReactAgentOp(tool_call_interval=0, max_steps=3, add_think_tool=True) << MockSearchOp(llm="search", num_results=1)',
    );
    const reply = await post(`${server.url}/agent`, { query: 'q' });
    const { chunks, done } = sseChunks(reply.body);
    expect(done).toBe(true);
    const results = chunks
      .map((chunk) => chunk.chunk as { type?: string; tool_call_id?: string; content?: string })
      .filter((chunk) => chunk.type === 'tool_result');
    expect(results.find((result) => result.tool_call_id === 'call_bad')?.content).toBe(
      "Error: bad arguments for mock_search: 'query' is required.",
    );
    // max_steps=3: three model calls, and the answer is the last message — the third step's tool result.
    expect(upstream.requests).toHaveLength(3);
    const offered = upstream.requests.map((request) =>
      JSON.stringify((request.body as { tools?: unknown }).tools).includes('think_tool'),
    );
    expect(offered).toEqual([true, false, true]);
  });

  it('a client that leaves during a tool call stops the tool and the loop', async () => {
    SlowToolOp.started = 0;
    SlowToolOp.aborted = 0;
    const { upstream, server } = await agentServer(
      [{ toolCalls: [{ name: 'slow_tool', arguments: {}, id: 'call_slow' }] }, { answer: 'never asked' }],
      'ReactAgentOp(tool_call_interval=0) << SlowToolOp()',
    );
    const reply = post(`${server.url}/agent`, { query: 'wait' }, (body, destroy) => {
      if (body.includes('call_slow')) destroy();
    });
    await reply;
    await waitFor(() => SlowToolOp.aborted === 1, HANG_MS, 'the tool to see the abort');
    expect(SlowToolOp.started).toBe(1);
    expect(upstream.requests).toHaveLength(1);
  });
});

describe('ReactAgentOp on anthropic with extended thinking', () => {
  const anthropic = BACKENDS.find((backend) => backend.backend === 'anthropic')!;

  it('sends each turn’s signed thinking back with its tool calls, as the API requires', async () => {
    const upstream = resources.add(
      await anthropic.start([
        {
          think: 'I should reflect first.',
          toolCalls: [{ name: 'think_tool', arguments: { reflection: 'plan' } }],
        },
        { think: 'Now I can answer.', answer: 'Done.' },
      ]),
    );
    const thinking = { type: 'enabled', budget_tokens: 1024 };
    const server = resources.add(
      await startFlowServer({
        env: anthropic.env,
        config: {
          llm: { default: anthropic.entry(upstream.url, { params: { thinking } }) },
          flow: {
            agent: { flow_content: 'ReactAgentOp(tool_call_interval=0) << ThinkToolOp()', stream: true },
          },
        },
      }),
    );
    const { chunks, done } = sseChunks((await post(`${server.url}/agent`, { query: 'q' })).body);
    expect(done).toBe(true);
    expect(chunks.filter((chunk) => chunk.chunk_type === 'error')).toEqual([]);
    expect(textOf(chunks, 'think')).toBe('I should reflect first.Now I can answer.');
    expect(textOf(chunks, 'answer')).toBe('Done.');
    const second = upstream.requests[1]?.body as { messages: { role: string; content: unknown }[] };
    expect(second.messages[1]).toMatchObject({
      role: 'assistant',
      content: [
        { type: 'thinking', thinking: 'I should reflect first.', signature: expect.stringMatching(/.+/) },
        { type: 'tool_use', name: 'think_tool' },
      ],
    });
  });
});
