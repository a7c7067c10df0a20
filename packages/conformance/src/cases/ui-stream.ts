import * as aiV5 from 'ai-v5';
import * as aiV6 from 'ai-v6';
import { describe, expect, it } from 'vitest';
import { FLOW_ID, openStream, postJson, send } from '../client.js';
import type { SuiteContext } from '../harness.js';
import {
  expectAbortStopsModel,
  LONG_ANSWER,
  PROTOCOL_FLOWS,
  PROTOCOL_MODELS,
  SEARCH_RESULT,
} from '../protocol-flows.js';
import { flows, settles } from '../util.js';

// What these cases read of a UI message and its parts: the same shapes in AI SDK 5 and 6.
type UiPart = { type: string } & Record<string, unknown>;
interface UiMessage {
  id: string;
  role: string;
  metadata?: unknown;
  parts: UiPart[];
}
interface UiTransport {
  sendMessages(options: {
    chatId: string;
    messages: UiMessage[];
    trigger: 'submit-message';
    messageId: undefined;
    abortSignal: AbortSignal | undefined;
  }): Promise<ReadableStream<UiPart>>;
  reconnectToStream(options: { chatId: string }): Promise<ReadableStream<UiPart> | null>;
}
interface ReadOptions {
  onError?: (error: unknown) => void;
  terminateOnError?: boolean;
}

/** One release of the `ai` package, driven through its own `DefaultChatTransport` and `readUIMessageStream`. */
interface UiSdk {
  name: string;
  transport(api: string, options?: { body?: Record<string, unknown>; fetch?: typeof fetch }): UiTransport;
  read(stream: ReadableStream<UiPart>, options?: ReadOptions): AsyncIterable<UiMessage>;
}

// The casts only bridge the two releases' nominal types: each call runs that release's own code.
const SDKS: UiSdk[] = [
  {
    name: 'ai@5',
    transport: (api, options) => new aiV5.DefaultChatTransport({ api, ...options }) as unknown as UiTransport,
    read: (stream, options) =>
      aiV5.readUIMessageStream({ stream: stream as ReadableStream<aiV5.UIMessageChunk>, ...options }),
  },
  {
    name: 'ai@6',
    transport: (api, options) => new aiV6.DefaultChatTransport({ api, ...options }) as unknown as UiTransport,
    read: (stream, options) =>
      aiV6.readUIMessageStream({ stream: stream as ReadableStream<aiV6.UIMessageChunk>, ...options }),
  },
];

const config = (extra: Record<string, unknown> = {}) => ({
  ...extra,
  flow: flows({
    ...PROTOCOL_FLOWS,
    plain: { flow_content: 'StreamChatOp(llm="plain")', stream: true },
    idle: { flow_content: 'StreamChatOp(llm="idle")', stream: true },
  }),
  llm: {
    ...PROTOCOL_MODELS,
    plain: { backend: 'mock', think: 'Hmm', answer: 'Hello {input}!', usage: false },
    idle: { backend: 'mock', answer: 'pong', first_token_delay_ms: 1000 },
  },
});

const userMessage = (text: string, id = 'u1'): UiMessage => ({
  id,
  role: 'user',
  parts: [{ type: 'text', text }],
});

/** What useChat sends for one user message. */
const chatBody = (text: string, chatId = 'chat-1') => ({
  id: chatId,
  messages: [userMessage(text)],
  trigger: 'submit-message',
});

/** A fetch that keeps every response, so a case can read the headers the transport never shows. */
function recordingFetch(): { fetch: typeof fetch; responses: Response[] } {
  const responses: Response[] = [];
  return {
    responses,
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      responses.push(response);
      return response;
    },
  };
}

/** The last snapshot `readUIMessageStream` yields: the whole assistant message. */
async function finalMessage(sdk: UiSdk, stream: ReadableStream<UiPart>, options?: ReadOptions) {
  let last: UiMessage | undefined;
  for await (const message of sdk.read(stream, options)) last = message;
  if (!last) throw new Error('readUIMessageStream yielded no message');
  return last;
}

/** Sends one user message through `sdk`'s transport and returns the parts stream. */
function ask(transport: UiTransport, text: string, chatId = 'chat-1', abortSignal?: AbortSignal) {
  return transport.sendMessages({
    chatId,
    messages: [userMessage(text)],
    trigger: 'submit-message',
    messageId: undefined,
    abortSignal,
  });
}

