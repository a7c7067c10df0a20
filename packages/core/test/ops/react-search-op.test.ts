// ReactSearchOp: a ReAct agent that searches with DashScope when no tool is attached, here against
// the local DashScope fake and the mock model (which calls the first tool it is offered, then answers
// from its result).
import { afterEach, describe, expect, it } from 'vitest';
import type { FlowStreamChunk } from '../../src/chunk.js';
import { createFlowApp } from '../../src/create-flow-app.js';
import { collect } from '../helpers/app.js';
import { type FakeApi, startFakeDashscope } from './helpers/search-api-fakes.js';

/** The apps' environment (`createFlowApp({ env })`): search ops read their keys from it, not process.env. */
const testEnv: Record<string, string> = {};

const KEY = 'sk-dash-0123456789abcdef';
let fake: FakeApi | undefined;

afterEach(async () => {
  for (const name of Object.keys(testEnv)) delete testEnv[name];
  await fake?.close();
});

async function agentApp(flowContent: string, serviceKey = KEY) {
  fake = await startFakeDashscope(serviceKey);
  testEnv.DASHSCOPE_API_KEY = KEY;
  testEnv.DASHSCOPE_HTTP_BASE_URL = fake.url;
  return createFlowApp({
    env: testEnv,
    config: {
      llm: { default: { backend: 'mock' } },
      flow: { agent: { flow_content: flowContent, stream: true } },
    },
  });
}

const toolChunks = (chunks: FlowStreamChunk[]) => chunks.filter((chunk) => chunk.chunk_type === 'tool');

describe('ReactSearchOp', () => {
  it('with no tool attached, searches with dashscope_search and answers from its result', async () => {
    const app = await agentApp('ReactSearchOp(tool_call_interval=0)');
    const stream = app.stream('agent', { query: 'flowllm news' });
    const chunks = await collect(stream);
    const [call, result] = toolChunks(chunks);
    expect(call?.chunk).toMatchObject({
      function: { name: 'dashscope_search', arguments: '{"query":"flowllm news"}' },
    });
    expect(fake?.calls).toHaveLength(1);
    const body = fake?.calls[0]?.body as { input: { messages: { content: string }[] } };
    const sent = body.input.messages[0];
    expect(sent?.content).toContain('flowllm news');
    expect(result?.chunk).toMatchObject({ type: 'tool_result', name: 'dashscope_search' });
    expect((result?.chunk as { content: string } | undefined)?.content).toContain('Found on the web for:');
    expect(String(stream.response.answer)).toContain('from the tool results: Found on the web for:');
  });

  it('uses the tools attached with << instead', async () => {
    const app = await agentApp('ReactSearchOp(tool_call_interval=0) << ThinkToolOp()');
    const chunks = await collect(app.stream('agent', { query: 'q' }));
    expect(toolChunks(chunks)[0]?.chunk).toMatchObject({ function: { name: 'think_tool' } });
    expect(fake?.calls).toHaveLength(0);
  });

  it("a failed search goes back to the model as the tool's result, without the key", async () => {
    const app = await agentApp('ReactSearchOp(tool_call_interval=0)', 'sk-another-key-000000');
    const stream = app.stream('agent', { query: 'q' });
    const chunks = await collect(stream);
    const result = toolChunks(chunks)[1]?.chunk as { content: string };
    expect(result.content).toMatch(/^Error: .*DashScope refused the API key \(HTTP 401, InvalidApiKey\)/);
    expect(JSON.stringify(chunks)).not.toContain('0123456789');
    expect(chunks.at(-1)?.chunk_type).toBe('done');
  });
});
