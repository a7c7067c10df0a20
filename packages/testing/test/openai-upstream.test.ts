import { afterEach, describe, expect, it } from 'vitest';
import { type LocalUpstream, startOpenAiUpstream, type UpstreamScript } from '../src/index.js';

const started: LocalUpstream[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((upstream) => upstream.close()));
});

async function upstream(script?: UpstreamScript, options?: { apiKey?: string }) {
  const server = await startOpenAiUpstream(script, options);
  started.push(server);
  return server;
}

function chat(url: string, body: Record<string, unknown>, init: RequestInit = {}) {
  return fetch(`${url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test' },
    body: JSON.stringify({ model: 'gpt-test', messages: [{ role: 'user', content: 'hi there' }], ...body }),
    ...init,
  });
}

/** The `data:` payloads of an SSE body. */
function data(text: string): string[] {
  return text
    .split('\n\n')
    .filter(Boolean)
    .map((event) => {
      expect(event.startsWith('data: ')).toBe(true);
      return event.slice('data: '.length);
    });
}

describe('startOpenAiUpstream: the Chat Completions streaming wire format', () => {
  it('streams role, reasoning, content, tool-call deltas, finish, usage and [DONE]', async () => {
    const server = await upstream([
      {
        think: 'Hmm',
        answer: 'Hi you',
        toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }],
        usage: { prompt_tokens: 7, completion_tokens: 3 },
      },
    ]);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const response = await chat(server.url, { stream: true, stream_options: { include_usage: true } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const payloads = data(await response.text());
    expect(payloads.at(-1)).toBe('[DONE]');
    const events = payloads.slice(0, -1).map((payload) => JSON.parse(payload));
    for (const event of events) {
      expect(event).toMatchObject({ object: 'chat.completion.chunk', model: 'gpt-test' });
      expect(event.id).toBe(events[0].id);
    }
    const deltas = events.slice(0, -1).map((event) => event.choices[0].delta);
    expect(deltas[0]).toEqual({ role: 'assistant', content: '', refusal: null });
    expect(deltas[1]).toEqual({ reasoning_content: 'Hmm' });
    expect(deltas.slice(2, 4)).toEqual([{ content: 'Hi' }, { content: ' you' }]);
    expect(deltas[4]).toEqual({
      tool_calls: [
        { index: 0, id: 'call_0_local', type: 'function', function: { name: 'get_weather', arguments: '' } },
      ],
    });
    const fragments = deltas
      .slice(5, -1)
      .map((delta: { tool_calls: { function: { arguments: string } }[] }) => {
        return delta.tool_calls[0]!.function.arguments;
      });
    expect(fragments.join('')).toBe('{"city":"Paris"}');
    expect(fragments.length).toBeGreaterThan(1);
    expect(events.at(-2).choices[0]).toEqual({
      index: 0,
      delta: {},
      logprobs: null,
      finish_reason: 'tool_calls',
    });
    expect(events.at(-1)).toMatchObject({
      choices: [],
      usage: { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 },
    });
    expect(events.slice(0, -1).every((event) => event.usage === null)).toBe(true);
  });

  it('sends no usage unless asked, spells reasoning as asked, and answers non-streaming requests', async () => {
    const server = await upstream([{ think: 'x', answer: 'ok', reasoningField: 'reasoning' }]);
    const events = data(await (await chat(server.url, { stream: true })).text())
      .slice(0, -1)
      .map((payload) => JSON.parse(payload));
    expect(events.some((event) => 'usage' in event)).toBe(false);
    expect(events[1].choices[0].delta).toEqual({ reasoning: 'x' });
    expect(events.at(-1).choices[0].finish_reason).toBe('stop');

    const completion = await (await chat(server.url, {})).json();
    expect(completion).toMatchObject({
      object: 'chat.completion',
      choices: [{ message: { role: 'assistant', content: 'ok', reasoning: 'x' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 2, completion_tokens: 2, total_tokens: 4 },
    });
  });

  it('records requests; the last reply repeats; a function can choose replies', async () => {
    const server = await upstream([{ answer: 'first' }, { answer: 'later' }]);
    const answers = [];
    for (let i = 0; i < 3; i++)
      answers.push((await (await chat(server.url, {})).json()).choices[0].message.content);
    expect(answers).toEqual(['first', 'later', 'later']);
    expect(server.requests.map((request) => request.path)).toEqual(Array(3).fill('/v1/chat/completions'));
    expect(server.requests[0]).toMatchObject({
      method: 'POST',
      completed: true,
      body: { model: 'gpt-test' },
    });

    const chooser = await upstream((request, index) => ({
      answer: `#${index} ${(request.body as { model: string }).model}`,
    }));
    expect((await (await chat(chooser.url, {})).json()).choices[0].message.content).toBe('#0 gpt-test');
  });

  it('refuses what the API refuses: a wrong key (masked in the message), a bad body, an unknown path', async () => {
    const server = await upstream([], { apiKey: 'sk-right' });
    const refused = await chat(server.url, {});
    expect(refused.status).toBe(401);
    const body = await refused.json();
    expect(body.error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_api_key' });
    expect(body.error.message).toMatch(/^Incorrect API key provided: \*\*\*\./);
    expect(body.error.message).not.toContain('sk-test');

    const open = await upstream();
    expect((await chat(open.url, { messages: [] })).status).toBe(400);
    expect((await chat(open.url, { stream_options: { include_usage: true } })).status).toBe(400);
    expect((await fetch(`${open.url}/completions`, { method: 'POST', body: '{}' })).status).toBe(404);
  });
  it('adds deltaExtras to think and answer deltas, and can omit the tool-call index', async () => {
    const server = await upstream([
      {
        think: 'x',
        answer: 'ok',
        reasoningField: 'reasoning',
        deltaExtras: { reasoning_content: '' },
        toolCalls: [
          { name: 'a', arguments: { n: 1 }, id: 'call_a' },
          { name: 'b', arguments: {}, id: 'call_b' },
        ],
        omitToolCallIndex: true,
      },
    ]);
    const events = data(await (await chat(server.url, { stream: true })).text())
      .slice(0, -1)
      .map((payload) => JSON.parse(payload));
    const deltas = events.map((event) => event.choices[0].delta);
    expect(deltas[1]).toEqual({ reasoning_content: '', reasoning: 'x' });
    expect(deltas[2]).toEqual({ reasoning_content: '', content: 'ok' });
    const calls = deltas.flatMap((delta) => delta.tool_calls ?? []);
    expect(calls.some((call: object) => 'index' in call)).toBe(false);
    expect(calls.filter((call: { id?: string }) => call.id).map((call: { id: string }) => call.id)).toEqual([
      'call_a',
      'call_b',
    ]);
    expect(calls.map((call: { function: { arguments: string } }) => call.function.arguments).join('')).toBe(
      '{"n":1}{}',
    );
  });
});

