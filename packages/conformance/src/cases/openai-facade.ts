import OpenAI, { APIError, AuthenticationError, BadRequestError, NotFoundError } from 'openai';
import { describe, expect, it } from 'vitest';
import { send } from '../client.js';
import type { SuiteContext } from '../harness.js';
import { expectAbortStopsModel, PROTOCOL_FLOWS, PROTOCOL_MODELS } from '../protocol-flows.js';
import { HOST } from '../types.js';
import { flows } from '../util.js';

const FLOWS = flows({
  ...PROTOCOL_FLOWS,
  chat: 'ChatOp()',
  caller: { flow_content: 'StreamChatOp(llm="caller")', stream: true },
});

/** The flows and models, with the facade enabled with `facade`'s settings (null: left at its default, off). */
const config = (facade: Record<string, unknown> | null = {}) => ({
  ...(facade && { openai_facade: { enabled: true, ...facade } }),
  flow: FLOWS,
  llm: {
    ...PROTOCOL_MODELS,
    // A model that only asks for a tool: the flow ends on a call that the caller is to run.
    caller: {
      backend: 'mock',
      answer: '',
      tool_calls: [{ name: 'get_weather', arguments: { city: 'Paris' } }],
    },
  },
});

/** The real SDK pointed at the facade; no retries, so an error is the server's first answer. */
const openai = (url: string, apiKey = 'sk-any') =>
  new OpenAI({ apiKey, baseURL: `${url}/v1`, maxRetries: 0 });

const hi = [{ role: 'user' as const, content: 'hi' }];

/** What `promise` rejected with (fails the test if it resolved). */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
    },
    (reason: unknown) => reason,
  );
}

// The mock counts one prompt token ("hi") and six streamed ones (three think, three answer).
const TALK_USAGE = { prompt_tokens: 1, completion_tokens: 6, total_tokens: 7 };

/**
 * The OpenAI-compatible Chat Completions facade (`openai_facade`), driven by the real `openai` SDK:
 * models, completions with and without streaming, the stream helper, agent tool calls, errors by
 * class, API keys, failures and aborts mid-stream.
 *
 * @example
 * // inside a describe, as runConformanceSuite registers the 'openai-facade' group:
 * openaiFacadeCases(useTarget(expressTarget(), ''));
 */
