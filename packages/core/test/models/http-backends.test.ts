import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { apiKeyOf, type UpstreamScript } from '../../../testing/src/index.js';
import { BACKENDS, type BackendCase, closer, SECRET_KEY } from './helpers/backends.js';
import { post, RELAY_FLOW, sseChunks, startFlowServer, textOf } from './helpers/flow-server.js';

const DEMO_CONFIG = fileURLToPath(
  new URL('../../../../examples/standalone/my_stream_config.yaml', import.meta.url),
);
const resources = closer();
afterEach(() => resources.closeAll());

/** An upstream with `script` and a flow server whose `relay` flow calls it. */
async function serve(backend: BackendCase, script: UpstreamScript, extra: Record<string, unknown> = {}) {
  const upstream = resources.add(await backend.start(script));
  const server = resources.add(
    await startFlowServer({
      config: { flow: RELAY_FLOW, llm: { default: backend.entry(upstream.url, extra) } },
      env: backend.env,
    }),
  );
  return { upstream, server };
}

for (const backend of BACKENDS) {
  describe(`${backend.backend}: a stream flow through the HTTP service against its local upstream`, () => {
    it('streams think, answer, tool and usage chunks; sends the key, system prompt and tools upstream', async () => {
      const { upstream, server } = await serve(backend, [
        {
          think: 'Let me check.',
          answer: 'Looking it up.',
          toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' }, id: 'call_w1' }],
          usage: { prompt_tokens: 21, completion_tokens: 9 },
        },
      ]);
      const reply = await post(`${server.url}/relay`, { query: 'Weather in Paris?' });
      expect(reply.status).toBe(200);
      expect(reply.contentType).toContain('text/event-stream');
      const { chunks, done } = sseChunks(reply.body);
      expect(done).toBe(true);
      expect(textOf(chunks, 'think')).toBe('Let me check.');
      expect(textOf(chunks, 'answer')).toBe('Looking it up.');
      expect(chunks.filter((chunk) => chunk.chunk_type === 'answer').length).toBe(3);
      expect(chunks.filter((chunk) => chunk.chunk_type === 'tool').map((chunk) => chunk.chunk)).toEqual([
        {
          index: 0,
          id: 'call_w1',
          type: 'function',
          function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
        },
      ]);
      expect(chunks.filter((chunk) => chunk.chunk_type === 'usage').map((chunk) => chunk.chunk)).toEqual([
        { prompt_tokens: 21, completion_tokens: 9, total_tokens: 30 },
      ]);
      expect(chunks.some((chunk) => chunk.chunk_type === 'error')).toBe(false);
      // Think comes first, usage last.
      expect(chunks[0]?.chunk_type).toBe('think');
      expect(chunks.at(-1)?.chunk_type).toBe('usage');

      expect(upstream.requests).toHaveLength(1);
      const request = upstream.requests[0]!;
      const body = request.body as Record<string, unknown>;
      expect(body).toMatchObject({ model: backend.model, stream: true });
      if (backend.backend === 'openai_compatible') {
        expect(request.headers.authorization).toBe(`Bearer ${SECRET_KEY}`);
        expect(backend.systemPrompt(body)).toEqual({ role: 'system', content: 'You are terse.' });
        expect(body.stream_options).toEqual({ include_usage: true });
        expect((body.tools as unknown[])[0]).toMatchObject({
          type: 'function',
          function: { name: 'get_weather' },
        });
      } else {
        expect(apiKeyOf(request)).toBe(SECRET_KEY);
        expect(backend.systemPrompt(body)).toBe('You are terse.');
        expect(body.messages).toEqual([{ role: 'user', content: 'Weather in Paris?' }]);
        expect(body.max_tokens).toBe(4096);
        expect((body.tools as unknown[])[0]).toMatchObject({
          name: 'get_weather',
          input_schema: { type: 'object' },
        });
      }
    });

    it('runs the demo config (GenSystemPromptOp >> StreamChatOp) pointed at the upstream', async () => {
      const upstream = resources.add(
        await backend.start([
          { answer: '```prompt\nYou are a cheerful weather expert.\n```' },
          { think: 'Sunny, probably.', answer: 'It is sunny in Paris!' },
        ]),
      );
      const overrides =
        backend.backend === 'anthropic'
          ? [
              'llm.default.backend=anthropic',
              'llm.default.model_name=claude-test',
              `llm.default.base_url=${upstream.url}`,
            ]
          : [];
      const server = resources.add(
        await startFlowServer({
          config: DEMO_CONFIG,
          overrides,
          env: {
            ...backend.env,
            FLOW_LLM_BASE_URL: upstream.url,
            FLOW_EMBEDDING_API_KEY: 'sk-embedding',
          },
        }),
      );
      const reply = await post(`${server.url}/demo_stream_http_flow`, { query: 'Weather in Paris?' });
      const { chunks, done } = sseChunks(reply.body);
      expect(reply.status).toBe(200);
      expect(done).toBe(true);
      expect(textOf(chunks, 'think')).toBe('Sunny, probably.');
      expect(textOf(chunks, 'answer')).toBe('It is sunny in Paris!');
      expect(upstream.requests).toHaveLength(2);
      const second = upstream.requests[1]!.body as Record<string, unknown>;
      const system = backend.systemPrompt(second);
      expect(JSON.stringify(system)).toContain('You are a cheerful weather expert.');
      // The demo config's params reach the provider.
      expect(second.temperature).toBe(0.6);
    });
  });
}