describe('startOpenAiUpstream: scripted faults', () => {
  it('answers an error status with the error body and retry-after', async () => {
    const server = await upstream([
      { status: 429, retryAfter: 1 },
      { status: 500, message: 'kaput' },
    ]);
    const limited = await chat(server.url, { stream: true });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect((await limited.json()).error).toMatchObject({ code: 'rate_limit_exceeded' });
    const failed = await chat(server.url, { stream: true });
    expect(failed.status).toBe(500);
    expect((await failed.json()).error).toEqual({
      message: 'kaput',
      type: 'server_error',
      param: null,
      code: null,
    });
  });

  it('errorAs200 sends the error body with HTTP 200, as some proxies do', async () => {
    const server = await upstream([
      { status: 429, message: 'quota', errorAs200: true },
      { errorAs200: true },
    ]);
    const limited = await chat(server.url, { stream: true });
    expect(limited.status).toBe(200);
    expect(limited.headers.get('content-type')).toBe('application/json');
    expect((await limited.json()).error).toMatchObject({ message: 'quota', code: 'rate_limit_exceeded' });
    const failed = await chat(server.url, { stream: true });
    expect(failed.status).toBe(200);
    expect((await failed.json()).error).toMatchObject({ type: 'server_error' });
  });

  it('drops the connection mid-stream after what was sent reached the client', async () => {
    const server = await upstream([{ answer: 'a b c', drop: 2 }]);
    const response = await chat(server.url, { stream: true });
    const reader = response.body!.getReader();
    let text = '';
    const error = await (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return undefined;
        text += new TextDecoder().decode(value);
      }
    })().catch((caught: unknown) => caught);
    expect(String((error as Error)?.message)).toMatch(/terminated/);
    expect(data(text)).toHaveLength(2);
    expect(text).not.toContain('[DONE]');
  });

  it('hangs (before the headers, or mid-stream) until the client leaves; openConnections tracks it', async () => {
    const server = await upstream([{ hang: 'headers' }, { answer: 'a b c', hang: 1 }]);
    await expect(chat(server.url, { stream: true }, { signal: AbortSignal.timeout(150) })).rejects.toThrow();
    await server.waitForIdle(1000);

    const controller = new AbortController();
    const response = await chat(server.url, { stream: true }, { signal: controller.signal });
    const reader = response.body!.getReader();
    await reader.read();
    expect(server.openConnections).toBe(1);
    controller.abort();
    await server.waitForIdle(1000);
    expect(server.openConnections).toBe(0);
    expect(server.requests.map((request) => request.completed)).toEqual([false, false]);
  });

  it('sends invalid JSON, ends early, or sends an in-stream error when told to', async () => {
    const server = await upstream([
      { answer: 'a b', invalidJson: 1 },
      { answer: 'a b', truncate: 2 },
      { answer: 'a b', streamError: 1, message: 'melted' },
    ]);
    const invalid = await (await chat(server.url, { stream: true })).text();
    expect(() =>
      data(invalid).map((payload) => (payload === '[DONE]' ? payload : JSON.parse(payload))),
    ).toThrow();
    const truncated = data(await (await chat(server.url, { stream: true })).text());
    expect(truncated).toHaveLength(2);
    const errored = data(await (await chat(server.url, { stream: true })).text());
    expect(JSON.parse(errored.at(-1)!)).toEqual({
      error: { message: 'melted', type: 'server_error', param: null, code: null },
    });
  });

  it('trickles events slowly', async () => {
    const server = await upstream([{ answer: 'a b c', delayMs: 40 }]);
    const started = performance.now();
    await (await chat(server.url, { stream: true })).text();
    expect(performance.now() - started).toBeGreaterThanOrEqual(40 * 5);
  });
});

describe('startOpenAiUpstream: embeddings', () => {
  it('answers floats or base64 float32, with dimensions, optionally last first', async () => {
    const server = await upstream([{ reverseEmbeddings: true }]);
    const post = (body: Record<string, unknown>) =>
      fetch(`${server.url}/embeddings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'emb', ...body }),
      }).then((response) => response.json());
    const floats = await post({ input: ['a', 'b c'], dimensions: 4 });
    expect(floats.data.map((item: { index: number }) => item.index)).toEqual([1, 0]);
    expect(floats.data[0].embedding).toHaveLength(4);
    const encoded = await post({ input: 'b c', dimensions: 4, encoding_format: 'base64' });
    const bytes = Buffer.from(encoded.data[0].embedding, 'base64');
    const decoded = Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, 4));
    for (const [slot, value] of decoded.entries())
      expect(value).toBeCloseTo(floats.data[0].embedding[slot], 6);
    expect(floats.usage).toEqual({ prompt_tokens: 3, total_tokens: 3 });
  });
});