/** Reads parts off `stream` until `done(parts)`; the reader stays locked (the stream goes on). */
async function readUntil(stream: ReadableStream<UiPart>, done: (parts: UiPart[]) => boolean) {
  const reader = stream.getReader();
  const parts: UiPart[] = [];
  while (!done(parts)) {
    const next = await settles(reader.read(), 'the next UI part');
    if (next.done) throw new Error(`the stream ended early: ${JSON.stringify(parts)}`);
    parts.push(next.value);
  }
  return { parts, reader };
}

/** Reads what is left of a stream `readUntil` started, after the `parts` it read. */
async function readRest(reader: ReadableStreamDefaultReader<UiPart>, parts: UiPart[]) {
  for (;;) {
    const next = await settles(reader.read(), 'the next UI part');
    if (next.done) return parts;
    parts.push(next.value);
  }
}

/** The `data:` payloads of a raw UI stream, checking each event is framed `data: …\n\n`. */
function rawParts(body: string): { parts: UiPart[]; done: boolean } {
  const events = body.split('\n\n');
  expect(events.pop()).toBe('');
  const payloads = events.filter((event) => !event.startsWith(':'));
  for (const event of payloads) expect(event.startsWith('data: ')).toBe(true);
  const done = payloads.at(-1) === 'data: [DONE]';
  const parts = payloads.slice(0, done ? -1 : undefined).map((event) => JSON.parse(event.slice(6)) as UiPart);
  return { parts, done };
}

const textOf = (message: UiMessage) =>
  message.parts
    .filter((part) => part.type === 'text')
    .map((part) => part.text)
    .join('');

/**
 * `POST /{flow}/ui`, the AI SDK's UI message stream, read by the real `ai` package (5 and 6) through
 * `DefaultChatTransport` and `readUIMessageStream`: text, reasoning, tool parts, usage, failures,
 * aborts, the raw wire, and `GET /{flow}/ui/{chatId}/stream` with and without resume.
 *
 * @example
 * // inside a describe, as runConformanceSuite registers the 'ui-stream' group:
 * uiStreamCases(useTarget(expressTarget(), ''));
 */
