import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import { waitUntil } from '../helpers/wait.js';
import { dataEvents, type ProtocolServer, startProtocolServer } from './protocol-server.js';

// biome-ignore lint/suspicious/noExplicitAny: reading JSON answers
type Json = Record<string, any>;

let server: ProtocolServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const on = { openai_facade: { enabled: true } };
const completion = (url: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ messages: [{ role: 'user', content: 'Hi' }], ...body }),
  });

describe('OpenAI facade routes', () => {
  it('is off by default: its paths are not the service’s (a middleware falls through)', async () => {
    server = await startProtocolServer();
    expect(server.service.handles('/v1/models')).toBe(false);
    expect((await fetch(`${server.url}/v1/models`)).status).toBe(404);
  });

  it('lists every flow as a model, and one by id (404 in OpenAI’s shape for another)', async () => {
    server = await startProtocolServer(on);
    const list = (await (await fetch(`${server.url}/v1/models`)).json()) as {
      object: string;
      data: { id: string }[];
    };
    expect(list.object).toBe('list');
    expect(list.data.map((model) => model.id).sort()).toEqual([
      'agent',
      'broken',
      'chat',
      'picky',
      'slow',
      'sync',
    ]);
    expect(await (await fetch(`${server.url}/v1/models/chat`)).json()).toMatchObject({
      id: 'chat',
      object: 'model',
      owned_by: 'flowllm',
    });
    const missing = await fetch(`${server.url}/v1/models/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({
      error: {
        message: "The model 'nope' does not exist",
        type: 'invalid_request_error',
        param: 'model',
        code: 'model_not_found',
      },
    });
  });

  it('answers without stream: one chat.completion with content, reasoning and usage', async () => {
    server = await startProtocolServer(on);
    const body = (await (await completion(server.url, { model: 'chat' })).json()) as Json;
    expect(body).toMatchObject({ object: 'chat.completion', model: 'chat' });
    expect(body.choices[0]).toMatchObject({
      index: 0,
      finish_reason: 'stop',
      message: { role: 'assistant', content: 'Hello world', reasoning_content: 'Let me see' },
    });
    expect(body.usage).toMatchObject({ completion_tokens: 5 });
  });

  it('lists the calls of an agent in message.tool_calls and finishes with stop (it ran them itself)', async () => {
    server = await startProtocolServer(on);
    const body = (await (await completion(server.url, { model: 'agent' })).json()) as Json;
    expect(body.choices[0].message.tool_calls).toEqual([
      { id: 'call_mock_0', type: 'function', function: { name: 'mock_search', arguments: '{"query":"Hi"}' } },
    ]);
    expect(body.choices[0].message.content).toMatch(/^Offline mock answer/);
    expect(body.choices[0].finish_reason).toBe('stop');
  });

  it('serves sync flows too, streamed or not', async () => {
    server = await startProtocolServer(on);
    const whole = (await (await completion(server.url, { model: 'sync' })).json()) as Json;
    expect(whole.choices[0].message).toMatchObject({
      content: 'Hello world',
      reasoning_content: 'Let me see',
    });
    expect(whole.usage).toMatchObject({ completion_tokens: 5 });
    const body = { model: 'sync', stream: true, stream_options: { include_usage: true } };
    const streamed = dataEvents(await (await completion(server.url, body)).text()) as Json[];
    expect(streamed.map((event) => event.choices?.[0]?.delta?.content ?? '').join('')).toBe('Hello world');
    expect(streamed.map((event) => event.choices?.[0]?.delta?.reasoning_content ?? '').join('')).toBe(
      'Let me see',
    );
    expect(streamed.at(-2)).toMatchObject({ choices: [], usage: { completion_tokens: 5 } });
    expect(streamed.at(-1)).toBe('[DONE]');
  });

  it('maps bad requests to 400 naming the param, wrong methods to 405, both in OpenAI’s shape', async () => {
    server = await startProtocolServer(on);
    const cases: [Record<string, unknown>, string][] = [
      [{ model: 7 }, 'model'],
      [{ model: 'chat', messages: [] }, 'messages'],
      [{ model: 'chat', messages: [{ role: 'wizard', content: 'x' }] }, 'messages[0].role'],
      [{ model: 'chat', stream: 'yes' }, 'stream'],
      [{ model: 'picky', city: 'Oslo' }, 'city'],
    ];
    for (const [body, param] of cases) {
      const response = await completion(server.url, body);
      expect(response.status, param).toBe(400);
      const { error } = (await response.json()) as { error: Record<string, unknown> };
      expect(error, param).toMatchObject({ type: 'invalid_request_error', param });
    }
    const get = await fetch(`${server.url}/v1/chat/completions`);
    expect(get.status).toBe(405);
    expect(((await get.json()) as { error: { type: string } }).error.type).toBe('invalid_request_error');
  });

  it('passes fields the flow declares (extra_body) and no others', async () => {
    server = await startProtocolServer({ ...on, llm: { default: { backend: 'mock', answer: '{input}' } } });
    const response = await completion(server.url, { model: 'picky', city: 'Rome', temperature: 0.2 });
    expect(response.status).toBe(200);
  });

  it('checks bearer keys from the config and FLOWLLM_OPENAI_API_KEYS; 401 invalid_api_key otherwise', async () => {
    server = await startProtocolServer(
      { openai_facade: { enabled: true, api_keys: ['sk-config'] } },
      { env: { FLOWLLM_OPENAI_API_KEYS: 'sk-env-1, sk-env-2' } },
    );
    for (const key of ['sk-config', 'sk-env-2'])
      expect(
        (await fetch(`${server.url}/v1/models`, { headers: { authorization: `Bearer ${key}` } })).status,
      ).toBe(200);
    for (const headers of [
      {},
      { authorization: 'Bearer sk-wrong' },
      { authorization: 'sk-config' },
    ] as Record<string, string>[]) {
      const response = await fetch(`${server.url}/v1/models`, { headers });
      expect(response.status).toBe(401);
      const text = await response.text();
      expect(JSON.parse(text).error).toMatchObject({ code: 'invalid_api_key' });
      expect(text).not.toContain('sk-config');
    }
  });

  it('streams a mid-run failure as an error event, and aborts the flow when the client leaves', async () => {
    server = await startProtocolServer(on);
    const failed = dataEvents(await (await completion(server.url, { model: 'broken', stream: true })).text());
    expect(failed.at(-2)).toMatchObject({ error: { type: 'server_error' } });
    const whole = await completion(server.url, { model: 'broken' });
    expect(whole.status).toBe(500);
    expect(((await whole.json()) as { error: { type: string } }).error.type).toBe('server_error');
    const response = await completion(server.url, { model: 'slow', stream: true });
    const reader = response.body?.getReader();
    await reader?.read();
    await reader?.cancel();
    const llm = server.llm('slow');
    await waitUntil(() => llm.stats.aborted === 1 && server?.service.openStreamCount === 0);
  });

  it('answers any other path below the facade with OpenAI’s 404', async () => {
    server = await startProtocolServer(on);
    const response = await fetch(`${server.url}/v1/embeddings`, { method: 'POST' });
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('unknown_url');
  });

  it('tells openai-node not to retry a failed run (x-should-retry) and names it (x-request-id)', async () => {
    server = await startProtocolServer(on);
    const failed = await completion(server.url, { model: 'broken' });
    expect(failed.status).toBe(500);
    expect(failed.headers.get('x-should-retry')).toBe('false');
    expect(failed.headers.get('x-request-id')).toMatch(/^[0-9a-f]{32}$/);
    expect(server.logs.filter((line) => line.startsWith('error'))).toHaveLength(1);
  });

  it('answers 503, not a cut answer, when a shutdown stops a run asked for without stream', async () => {
    server = await startProtocolServer(on);
    const pending = completion(server.url, { model: 'slow' });
    const llm = server.llm('slow');
    await waitUntil(() => llm.stats.active === 1);
    server.service.shutdown();
    const response = await pending;
    expect(response.status).toBe(503);
    expect(((await response.json()) as { error: { type: string } }).error.type).toBe('server_error');
  });

  it('refuses a bad facade config at start, naming the key (and never echoing a key)', () => {
    const start = (facade: Record<string, unknown>) =>
      startProtocolServer({ openai_facade: { enabled: true, ...facade } });
    return Promise.all([
      expect(start({ path: 'v1/' })).rejects.toThrow(/openai_facade\.path/),
      expect(start({ reasoning_field: 'bad field' })).rejects.toThrow(/openai_facade\.reasoning_field/),
      expect(start({ reasoning_field: 'content' })).rejects.toThrow(/field of OpenAI's message itself/),
      expect(start({ api_keys: [' '] })).rejects.toBeInstanceOf(ConfigError),
    ]);
  });
});