export function openaiFacadeCases(ctx: SuiteContext): void {
  describe('openai-facade (OpenAI-compatible Chat Completions)', () => {
    it('models.list() lists every flow as a model; models.retrieve() one, or NotFoundError', async () => {
      const { url } = await ctx.start(config());
      const client = openai(url);
      const models = [];
      for await (const model of client.models.list()) models.push(model);
      expect(models.map((model) => model.id).sort()).toEqual(Object.keys(FLOWS).sort());
      for (const model of models) {
        expect(model).toMatchObject({ object: 'model', owned_by: 'flowllm', created: expect.any(Number) });
      }
      expect((await client.models.retrieve('talk')).id).toBe('talk');
      const missing = await rejection(client.models.retrieve('nope'));
      expect(missing).toBeInstanceOf(NotFoundError);
    });

    it('create() without stream: content, reasoning_content, finish_reason and usage, for stream and sync flows', async () => {
      const { url } = await ctx.start(config());
      const client = openai(url);
      const completion = await client.chat.completions.create({ model: 'talk', messages: hi });
      expect(completion.object).toBe('chat.completion');
      expect(completion.model).toBe('talk');
      const choice = completion.choices[0]!;
      expect(choice.message.role).toBe('assistant');
      expect(choice.message.content).toBe('Hello hi!');
      // A vendor field the SDK's types do not know of.
      expect((choice.message as unknown as { reasoning_content?: string }).reasoning_content).toBe(
        'Let me see',
      );
      expect(choice.finish_reason).toBe('stop');
      expect(completion.usage).toMatchObject(TALK_USAGE);
      const sync = await client.chat.completions.create({ model: 'chat', messages: hi });
      expect(sync.choices[0]!.message.content).toBe('Hello hi!');
      expect(sync.choices[0]!.finish_reason).toBe('stop');
      expect(sync.usage).toMatchObject(TALK_USAGE);
    });

    it('create({stream: true}) with include_usage: the role first, the deltas join to the answer, usage last', async () => {
      const { url } = await ctx.start(config());
      const stream = await openai(url).chat.completions.create({
        model: 'talk',
        messages: hi,
        stream: true,
        stream_options: { include_usage: true },
      });
      const chunks = [];
      for await (const chunk of stream) chunks.push(chunk);
      expect(chunks.every((chunk) => chunk.object === 'chat.completion.chunk')).toBe(true);
      expect(new Set(chunks.map((chunk) => chunk.id)).size).toBe(1);
      expect(chunks[0]!.choices[0]!.delta.role).toBe('assistant');
      const deltas = chunks.flatMap((chunk) => chunk.choices.map((choice) => choice.delta));
      expect(deltas.map((delta) => delta.content ?? '').join('')).toBe('Hello hi!');
      const reasoning = deltas.map(
        (delta) => (delta as { reasoning_content?: string }).reasoning_content ?? '',
      );
      expect(reasoning.join('')).toBe('Let me see');
      const last = chunks.at(-1)!;
      expect(last.choices).toEqual([]);
      expect(last.usage).toMatchObject(TALK_USAGE);
      const finishes = chunks.flatMap((chunk) => chunk.choices.map((choice) => choice.finish_reason));
      expect(finishes.filter((reason) => reason !== null && reason !== undefined)).toEqual(['stop']);
      expect(chunks.at(-2)!.choices[0]!.finish_reason).toBe('stop');
      // A sync flow streams too: its whole answer as one delta.
      const sync = await openai(url).chat.completions.create({ model: 'chat', messages: hi, stream: true });
      const syncChunks = [];
      for await (const chunk of sync) syncChunks.push(chunk);
      expect(syncChunks[0]!.choices[0]!.delta.role).toBe('assistant');
      expect(syncChunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe('Hello hi!');
      expect(syncChunks.at(-1)!.choices[0]!.finish_reason).toBe('stop');
    });

    it('chat.completions.stream() accumulates without complaint: finalChatCompletion() has role, content and finish_reason', async () => {
      const { url } = await ctx.start(config());
      const runner = openai(url).chat.completions.stream({ model: 'talk', messages: hi });
      const contents: string[] = [];
      runner.on('content', (delta) => contents.push(delta));
      const final = await runner.finalChatCompletion();
      expect(contents.join('')).toBe('Hello hi!');
      expect(final.choices[0]!.message).toMatchObject({ role: 'assistant', content: 'Hello hi!' });
      expect(final.choices[0]!.finish_reason).toBe('stop');
    });

    it('an agent’s tool calls arrive as tool_calls (id, function name, arguments), streamed and not', async () => {
      const { url } = await ctx.start(config());
      const client = openai(url);
      const ask = { model: 'agent', messages: [{ role: 'user' as const, content: 'find the page' }] };
      const expected = {
        id: 'call_mock_0',
        type: 'function',
        function: { name: 'mock_search', arguments: '{"query":"the page"}' },
      };
      const runner = client.chat.completions.stream(ask);
      const final = await runner.finalChatCompletion();
      const message = final.choices[0]!.message;
      expect(message.tool_calls).toEqual([expected]);
      expect(message.content).toBe('Found it on example.com.');
      // The agent ran its tool and answered after it: the turn is over.
      expect(final.choices[0]!.finish_reason).toBe('stop');
      const whole = await client.chat.completions.create(ask);
      expect(whole.choices[0]!.message.tool_calls).toEqual([expected]);
      expect(whole.choices[0]!.message.content).toBe('Found it on example.com.');
    });

    it('a flow that ends on a tool call nothing ran: finish_reason tool_calls, the call whole in one fragment', async () => {
      const { url } = await ctx.start(config());
      const client = openai(url);
      const ask = { model: 'caller', messages: [{ role: 'user' as const, content: 'weather in Paris?' }] };
      const stream = await client.chat.completions.create({ ...ask, stream: true });
      const chunks = [];
      for await (const chunk of stream) chunks.push(chunk);
      const fragments = chunks.flatMap((chunk) =>
        chunk.choices.flatMap((choice) => choice.delta.tool_calls ?? []),
      );
      expect(fragments).toEqual([
        {
          index: 0,
          id: 'call_mock_0',
          type: 'function',
          function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
        },
      ]);
      expect(chunks.at(-1)!.choices[0]!.finish_reason).toBe('tool_calls');
      const final = await client.chat.completions.stream(ask).finalChatCompletion();
      expect(final.choices[0]!.finish_reason).toBe('tool_calls');
      expect(final.choices[0]!.message.tool_calls).toEqual([
        {
          id: 'call_mock_0',
          type: 'function',
          function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
        },
      ]);
    });

    it('errors by class: an unknown model → NotFoundError, a bad field → BadRequestError naming it', async () => {
      const { url, llm } = await ctx.start(config());
      const client = openai(url);
      const unknown = await rejection(client.chat.completions.create({ model: 'nope', messages: hi }));
      expect(unknown).toBeInstanceOf(NotFoundError);
      expect(unknown).toMatchObject({ status: 404, code: 'model_not_found', type: expect.any(String) });
      // top_k is a field of the flow's input_schema, sent as an extra body field.
      const bad = await rejection(
        client.chat.completions.create({ model: 'typed', messages: hi, top_k: 'many' } as never),
      );
      expect(bad).toBeInstanceOf(BadRequestError);
      expect(bad).toMatchObject({ status: 400, param: 'top_k', type: 'invalid_request_error' });
      expect(llm().stats.started).toBe(0);
      const good = await client.chat.completions.create({ model: 'typed', messages: hi, top_k: 2 } as never);
      expect(good.choices[0]!.message.content).toBe('Hello hi!');
      // Any other path below the facade is the facade's: OpenAI's 404, on every adapter.
      const other = await send(url, '/v1/embeddings', { method: 'POST' });
      expect(other.status).toBe(404);
      expect(JSON.parse(other.body).error).toMatchObject({ code: 'unknown_url' });
    });

    it('with api_keys, a wrong or missing key → AuthenticationError (401), the right key works', async () => {
      const { url } = await ctx.start(config({ api_keys: ['sk-right'] }));
      const wrong = await rejection(openai(url, 'sk-wrong').models.list());
      expect(wrong).toBeInstanceOf(AuthenticationError);
      expect(wrong).toMatchObject({ status: 401, code: 'invalid_api_key' });
      const missing = await send(url, '/v1/models');
      expect(missing.status).toBe(401);
      const completion = await openai(url, 'sk-right').chat.completions.create({
        model: 'talk',
        messages: hi,
      });
      expect(completion.choices[0]!.message.content).toBe('Hello hi!');
    });

    it('off by default: the SDK gets the host’s own 404, not one of the facade’s', async () => {
      const { url, llm } = await ctx.start(config(null));
      const error = await rejection(openai(url).chat.completions.create({ model: 'talk', messages: hi }));
      expect(error).toBeInstanceOf(NotFoundError);
      // The facade would have sent {error: {...}}; the host's body has none.
      expect((error as NotFoundError).error).toBeUndefined();
      const raw = await send(url, '/v1/models');
      expect(raw.status).toBe(HOST.notFound.status);
      expect(raw.body).toBe(HOST.notFound.body);
      expect(llm().stats.started).toBe(0);
    });

    it('a failure mid-stream makes the SDK’s iterator throw an APIError after the content so far', async () => {
      const { url } = await ctx.start(config());
      const stream = await openai(url).chat.completions.create({
        model: 'broken',
        messages: hi,
        stream: true,
      });
      let content = '';
      const error = await rejection(
        (async () => {
          for await (const chunk of stream) content += chunk.choices[0]?.delta.content ?? '';
        })(),
      );
      expect(error).toBeInstanceOf(APIError);
      expect((error as APIError).message).toContain('boom');
      expect((error as APIError).type).toBe('server_error');
      expect(content).toBe('one two');
    });

    it('aborting the request (AbortController) aborts the flow and its model on the server', async () => {
      const { url, llm, service, hostErrors } = await ctx.start(config());
      const abort = new AbortController();
      const stream = await openai(url).chat.completions.create(
        { model: 'long', messages: hi, stream: true },
        { signal: abort.signal },
      );
      const stats = llm('long').stats;
      // The role chunk comes first: read on to the first words.
      for await (const chunk of stream) if (chunk.choices[0]?.delta.content) break;
      await expectAbortStopsModel(abort, stats, service);
      expect(hostErrors).toEqual([]);
    });
  });
}
