import { afterEach, describe, expect, it } from 'vitest';
import { apiKeyOf, type LocalUpstream, startAnthropicUpstream, type UpstreamScript } from '../src/index.js';

const started: LocalUpstream[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((upstream) => upstream.close()));
});

async function upstream(script?: UpstreamScript, options?: { apiKey?: string }) {
  const server = await startAnthropicUpstream(script, options);
  started.push(server);
  return server;
}

function messages(url: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return fetch(`${url}/v1/messages`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-api-key': 'sk-ant-test',
      'anthropic-version': '2023-06-01',
      ...headers,
    },
    body: JSON.stringify({
      model: 'claude-test',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'hi there' }],
      ...body,
    }),
  });
}

/** `[event name, data]` of each SSE event, checking that `data.type` repeats the event name. */
function events(text: string): [string, Record<string, unknown>][] {
  return text
    .split('\n\n')
    .filter(Boolean)
    .map((block) => {
      const [eventLine, dataLine] = block.split('\n');
      const name = eventLine!.replace(/^event: /, '');
      const payload = JSON.parse(dataLine!.replace(/^data: /, ''));
      expect(payload.type).toBe(name);
      return [name, payload];
    });
}

describe('startAnthropicUpstream: the Messages streaming wire format', () => {
  it('sends message_start, ping, thinking/text/tool_use blocks with their deltas, message_delta and message_stop', async () => {
    const server = await upstream([
      {
        think: 'Hmm ok',
        answer: 'Hi',
        toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' }, id: 'toolu_9' }],
        usage: { prompt_tokens: 12, completion_tokens: 5 },
      },
    ]);
    const response = await messages(server.url, { stream: true });
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const list = events(await response.text());
    const names = list.map(([name]) => name);
    expect(names.slice(0, 3)).toEqual(['message_start', 'content_block_start', 'ping']);
    expect(names.slice(-2)).toEqual(['message_delta', 'message_stop']);
    expect(list[0]![1]).toMatchObject({
      message: {
        type: 'message',
        role: 'assistant',
        model: 'claude-test',
        content: [],
        usage: { input_tokens: 12 },
      },
    });
    const blocks = list
      .filter(([name]) => name === 'content_block_start')
      .map(([, data]) => data.content_block);
    expect(blocks).toEqual([
      { type: 'thinking', thinking: '', signature: '' },
      { type: 'text', text: '' },
      { type: 'tool_use', id: 'toolu_9', name: 'get_weather', input: {} },
    ]);
    const deltas = list.filter(([name]) => name === 'content_block_delta').map(([, data]) => data);
    expect(deltas.filter((delta) => delta.index === 0).map((delta) => delta.delta)).toEqual([
      { type: 'thinking_delta', thinking: 'Hmm' },
      { type: 'thinking_delta', thinking: ' ok' },
      { type: 'signature_delta', signature: expect.any(String) },
    ]);
    expect(deltas.filter((delta) => delta.index === 1).map((delta) => delta.delta)).toEqual([
      { type: 'text_delta', text: 'Hi' },
    ]);
    const json = deltas
      .filter((delta) => delta.index === 2)
      .map((delta) => (delta.delta as { type: string; partial_json: string }).partial_json);
    expect(json.join('')).toBe('{"city":"Paris"}');
    expect(list.filter(([name]) => name === 'content_block_stop').map(([, data]) => data.index)).toEqual([
      0, 1, 2,
    ]);
    expect(list.at(-2)![1]).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'tool_use', stop_sequence: null },
      usage: { output_tokens: 5 },
    });
  });

  it('answers a non-streaming request with one message', async () => {
    const server = await upstream([{ answer: 'Hello there' }]);
    expect(await (await messages(server.url, {})).json()).toMatchObject({
      type: 'message',
      content: [{ type: 'text', text: 'Hello there' }],
      stop_reason: 'end_turn',
      usage: { output_tokens: 2 },
    });
  });

  it('refuses what the Messages API refuses', async () => {
    const server = await upstream([], { apiKey: 'sk-ant-right' });
    const refused = await messages(server.url, {});
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
    expect(
      (await messages(server.url, {}, { 'x-api-key': '', authorization: 'Bearer sk-ant-right' })).status,
    ).toBe(200);

    const open = await upstream();
    const check = async (body: Record<string, unknown>, text: string) => {
      const response = await messages(open.url, body);
      expect(response.status).toBe(400);
      expect((await response.json()).error.message).toContain(text);
    };
    await check({ max_tokens: undefined }, 'max_tokens: Field required');
    await check({ messages: [{ role: 'system', content: 'x' }] }, 'Unexpected role "system"');
    await check({ messages: [{ role: 'user', content: [{ type: 'text', text: '' }] }] }, 'non-empty');
    const versionless = await fetch(`${open.url}/v1/messages`, {
      method: 'POST',
      body: '{}',
      headers: { 'x-api-key': 'k' },
    });
    expect(versionless.status).toBe(400);
    expect(apiKeyOf(open.requests.at(-1)!)).toBe('k');
  });
});

describe('startAnthropicUpstream: scripted faults', () => {
  it('overloaded (529) and rate limits (429 with retry-after) in the error shape of the API', async () => {
    const server = await upstream([{ status: 529 }, { status: 429, retryAfter: '0.5' }]);
    const overloaded = await messages(server.url, { stream: true });
    expect(overloaded.status).toBe(529);
    expect((await overloaded.json()).error).toEqual({ type: 'overloaded_error', message: 'Overloaded' });
    const limited = await messages(server.url, { stream: true });
    expect(limited.headers.get('retry-after')).toBe('0.5');
    expect((await limited.json()).error.type).toBe('rate_limit_error');
  });

  it('an in-stream error event, invalid JSON, an early end', async () => {
    const server = await upstream([
      { answer: 'a b', streamError: 4, message: 'Overloaded' },
      { answer: 'a b', invalidJson: 3 },
      { answer: 'a b', truncate: 4 },
    ]);
    const errored = events(await (await messages(server.url, { stream: true })).text());
    expect(errored.at(-1)).toEqual([
      'error',
      { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
    ]);
    const invalid = await (await messages(server.url, { stream: true })).text();
    expect(() => events(invalid)).toThrow();
    const truncated = events(await (await messages(server.url, { stream: true })).text());
    expect(truncated.map(([name]) => name)).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      'content_block_delta',
    ]);
  });
});