export function uiStreamCases(ctx: SuiteContext): void {
  describe('ui-stream (AI SDK UI message stream)', () => {
    describe.each(SDKS)('read by $name', (sdk) => {
      it('streams think as a reasoning part and the answer as a text part, with flow_id and usage as metadata', async () => {
        const { url } = await ctx.start(config());
        const recorder = recordingFetch();
        const transport = sdk.transport(`${url}/talk/ui`, { fetch: recorder.fetch });
        const message = await finalMessage(sdk, await ask(transport, 'hi'));
        expect(recorder.responses[0]!.headers.get('x-vercel-ai-ui-message-stream')).toBe('v1');
        expect(message.role).toBe('assistant');
        expect(message.parts).toEqual([
          { type: 'step-start' },
          expect.objectContaining({ type: 'reasoning', text: 'Let me see', state: 'done' }),
          expect.objectContaining({ type: 'text', text: 'Hello hi!', state: 'done' }),
        ]);
        const metadata = message.metadata as { flow_id: string; usage?: unknown };
        expect(metadata.flow_id).toMatch(FLOW_ID);
        expect(message.id).toEqual(expect.any(String));
        // The mock counts one prompt token ("hi") and six streamed ones (three think, three answer).
        expect(metadata.usage).toEqual({ inputTokens: 1, outputTokens: 6, totalTokens: 7 });
      });

      it('shows an offline agent’s tool call as a dynamic-tool part with its input and output, then the answer in a new step', async () => {
        const { url } = await ctx.start(config());
        const transport = sdk.transport(`${url}/agent/ui`);
        const message = await finalMessage(sdk, await ask(transport, 'find the page'));
        expect(message.parts.map((part) => part.type)).toEqual([
          'step-start',
          'dynamic-tool',
          'step-start',
          'text',
        ]);
        const tool = message.parts[1]!;
        expect(tool).toMatchObject({
          toolName: 'mock_search',
          toolCallId: 'call_mock_0',
          state: 'output-available',
          input: { query: 'the page' },
        });
        expect(JSON.parse(tool.output as string)).toEqual([{ ...SEARCH_RESULT, hostlogo: '' }]);
        expect(textOf(message)).toBe('Found it on example.com.');
      });

      it('extra body fields become flow input, checked like the FlowLLM route: a bad one fails the send with 422 naming it', async () => {
        const { url, llm } = await ctx.start(config());
        const refusal = async (body: Record<string, unknown>) => {
          const error = await ask(sdk.transport(`${url}/typed/ui`, { body }), 'hi').then(
            () => undefined,
            (reason: unknown) => reason as Error,
          );
          expect(error, JSON.stringify(body)).toBeInstanceOf(Error);
          return (JSON.parse(error!.message) as { detail: { type: string; loc: unknown[] }[] }).detail;
        };
        // A field of the flow's input_schema with the wrong type.
        const wrongType = await refusal({ top_k: 'many' });
        expect(wrongType.map((issue) => [issue.type, issue.loc])).toEqual([
          ['int_parsing', ['body', 'top_k']],
        ]);
        // A field the engine owns: refused as it is on POST /{flow}.
        const reserved = await refusal({ system_prompt: 'be brief' });
        expect(reserved.map((issue) => [issue.type, issue.loc])).toEqual([
          ['reserved', ['body', 'system_prompt']],
        ]);
        expect(llm().stats.started).toBe(0);
        const good = sdk.transport(`${url}/typed/ui`, { body: { top_k: 2, note: { kept: true } } });
        expect(textOf(await finalMessage(sdk, await ask(good, 'hi')))).toBe('Hello hi!');
      });

      it('a failure mid-stream reaches the client as an error part after the text so far', async () => {
        const { url } = await ctx.start(config());
        const transport = sdk.transport(`${url}/broken/ui`);
        const errors: unknown[] = [];
        const message = await finalMessage(sdk, await ask(transport, 'hi'), {
          onError: (error) => errors.push(error),
        });
        expect(textOf(message)).toBe('one two');
        expect(errors).toHaveLength(1);
        expect((errors[0] as Error).message).toContain('boom');
        // With terminateOnError the reader's loop throws it instead.
        const failing = finalMessage(sdk, await ask(transport, 'hi'), { terminateOnError: true });
        await expect(failing).rejects.toThrow(/boom/);
      });

      it('aborting the send (abortSignal) aborts the flow and its model on the server', async () => {
        const { url, llm, service, logs, hostErrors } = await ctx.start(config());
        const transport = sdk.transport(`${url}/long/ui`);
        const abort = new AbortController();
        const stream = await ask(transport, 'hi', 'chat-1', abort.signal);
        await readUntil(stream, (parts) => parts.some((part) => part.type === 'text-delta'));
        const stats = llm('long').stats;
        await expectAbortStopsModel(abort, stats, service);
        expect(logs.filter((line) => line.level === 'error')).toEqual([]);
        expect(hostErrors).toEqual([]);
      });

      it('reconnectToStream gets null (204) when resume is off', async () => {
        const { url } = await ctx.start(config());
        const transport = sdk.transport(`${url}/long/ui`);
        const stream = await ask(transport, 'hi', 'chat-off');
        await readUntil(stream, (parts) => parts.some((part) => part.type === 'text-delta'));
        // Even while the chat's stream is running.
        expect(await transport.reconnectToStream({ chatId: 'chat-off' })).toBeNull();
      });

      it('with resume on, a reconnect during the stream replays it from the start, then live, to the end', async () => {
        const { url, llm } = await ctx.start(config({ resume: { backend: 'memory' } }));
        const transport = sdk.transport(`${url}/long/ui`);
        const first = await ask(transport, 'hi', 'chat-resume');
        const { parts: seen, reader } = await readUntil(
          first,
          (parts) => parts.filter((part) => part.type === 'text-delta').length >= 3,
        );
        const stats = llm('long').stats;
        expect(stats.completed).toBe(0);
        const resumed = await transport.reconnectToStream({ chatId: 'chat-resume' });
        expect(resumed).not.toBeNull();
        const message = await finalMessage(sdk, resumed!);
        expect(textOf(message)).toBe(LONG_ANSWER);
        // The replay began at the first connection's start: the same assistant message.
        expect(message.id).toBe(seen[0]!.messageId);
        expect(stats.started).toBe(1);
        // The first connection got the whole answer too.
        const all = await readRest(reader, seen);
        expect(
          all
            .filter((part) => part.type === 'text-delta')
            .map((part) => part.delta)
            .join(''),
        ).toBe(LONG_ANSWER);
        // The chat has no running stream any more.
        expect(await transport.reconnectToStream({ chatId: 'chat-resume' })).toBeNull();
      });
    });

    it('frames each part as "data: {json}\\n\\n": start, start-step, reasoning-*, text-*, finish-step, finish, [DONE], with the UI stream headers', async () => {
      const { url } = await ctx.start(config());
      const reply = await postJson(url, '/plain/ui', chatBody('hi'));
      expect(reply.status).toBe(200);
      expect(reply.headers['content-type']).toMatch(/^text\/event-stream/);
      expect(reply.headers['x-vercel-ai-ui-message-stream']).toBe('v1');
      expect(reply.headers['x-accel-buffering']).toBe('no');
      expect(reply.headers['cache-control']).toContain('no-cache');
      expect(reply.headers['cache-control']).toContain('no-transform');
      const { parts, done } = rawParts(reply.body);
      expect(done).toBe(true);
      const messageId = parts[0]?.messageId;
      const flowId = (parts[0]?.messageMetadata as { flow_id?: string } | undefined)?.flow_id;
      expect(messageId).toEqual(expect.any(String));
      expect(flowId).toMatch(FLOW_ID);
      const think = parts[2]?.id;
      const text = parts[5]?.id;
      expect(think).toEqual(expect.any(String));
      expect(text).not.toBe(think);
      const expected = [
        { type: 'start', messageId, messageMetadata: { flow_id: flowId } },
        { type: 'start-step' },
        { type: 'reasoning-start', id: think },
        { type: 'reasoning-delta', id: think, delta: 'Hmm' },
        { type: 'reasoning-end', id: think },
        { type: 'text-start', id: text },
        { type: 'text-delta', id: text, delta: 'Hello' },
        { type: 'text-delta', id: text, delta: ' hi' },
        { type: 'text-delta', id: text, delta: '!' },
        { type: 'text-end', id: text },
        { type: 'finish-step' },
        { type: 'finish', finishReason: 'stop', messageMetadata: { flow_id: flowId } },
      ];
      expect(parts).toEqual(expected);
      // Byte for byte: one "data: " line per part, a blank line after each, [DONE] last.
      const events = expected.map((part) => `data: ${JSON.stringify(part)}\n\n`);
      expect(reply.body).toBe(`${events.join('')}data: [DONE]\n\n`);
    });

    it('ends a failed stream with error, then finish (finishReason error), then [DONE]', async () => {
      const { url } = await ctx.start(config());
      const reply = await postJson(url, '/broken/ui', chatBody('hi'));
      const { parts, done } = rawParts(reply.body);
      expect(done).toBe(true);
      const error = parts.findIndex((part) => part.type === 'error');
      expect(parts.slice(error)).toEqual([
        { type: 'error', errorText: expect.stringContaining('boom') },
        expect.objectContaining({ type: 'finish', finishReason: 'error' }),
      ]);
      const deltas = parts.filter((part) => part.type === 'text-delta').map((part) => part.delta);
      expect(deltas).toEqual(['one', ' two']);
    });

    it('sends ": ping" heartbeats while the flow is idle, which the AI SDK reads past', async () => {
      const { url } = await ctx.start(config({ http: { heartbeat: 0.05 } }));
      // The raw bytes and the SDK's reading of the same kind of stream, side by side.
      const client = openStream(url, '/idle/ui', { body: chatBody('hi') });
      const transport = SDKS[1]!.transport(`${url}/idle/ui`);
      const message = finalMessage(SDKS[1]!, await ask(transport, 'hi'));
      await settles(client.ended, 'the idle stream to end');
      const body = client.text();
      const beforeData = body.slice(0, body.indexOf('data:'));
      // ~20 are due before the token; a stalled event loop still lets 2 through.
      expect(beforeData.split(': ping\n\n').length - 1).toBeGreaterThanOrEqual(2);
      expect(beforeData.replaceAll(': ping\n\n', '')).toBe('');
      expect(rawParts(body).done).toBe(true);
      expect(textOf(await message)).toBe('pong');
    });

    it('GET /{flow}/ui/{chatId}/stream answers 204 with no body when resume is off', async () => {
      const { url } = await ctx.start(config());
      const reply = await send(url, '/talk/ui/chat-1/stream');
      expect(reply.status).toBe(204);
      expect(reply.body).toBe('');
    });
  });
}
