import { afterEach, describe, expect, it } from 'vitest';
import { startOpenAiUpstream } from '../../../testing/src/index.js';
import { createFlowApp } from '../../src/create-flow-app.js';
import { FlowllmError } from '../../src/errors.js';
import {
  OpenAiCompatibleLlm,
  type OpenAiCompatibleSettings,
} from '../../src/models/openai-compatible-llm.js';
import { collect } from '../helpers/app.js';
import { closer } from './helpers/backends.js';
import { WEATHER_TOOL } from './helpers/flow-server.js';

const resources = closer();
afterEach(() => resources.closeAll());

async function model(
  script: Parameters<typeof startOpenAiUpstream>[0],
  settings: Partial<OpenAiCompatibleSettings> = {},
) {
  const upstream = resources.add(await startOpenAiUpstream(script));
  const llm = new OpenAiCompatibleLlm({
    model_name: 'qwen-test',
    api_key: 'sk-local',
    base_url: upstream.url,
    retry_delay: 0.01,
    ...settings,
  });
  return { upstream, llm };
}

const user = (content: string) => [{ role: 'user' as const, content }];

describe('openai_compatible llm (official SDK against the local upstream)', () => {
  it('maps reasoning, content, accumulated tool calls and usage; merges params; sends the key', async () => {
    const { upstream, llm } = await model(
      [
        {
          think: 'Let me think.',
          answer: ['Hel', 'lo'],
          toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' }, id: 'call_1' }],
          usage: { prompt_tokens: 5, completion_tokens: 3 },
        },
      ],
      { params: { temperature: 0.6 } },
    );
    let opened = 0;
    const chunks = await collect(
      llm.stream(user('weather?'), { onOpen: () => opened++, params: { top_p: 0.9 }, tools: [WEATHER_TOOL] }),
    );
    expect(chunks).toEqual([
      { chunk_type: 'think', chunk: 'Let' },
      { chunk_type: 'think', chunk: ' me' },
      { chunk_type: 'think', chunk: ' think.' },
      { chunk_type: 'answer', chunk: 'Hel' },
      { chunk_type: 'answer', chunk: 'lo' },
      {
        chunk_type: 'tool',
        chunk: {
          index: 0,
          id: 'call_1',
          type: 'function',
          function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
        },
      },
      { chunk_type: 'usage', chunk: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 } },
    ]);
    expect(opened).toBe(1);
    const [request] = upstream.requests;
    expect(request?.headers.authorization).toBe('Bearer sk-local');
    expect(request?.path).toBe('/v1/chat/completions');
    expect(request?.body).toMatchObject({
      model: 'qwen-test',
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0.6,
      top_p: 0.9,
      tools: [WEATHER_TOOL],
      messages: [{ role: 'user', content: 'weather?' }],
    });
  });

  it('reads `reasoning` (OpenRouter, vLLM) as think too, and does not send reasoning back', async () => {
    const { upstream, llm } = await model([{ think: 'Hmm.', answer: 'Yes.', reasoningField: 'reasoning' }]);
    const message = await llm.chat([
      { role: 'user', content: 'a' },
      { role: 'assistant', content: 'b', reasoning_content: 'secret thoughts' },
      { role: 'user', content: 'c' },
    ]);
    expect(message).toMatchObject({ role: 'assistant', content: 'Yes.', reasoning_content: 'Hmm.' });
    expect(message.usage?.total_tokens).toBeGreaterThan(0);
    expect(JSON.stringify(upstream.requests[0]?.body)).not.toContain('secret thoughts');
  });

  it('streams several tool calls in index order, only for offered tools, with empty arguments as {}', async () => {
    const { llm } = await model([
      {
        toolCalls: [
          { name: 'get_weather', arguments: { city: 'Oslo' } },
          { name: 'not_offered', arguments: {} },
          { name: 'get_weather', arguments: '' },
        ],
      },
    ]);
    const chunks = await collect(llm.stream(user('x'), { tools: [WEATHER_TOOL] }));
    const tools = chunks.filter((chunk) => chunk.chunk_type === 'tool').map((chunk) => chunk.chunk);
    expect(tools).toEqual([
      {
        index: 0,
        id: 'call_0_local',
        type: 'function',
        function: { name: 'get_weather', arguments: '{"city":"Oslo"}' },
      },
      { index: 2, id: 'call_2_local', type: 'function', function: { name: 'get_weather', arguments: '{}' } },
    ]);
  });

  it('tool arguments that are not JSON fail the stream after the answer', async () => {
    const { llm } = await model([
      { answer: 'Calling.', toolCalls: [{ name: 'get_weather', arguments: '{"city": Par' }] },
    ]);
    const seen: unknown[] = [];
    const error = await (async () => {
      for await (const chunk of llm.stream(user('x'))) seen.push(chunk.chunk);
    })().catch((caught: unknown) => caught);
    expect(seen).toEqual(['Calling.']);
    expect(FlowllmError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe(
      'openai_compatible model qwen-test: tool call get_weather has arguments that are not valid JSON',
    );
  });

  it('passes the finish_reason to onFinish: stop for an answer, tool_calls for tool calls', async () => {
    const { llm } = await model([
      { answer: 'Done.' },
      { toolCalls: [{ name: 'get_weather', arguments: { city: 'Rome' }, id: 'call_1' }] },
    ]);
    const reasons: string[] = [];
    const onFinish = (reason: string) => reasons.push(reason);
    await llm.chat(user('hi'), { onFinish });
    await collect(llm.stream(user('weather?'), { tools: [WEATHER_TOOL], onFinish }));
    expect(reasons).toEqual(['stop', 'tool_calls']);
  });

  it('retries before the first token, calling onOpen once', async () => {
    const { upstream, llm } = await model([{ drop: 0 }, { status: 503 }, { answer: 'ok' }]);
    let opened = 0;
    const chunks = await collect(llm.stream(user('x'), { onOpen: () => opened++ }));
    expect(chunks.filter((chunk) => chunk.chunk_type === 'answer')).toEqual([
      { chunk_type: 'answer', chunk: 'ok' },
    ]);
    expect(upstream.requests).toHaveLength(3);
    expect(opened).toBe(1);
  });

  it('max_retries: 0 fails at the first error', async () => {
    const { upstream, llm } = await model([{ status: 503 }], { max_retries: 0 });
    const error = await collect(llm.stream(user('x'))).catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      message: 'openai_compatible model qwen-test: the provider failed (HTTP 503) (error code: server_error)',
      // The provider's own text is for the log, not for clients.
      logDetail: 'The engine is currently overloaded, please try again later.',
    });
    expect(upstream.requests).toHaveLength(1);
  });

  it('aborting closes the upstream connection and rejects with the reason', async () => {
    const { upstream, llm } = await model([{ answer: 'first second third fourth', delayMs: 30 }]);
    const controller = new AbortController();
    const seen: unknown[] = [];
    await expect(async () => {
      for await (const part of llm.stream(user('x'), { signal: controller.signal })) {
        seen.push(part.chunk);
        controller.abort(new Error('client left'));
      }
    }).rejects.toThrow('client left');
    expect(seen).toEqual(['first']);
    await upstream.waitForIdle();
    expect(upstream.requests[0]?.completed).toBe(false);
  });

  it('stopping the iteration (break) closes the upstream connection', async () => {
    const { upstream, llm } = await model([{ answer: 'first second third fourth', delayMs: 30 }]);
    for await (const _ of llm.stream(user('x'))) break;
    await upstream.waitForIdle();
    expect(upstream.requests[0]?.completed).toBe(false);
  });

  it('tool-call deltas without `index` (some compatible endpoints): each new id starts a call', async () => {
    const { llm } = await model([
      {
        omitToolCallIndex: true,
        toolCalls: [
          { name: 'get_weather', arguments: { city: 'Oslo' }, id: 'call_a' },
          { name: 'get_weather', arguments: { city: 'Rome' }, id: 'call_b' },
        ],
      },
    ]);
    const chunks = await collect(llm.stream(user('x'), { tools: [WEATHER_TOOL] }));
    expect(chunks.filter((chunk) => chunk.chunk_type === 'tool').map((chunk) => chunk.chunk)).toEqual([
      {
        index: 0,
        id: 'call_a',
        type: 'function',
        function: { name: 'get_weather', arguments: '{"city":"Oslo"}' },
      },
      {
        index: 1,
        id: 'call_b',
        type: 'function',
        function: { name: 'get_weather', arguments: '{"city":"Rome"}' },
      },
    ]);
  });

  it('an empty `reasoning_content` beside `reasoning` does not hide the reasoning', async () => {
    const { llm } = await model([
      { think: 'Hmm.', answer: 'Yes.', reasoningField: 'reasoning', deltaExtras: { reasoning_content: '' } },
    ]);
    const message = await llm.chat(user('x'));
    expect(message).toMatchObject({ content: 'Yes.', reasoning_content: 'Hmm.' });
  });

  it("a 200 whose body is a JSON error (some proxies) fails with the provider's message", async () => {
    const { upstream, llm } = await model(
      [{ status: 429, message: 'Proxy quota exceeded', errorAs200: true }],
      {
        max_retries: 0,
      },
    );
    let opened = 0;
    const error = await collect(llm.stream(user('x'), { onOpen: () => opened++ })).catch((caught) => caught);
    expect(FlowllmError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'FLOWLLM_MODEL_STREAM', status: 502 });
    expect((error as Error).message).toBe(
      'openai_compatible model qwen-test: the provider answered with an error instead of a stream (error code: rate_limit_exceeded)',
    );
    expect((error as FlowllmError).logDetail).toBe('Proxy quota exceeded');
    expect(opened).toBe(0);
    expect(upstream.requests).toHaveLength(1);
  });

  it('ignores OPENAI_BASE_URL, OPENAI_ORG_ID and OPENAI_PROJECT_ID: only the entry and env given are used', async () => {
    const upstream = resources.add(await startOpenAiUpstream([{ answer: 'ok' }]));
    const saved = { ...process.env };
    Object.assign(process.env, {
      OPENAI_BASE_URL: upstream.url,
      OPENAI_ORG_ID: 'org-from-process-env',
      OPENAI_PROJECT_ID: 'proj-from-process-env',
    });
    try {
      const app = createFlowApp({
        config: { llm: { default: { backend: 'openai_compatible', model_name: 'gpt-test' } } },
        env: { FLOW_LLM_API_KEY: 'sk-local' },
      });
      const llm = app.resources.llm('default') as unknown as {
        connection: { client: Promise<{ baseURL: string }> };
      };
      const client = await llm.connection.client;
      expect(client.baseURL).toBe('https://api.openai.com/v1');

      const direct = new OpenAiCompatibleLlm({
        model_name: 'gpt-test',
        api_key: 'sk-local',
        base_url: upstream.url,
      });
      await collect(direct.stream(user('x')));
      const headers = upstream.requests[0]!.headers;
      expect(headers['openai-organization']).toBeUndefined();
      expect(headers['openai-project']).toBeUndefined();
    } finally {
      for (const key of ['OPENAI_BASE_URL', 'OPENAI_ORG_ID', 'OPENAI_PROJECT_ID']) {
        if (saved[key] === undefined) delete process.env[key];
        else process.env[key] = saved[key];
      }
    }
  });

  it('a missing key is a config error naming the setting', () => {
    expect(() => new OpenAiCompatibleLlm({ model_name: 'm' })).toThrow(
      "openai_compatible model m: no API key: set FLOW_LLM_API_KEY or the entry's api_key",
    );
  });
});
