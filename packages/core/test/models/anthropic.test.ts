import { afterEach, describe, expect, it } from 'vitest';
import { apiKeyOf, startAnthropicUpstream } from '../../../testing/src/index.js';
import { AnthropicLlm, type AnthropicSettings } from '../../src/models/anthropic-llm.js';
import { toAnthropicMessages, toAnthropicTools } from '../../src/models/anthropic-messages.js';
import { collect } from '../helpers/app.js';
import { closer } from './helpers/backends.js';
import { WEATHER_TOOL } from './helpers/flow-server.js';

const resources = closer();
afterEach(() => resources.closeAll());

async function model(
  script: Parameters<typeof startAnthropicUpstream>[0],
  settings: Partial<AnthropicSettings> = {},
) {
  const upstream = resources.add(await startAnthropicUpstream(script));
  const llm = new AnthropicLlm({
    model_name: 'claude-test',
    api_key: 'sk-ant-local',
    base_url: upstream.url,
    retry_delay: 0.01,
    ...settings,
  });
  return { upstream, llm };
}

describe('anthropic llm (official SDK against the local upstream)', () => {
  it('maps thinking, text, tool_use blocks and usage; system prompt and max_tokens where the API wants them', async () => {
    const { upstream, llm } = await model(
      [
        {
          think: ['Check ', 'the tool.'],
          answer: 'One moment.',
          toolCalls: [
            { name: 'get_weather', arguments: { city: 'Paris', days: [1, 2] }, id: 'toolu_1' },
            { name: 'get_weather', arguments: { city: 'Rome' }, id: 'toolu_2' },
          ],
          usage: { prompt_tokens: 40, completion_tokens: 12 },
        },
      ],
      { params: { temperature: 0.2 } },
    );
    let opened = 0;
    const chunks = await collect(
      llm.stream(
        [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Weather?' },
        ],
        { tools: [WEATHER_TOOL], onOpen: () => opened++ },
      ),
    );
    expect(chunks).toEqual([
      { chunk_type: 'think', chunk: 'Check ' },
      // The block's last piece carries its signature (a tool loop sends it back; never on the wire).
      { chunk_type: 'think', chunk: 'the tool.', signature: 'bG9jYWwtdXBzdHJlYW0tc2lnbmF0dXJl' },
      { chunk_type: 'answer', chunk: 'One' },
      { chunk_type: 'answer', chunk: ' moment.' },
      {
        chunk_type: 'tool',
        chunk: {
          index: 0,
          id: 'toolu_1',
          type: 'function',
          function: { name: 'get_weather', arguments: '{"city":"Paris","days":[1,2]}' },
        },
      },
      {
        chunk_type: 'tool',
        chunk: {
          index: 1,
          id: 'toolu_2',
          type: 'function',
          function: { name: 'get_weather', arguments: '{"city":"Rome"}' },
        },
      },
      { chunk_type: 'usage', chunk: { prompt_tokens: 40, completion_tokens: 12, total_tokens: 52 } },
    ]);
    expect(opened).toBe(1);
    const [request] = upstream.requests;
    expect(apiKeyOf(request!)).toBe('sk-ant-local');
    expect(request?.headers['anthropic-version']).toBeTruthy();
    expect(request?.body).toEqual({
      max_tokens: 4096,
      temperature: 0.2,
      model: 'claude-test',
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'Weather?' }],
      tools: [
        {
          name: 'get_weather',
          description: 'Current weather of a city',
          input_schema: WEATHER_TOOL.function.parameters,
        },
      ],
      stream: true,
    });
  });

  it('params override max_tokens; chat() aggregates the stream', async () => {
    const { upstream, llm } = await model([{ think: 'Hmm.', answer: 'Fine.' }], {
      params: { max_tokens: 256 },
    });
    const message = await llm.chat([{ role: 'user', content: 'How are you?' }]);
    expect(message).toMatchObject({ role: 'assistant', content: 'Fine.', reasoning_content: 'Hmm.' });
    expect(message.usage?.completion_tokens).toBe(2);
    expect(upstream.requests[0]!.body).toMatchObject({ max_tokens: 256 });
  });

  it('passes the stop_reason to onFinish: end_turn for an answer, tool_use for tool calls', async () => {
    const { llm } = await model([
      { answer: 'Done.' },
      { toolCalls: [{ name: 'get_weather', arguments: { city: 'Rome' }, id: 'toolu_1' }] },
    ]);
    const reasons: string[] = [];
    const onFinish = (reason: string) => reasons.push(reason);
    await llm.chat([{ role: 'user', content: 'Hi' }], { onFinish });
    await collect(llm.stream([{ role: 'user', content: 'Weather?' }], { tools: [WEATHER_TOOL], onFinish }));
    expect(reasons).toEqual(['end_turn', 'tool_use']);
  });

  it('a system message left in `messages` would be refused by the API: the upstream says so', async () => {
    // Proves the upstream checks what the real API checks; the backend never sends it this way.
    const response = await fetch(`${resources.add(await startAnthropicUpstream()).url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'k', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: 'm', max_tokens: 5, messages: [{ role: 'system', content: 'x' }] }),
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('Unexpected role \\"system\\"');
  });

  it('retries an overloaded (529) answer before the first token; a 400 is not retried', async () => {
    const first = await model([{ status: 529 }, { answer: 'ok' }]);
    expect((await first.llm.chat([{ role: 'user', content: 'x' }])).content).toBe('ok');
    expect(first.upstream.requests).toHaveLength(2);

    const second = await model([{ status: 400, message: 'temperature: must be at most 1' }]);
    const error = await second.llm.chat([{ role: 'user', content: 'x' }]).catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      message:
        'anthropic model claude-test: the provider refused the request (HTTP 400) (error code: invalid_request_error)',
      // The provider's own text is for the log, not for clients.
      logDetail: 'temperature: must be at most 1',
    });
    expect(second.upstream.requests).toHaveLength(1);
  });

  it('aborting closes the upstream connection', async () => {
    const { upstream, llm } = await model([{ answer: 'a b c d e f', delayMs: 30 }]);
    const controller = new AbortController();
    await expect(async () => {
      for await (const chunk of llm.stream([{ role: 'user', content: 'x' }], { signal: controller.signal })) {
        if (chunk.chunk_type === 'answer') controller.abort(new Error('client left'));
      }
    }).rejects.toThrow('client left');
    await upstream.waitForIdle();
    expect(upstream.requests[0]?.completed).toBe(false);
  });

  it('a missing key names ANTHROPIC_API_KEY', () => {
    expect(() => new AnthropicLlm({ model_name: 'c' })).toThrow(
      "set ANTHROPIC_API_KEY or the entry's api_key",
    );
  });
});

describe('FlowLLM messages → Messages API', () => {
  it('moves system messages out, turns tool calls and results into blocks, merges turns, drops empty text', () => {
    const converted = toAnthropicMessages([
      { role: 'system', content: 'Rule one.' },
      { role: 'user', content: 'Weather in Paris?' },
      {
        role: 'assistant',
        content: '',
        tool_calls: [
          {
            index: 0,
            id: 'toolu_1',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
          },
        ],
      },
      { role: 'tool', content: '18 °C', tool_call_id: 'toolu_1' },
      { role: 'user', content: 'And tomorrow?' },
      { role: 'system', content: 'Rule two.' },
    ]);
    expect(converted).toEqual({
      system: 'Rule one.\n\nRule two.',
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        {
          role: 'assistant',
          content: [{ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } }],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_1', content: '18 °C' },
            { type: 'text', text: 'And tomorrow?' },
          ],
        },
      ],
    });
  });

  it('converts OpenAI function tools and passes Anthropic-shaped tools through', () => {
    const native = { name: 'lookup', input_schema: { type: 'object' as const } };
    expect(toAnthropicTools([WEATHER_TOOL, native])).toEqual([
      {
        name: 'get_weather',
        description: 'Current weather of a city',
        input_schema: WEATHER_TOOL.function.parameters,
      },
      native,
    ]);
    expect(toAnthropicTools([])).toBeUndefined();
  });
});
