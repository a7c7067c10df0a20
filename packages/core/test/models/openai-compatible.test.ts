import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { OpenAiCompatibleLlm } from '../../src/models/openai-compatible-llm.js';
import { collect } from '../helpers/app.js';

const chunk = (delta: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  id: 'chatcmpl-1',
  object: 'chat.completion.chunk',
  created: 1,
  model: 'qwen-test',
  choices: [{ index: 0, delta, finish_reason: null }],
  ...extra,
});

const STREAM = [
  chunk({ role: 'assistant', reasoning_content: 'Let me think.' }),
  chunk({ content: 'Hel' }),
  chunk({ content: 'lo' }),
  chunk({
    tool_calls: [
      { index: 0, id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"ci' } },
    ],
  }),
  chunk({ tool_calls: [{ index: 0, function: { arguments: 'ty":"Paris"}' } }] }),
  {
    id: 'chatcmpl-1',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'qwen-test',
    choices: [],
    usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 },
  },
];

let server: Server | undefined;
afterEach(() => server?.close());

/** A local server speaking the chat completions streaming wire format. */
async function upstream(handler: (request: IncomingMessage, response: ServerResponse, body: string) => void) {
  const local = createServer((request, response) => {
    let body = '';
    request.on('data', (part) => {
      body += part;
    });
    request.on('end', () => handler(request, response, body));
  });
  server = local;
  await new Promise<void>((resolve) => local.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(local.address() as AddressInfo).port}/v1`;
}

describe('openai_compatible llm (official SDK against a local upstream)', () => {
  it('maps reasoning, content, accumulated tool calls and usage; sends params and the key', async () => {
    let seen: { body: Record<string, unknown>; auth: string | undefined } | undefined;
    const baseUrl = await upstream((request, response, body) => {
      seen = { body: JSON.parse(body), auth: request.headers.authorization };
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      for (const event of STREAM) response.write(`data: ${JSON.stringify(event)}\n\n`);
      response.end('data: [DONE]\n\n');
    });
    const llm = new OpenAiCompatibleLlm({
      model_name: 'qwen-test',
      params: { temperature: 0.6 },
      api_key: 'sk-local',
      base_url: baseUrl,
    });
    let opened = 0;
    const chunks = await collect(
      llm.stream([{ role: 'user', content: 'weather?' }], { onOpen: () => opened++, params: { top_p: 0.9 } }),
    );
    expect(chunks).toEqual([
      { chunk_type: 'think', chunk: 'Let me think.' },
      { chunk_type: 'answer', chunk: 'Hel' },
      { chunk_type: 'answer', chunk: 'lo' },
      { chunk_type: 'usage', chunk: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 } },
      {
        chunk_type: 'tool',
        chunk: {
          index: 0,
          id: 'call_1',
          type: 'function',
          function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
        },
      },
    ]);
    expect(opened).toBe(1);
    expect(seen?.auth).toBe('Bearer sk-local');
    expect(seen?.body).toMatchObject({
      model: 'qwen-test',
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0.6,
      top_p: 0.9,
    });
  });

  it('an upstream error names the provider, model and status, never the key', async () => {
    const baseUrl = await upstream((_request, response) => {
      response.writeHead(401, { 'content-type': 'application/json' });
      response.end('{"error":{"message":"Incorrect API key provided","type":"invalid_request_error"}}');
    });
    const llm = new OpenAiCompatibleLlm({
      model_name: 'qwen-test',
      params: {},
      api_key: 'sk-very-secret-key',
      base_url: baseUrl,
    });
    const error = await collect(llm.stream([{ role: 'user', content: 'x' }])).catch(
      (caught: unknown) => caught as Error,
    );
    expect(String((error as Error).message)).toMatch(
      /^openai_compatible model qwen-test: request failed \(HTTP 401\): .*Incorrect API key/,
    );
    expect(String((error as Error).message)).not.toContain('sk-very-secret-key');
  });

  it('aborting closes the upstream connection', async () => {
    let closed = false;
    const baseUrl = await upstream((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(`data: ${JSON.stringify(chunk({ content: 'first' }))}\n\n`);
      response.on('close', () => {
        closed = true;
      });
    });
    const llm = new OpenAiCompatibleLlm({ model_name: 'm', params: {}, api_key: 'k', base_url: baseUrl });
    const controller = new AbortController();
    const seen: unknown[] = [];
    await expect(async () => {
      for await (const part of llm.stream([{ role: 'user', content: 'x' }], { signal: controller.signal })) {
        seen.push(part.chunk);
        controller.abort(new Error('client left'));
      }
    }).rejects.toThrow('client left');
    expect(seen).toEqual(['first']);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(closed).toBe(true);
  });
});
