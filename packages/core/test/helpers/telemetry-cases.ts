// The telemetry behaviour every serving path must show, with the real OpenTelemetry SDK registered and
// a faithful OpenAI upstream: the Node path runs it in core, an adapter in its own package.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Histogram } from '@opentelemetry/sdk-metrics';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startOpenAiUpstream, type UpstreamReply } from '../../../testing/src/index.js';
import corePackage from '../../package.json' with { type: 'json' };
import { createFlowApp } from '../../src/create-flow-app.js';
import type { FlowApp } from '../../src/engine/flow-app.js';
import type { FlowService } from '../../src/http/service.js';
import { createFlowService } from '../../src/http/service-source.js';
import { closer, SECRET_KEY } from '../models/helpers/backends.js';
import { post, sseChunks } from '../models/helpers/flow-server.js';
import { type OtelSdk, parentIdOf, registerOtelSdk } from './otel-sdk.js';
import { recordingLogger } from './recording-logger.js';
import { waitUntil } from './wait.js';

/** Serves a service on port 0 behind {@link withServerSpan}; `close` stops it. */
export type ServeWithSpans = (service: FlowService) => Promise<{ url: string; close(): Promise<void> }>;

/**
 * Runs `handle` inside a SERVER span, as a host's HTTP instrumentation would: the span every run of
 * the request must hang below.
 */
export function withServerSpan(request: IncomingMessage, response: ServerResponse, handle: () => void): void {
  const span = trace.getTracer('test-http').startSpan(`HTTP ${request.method}`, { kind: SpanKind.SERVER });
  response.on('close', () => span.end());
  context.with(trace.setSpan(context.active(), span), handle);
}

const FLOWS = {
  ask: { flow_content: 'ChatOp()' },
  chat: { flow_content: 'StreamChatOp()', stream: true },
  agent: { flow_content: 'ReactAgentOp(tool_call_interval=0) << [ThinkToolOp()]', stream: true },
  // A flow timeout far below the model's own (30 s).
  slow: { flow_content: 'StreamChatOp()', stream: true, timeout: 0.2 },
};

function histogramSum(
  points: { attributes: Record<string, unknown>; value: unknown }[],
  match: Record<string, unknown>,
) {
  return points
    .filter((point) => Object.entries(match).every(([key, value]) => point.attributes[key] === value))
    .reduce((sum, point) => sum + (point.value as Histogram).sum!, 0);
}

function counterValue(
  points: { attributes: Record<string, unknown>; value: unknown }[],
  match: Record<string, unknown>,
) {
  return points
    .filter((point) => Object.entries(match).every(([key, value]) => point.attributes[key] === value))
    .reduce((sum, point) => sum + (point.value as number), 0);
}

/**
 * An app whose `default` llm is the OpenAI upstream at `url` (with request params), serving the flows
 * `ask` (sync ChatOp), `chat` (StreamChatOp) and `agent` (ReactAgentOp with ThinkToolOp).
 */
export function upstreamApp(url: string, telemetry: Record<string, unknown>): FlowApp {
  return createFlowApp({
    config: {
      llm: {
        default: {
          backend: 'openai_compatible',
          model_name: 'gpt-test',
          base_url: url,
          retry_delay: 0.01,
          timeout: 30,
          params: { temperature: 0.2, max_tokens: 64 },
        },
      },
      flow: FLOWS,
      telemetry,
    },
    env: { FLOW_LLM_API_KEY: SECRET_KEY },
  });
}

/** The telemetry cases, served by `serve`. */
export function telemetryCases(label: string, serve: ServeWithSpans): void {
  describe(`OpenTelemetry GenAI spans and metrics (${label})`, () => {
    let sdk: OtelSdk;
    const resources = closer();
    beforeAll(() => {
      sdk = registerOtelSdk();
    });
    afterAll(() => sdk.shutdown());
    beforeEach(() => sdk.resetSpans());
    afterEach(() => resources.closeAll());

    async function start(script: UpstreamReply[], telemetry: Record<string, unknown> = {}) {
      const upstream = resources.add(await startOpenAiUpstream(script));
      const app = upstreamApp(upstream.url, telemetry);
      const { logger, entries } = recordingLogger();
      const service = createFlowService(app, { logger });
      const server = resources.add(await serve(service));
      return { upstream, url: server.url, entries, service, app };
    }

    /** Waits until the run's flow span has ended (spans end after the response on a busy machine). */
    async function flowSpan(flow: string): Promise<ReadableSpan> {
      await waitUntil(() => sdk.spans().some((span) => span.name === `invoke_workflow ${flow}`));
      return sdk.span(`invoke_workflow ${flow}`);
    }

    const childrenOf = (parent: ReadableSpan) =>
      sdk.spans().filter((span) => parentIdOf(span) === parent.spanContext().spanId);

    it('a sync flow: invoke_workflow under the HTTP span, op ChatOp, chat gpt-test with usage; token metrics', async () => {
      const tokensBefore = await sdk.points('gen_ai.client.token.usage');
      const { url } = await start([
        { answer: 'Hello there', usage: { prompt_tokens: 7, completion_tokens: 2 } },
      ]);
      const reply = await post(`${url}/ask`, { query: 'hi' });
      expect(reply.status).toBe(200);
      const flow = await flowSpan('ask');
      const http = sdk.span('HTTP POST');
      expect(parentIdOf(flow)).toBe(http.spanContext().spanId);
      expect(flow.spanContext().traceId).toBe(http.spanContext().traceId);
      expect(flow.kind).toBe(SpanKind.INTERNAL);
      expect(flow.instrumentationScope).toEqual({
        name: 'flowllm',
        version: corePackage.version,
        schemaUrl: undefined,
      });
      expect(flow.attributes).toMatchObject({
        'gen_ai.operation.name': 'invoke_workflow',
        'gen_ai.workflow.name': 'ask',
        'flowllm.run.end_cause': 'completed',
        'flowllm.run.stream': false,
      });
      const [op] = childrenOf(flow);
      expect(op?.name).toBe('op ChatOp');
      expect(op?.attributes['flowllm.op.name']).toBe('chat_op');
      const [chat] = childrenOf(op as ReadableSpan);
      expect(chat?.name).toBe('chat gpt-test');
      expect(chat?.kind).toBe(SpanKind.CLIENT);
      expect(chat?.attributes).toMatchObject({
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-test',
        // ChatOp asks for the whole answer (`llm.chat`): not a stream, so no time to first chunk.
        'gen_ai.request.stream': false,
        'gen_ai.request.temperature': 0.2,
        'gen_ai.request.max_tokens': 64,
        'gen_ai.usage.input_tokens': 7,
        'gen_ai.usage.output_tokens': 2,
        'gen_ai.response.finish_reasons': ['stop'],
      });
      expect(chat?.attributes['gen_ai.response.time_to_first_chunk']).toBeUndefined();
      // Content is opt-in: nothing of the prompt or the answer by default.
      expect(chat?.attributes['gen_ai.input.messages']).toBeUndefined();
      expect(chat?.attributes['gen_ai.output.messages']).toBeUndefined();
      const tokens = await sdk.points('gen_ai.client.token.usage');
      const model = { 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-test' };
      const delta = (type: string) =>
        histogramSum(tokens, { ...model, 'gen_ai.token.type': type }) -
        histogramSum(tokensBefore, { ...model, 'gen_ai.token.type': type });
      expect(delta('input')).toBe(7);
      expect(delta('output')).toBe(2);
      const runs = await sdk.points('flowllm.runs');
      expect(
        counterValue(runs, { 'gen_ai.workflow.name': 'ask', 'flowllm.run.end_cause': 'completed' }),
      ).toBe(1);
    });

    it('a stream flow: time to first chunk on the chat span, server first byte and token, event rate, open streams back to 0', async () => {
      const { url } = await start([
        { answer: ['Hel', 'lo', ' there'], usage: { prompt_tokens: 3, completion_tokens: 3 } },
      ]);
      const reply = await post(`${url}/chat`, { query: 'hi' });
      const { chunks, done } = sseChunks(reply.body);
      expect(done).toBe(true);
      const flow = await flowSpan('chat');
      expect(parentIdOf(flow)).toBe(sdk.span('HTTP POST').spanContext().spanId);
      expect(flow.attributes['flowllm.stream.events']).toBe(chunks.length);
      const chat = sdk.span('chat gpt-test');
      expect(parentIdOf(chat)).toBe(sdk.span('op StreamChatOp').spanContext().spanId);
      expect(chat.attributes['gen_ai.request.stream']).toBe(true);
      expect(chat.attributes['gen_ai.response.time_to_first_chunk']).toBeGreaterThan(0);
      expect(chat.status.code).toBe(SpanStatusCode.UNSET);
      const flowAttrs = { 'gen_ai.workflow.name': 'chat' };
      const count = async (name: string) =>
        (await sdk.points(name))
          .filter((point) => point.attributes['gen_ai.workflow.name'] === 'chat')
          .reduce((sum, point) => sum + (point.value as Histogram).count, 0);
      expect(await count('flowllm.server.time_to_first_byte')).toBe(1);
      expect(await count('flowllm.server.time_to_first_token')).toBe(1);
      expect(await count('flowllm.server.stream.event_rate')).toBe(1);
      expect(counterValue(await sdk.points('flowllm.server.open_streams'), flowAttrs)).toBe(0);
      const ttfc = await sdk.points('gen_ai.client.operation.time_to_first_chunk');
      expect(ttfc.reduce((sum, point) => sum + (point.value as Histogram).count, 0)).toBeGreaterThanOrEqual(
        1,
      );
    });

    it('an agent with two tool calls: two chat spans and two execute_tool spans below the agent op', async () => {
      const { url } = await start([
        {
          toolCalls: [
            { name: 'think_tool', arguments: { reflection: 'first' }, id: 'call_a' },
            { name: 'think_tool', arguments: { reflection: 'second' }, id: 'call_b' },
          ],
        },
        { answer: 'Done.' },
      ]);
      const reply = await post(`${url}/agent`, { query: 'think twice' });
      expect(sseChunks(reply.body).done).toBe(true);
      const flow = await flowSpan('agent');
      const [agent] = childrenOf(flow);
      expect(agent?.name).toBe('op ReactAgentOp');
      const below = childrenOf(agent as ReadableSpan);
      const chats = below.filter((span) => span.name === 'chat gpt-test');
      // The first call asked for the tools, the second answered.
      expect(chats.map((span) => span.attributes['gen_ai.response.finish_reasons']).sort()).toEqual([
        ['stop'],
        ['tool_calls'],
      ]);
      const tools = below.filter((span) => span.name === 'execute_tool think_tool');
      expect(tools.map((span) => span.attributes['gen_ai.tool.call.id']).sort()).toEqual([
        'call_a',
        'call_b',
      ]);
      for (const tool of tools) {
        expect(tool.attributes).toMatchObject({
          'gen_ai.operation.name': 'execute_tool',
          'gen_ai.tool.name': 'think_tool',
        });
        // The tool's own op runs below its call; the arguments stay off without record_content.
        expect(childrenOf(tool).map((span) => span.name)).toEqual(['op ThinkToolOp']);
        expect(tool.attributes['gen_ai.tool.call.arguments']).toBeUndefined();
      }
    });

    it('a tool name the model made up (300 characters): execute_tool _OTHER with error.type, the name nowhere in spans or timeline', async () => {
      const invented = `invented_${'z'.repeat(291)}`;
      const { url, app } = await start(
        [{ toolCalls: [{ name: invented, arguments: {}, id: 'call_x' }] }, { answer: 'Sorry.' }],
        { timeline: true },
      );
      const reply = await post(`${url}/agent`, { query: 'use a tool' });
      const { chunks, done } = sseChunks(reply.body);
      expect(done).toBe(true);
      await flowSpan('agent');
      const tool = sdk.span('execute_tool _OTHER');
      expect(parentIdOf(tool)).toBe(sdk.span('op ReactAgentOp').spanContext().spanId);
      expect(tool.attributes).toMatchObject({
        'gen_ai.operation.name': 'execute_tool',
        'gen_ai.tool.name': '_OTHER',
        'flowllm.tool.unknown': true,
        'error.type': 'tool_not_found',
      });
      expect(tool.status.code).toBe(SpanStatusCode.ERROR);
      // Without record_content the model's text is nowhere, not even its start.
      expect(tool.attributes['flowllm.tool.requested_name']).toBeUndefined();
      const spans = JSON.stringify(sdk.spans().map((span) => [span.name, span.attributes, span.events]));
      expect(spans).not.toContain('invented_');
      const flowId = String((chunks[0] as { flow_id?: string }).flow_id);
      const timeline = app.resources.telemetry?.timelines?.get(flowId)?.toJSON();
      expect(timeline?.spans.map((span) => span.name)).toContain('execute_tool _OTHER');
      expect(JSON.stringify(timeline)).not.toContain('invented_');
      expect(timeline?.spans.find((span) => span.kind === 'tool')?.status).toBe('error');
    });

    it('an agent tool call with bad arguments: its span fails with error.type invalid_tool_arguments', async () => {
      const { url } = await start([
        { toolCalls: [{ name: 'think_tool', arguments: { wrong: 1 }, id: 'call_bad' }] },
        { answer: 'Ok.' },
      ]);
      const reply = await post(`${url}/agent`, { query: 'think' });
      expect(sseChunks(reply.body).done).toBe(true);
      await flowSpan('agent');
      const tool = sdk.span('execute_tool think_tool');
      expect(tool.attributes['error.type']).toBe('invalid_tool_arguments');
      expect(tool.status.code).toBe(SpanStatusCode.ERROR);
    });

    it('record_content: true names the unknown tool the model asked for, cut to 128 characters', async () => {
      const invented = `invented_${'z'.repeat(291)}`;
      const { url } = await start(
        [{ toolCalls: [{ name: invented, arguments: {}, id: 'call_x' }] }, { answer: 'Sorry.' }],
        { record_content: true },
      );
      const reply = await post(`${url}/agent`, { query: 'use a tool' });
      expect(sseChunks(reply.body).done).toBe(true);
      await flowSpan('agent');
      const requested = String(sdk.span('execute_tool _OTHER').attributes['flowllm.tool.requested_name']);
      expect(requested.startsWith('invented_zzz')).toBe(true);
      expect(requested.length).toBe(128);
    });

    it('a client that leaves: spans end with client_gone and no error status; runs and tokens-after-client-gone counted', async () => {
      const words = Array.from({ length: 400 }, (_, index) => `w${index} `);
      const { upstream, url } = await start([{ answer: words, delayMs: 5 }]);
      await post(`${url}/chat`, { query: 'go on' }, (body, destroy) => {
        if (body.includes('"answer"')) destroy();
      });
      const flow = await flowSpan('chat');
      expect(flow.attributes['flowllm.run.end_cause']).toBe('client_gone');
      expect(flow.status.code).toBe(SpanStatusCode.UNSET);
      await waitUntil(() => sdk.spans().some((span) => span.name === 'chat gpt-test'));
      const chat = sdk.span('chat gpt-test');
      expect(chat.attributes['flowllm.run.end_cause']).toBe('client_gone');
      expect(chat.status.code).toBe(SpanStatusCode.UNSET);
      await upstream.waitForIdle(10_000);
      const runs = await sdk.points('flowllm.runs');
      expect(
        counterValue(runs, { 'gen_ai.workflow.name': 'chat', 'flowllm.run.end_cause': 'client_gone' }),
      ).toBe(1);
      const after = await sdk.points('flowllm.tokens.after_client_gone');
      const wasted = counterValue(after, { 'gen_ai.workflow.name': 'chat' });
      expect(after.length).toBeGreaterThan(0);
      // The abort closes the upstream read: at most what was already in flight arrives after it.
      expect(wasted).toBeGreaterThanOrEqual(0);
      expect(wasted).toBeLessThan(words.length / 2);
    });

    it('an upstream error: the chat span and the run fail with error.type, the log line carries the trace id', async () => {
      const durationBefore = await sdk.points('gen_ai.client.operation.duration');
      const { url, entries } = await start([{ status: 401, message: 'bad key' }]);
      const reply = await post(`${url}/chat`, { query: 'hi' });
      // A provider refusing our key is a bad gateway for our client.
      expect(reply.status).toBe(502);
      const flow = await flowSpan('chat');
      expect(flow.status.code).toBe(SpanStatusCode.ERROR);
      expect(flow.attributes).toMatchObject({
        'flowllm.run.end_cause': 'error',
        'error.type': 'FLOWLLM_MODEL_AUTH',
      });
      const chat = sdk.span('chat gpt-test');
      expect(chat.status.code).toBe(SpanStatusCode.ERROR);
      expect(chat.attributes['error.type']).toBe('FLOWLLM_MODEL_AUTH');
      // No provider text and no key on spans.
      const everything = JSON.stringify(
        sdk.spans().map((span) => [span.attributes, span.status, span.events]),
      );
      expect(everything).not.toContain(SECRET_KEY);
      expect(everything).not.toContain('bad key');
      const failures = (await sdk.points('gen_ai.client.operation.duration')).filter(
        (point) => point.attributes['error.type'] === 'FLOWLLM_MODEL_AUTH',
      );
      const before = durationBefore.filter(
        (point) => point.attributes['error.type'] === 'FLOWLLM_MODEL_AUTH',
      );
      const countOf = (points: typeof failures) =>
        points.reduce((sum, point) => sum + (point.value as Histogram).count, 0);
      expect(countOf(failures) - countOf(before)).toBe(1);
      const runs = await sdk.points('flowllm.runs');
      expect(
        counterValue(runs, { 'gen_ai.workflow.name': 'chat', 'flowllm.run.end_cause': 'error' }),
      ).toBeGreaterThanOrEqual(1);
      const logged = entries.find((entry) => entry.message.startsWith("flow 'chat' failed"));
      expect(logged?.details?.trace_id).toBe(flow.spanContext().traceId);
    });

    it("a failed sync flow: the log line carries the run span's trace_id and span_id", async () => {
      const { url, entries } = await start([{ status: 401, message: 'bad key' }]);
      const reply = await post(`${url}/ask`, { query: 'hi' });
      expect(reply.status).toBe(502);
      const flow = await flowSpan('ask');
      expect(flow.attributes['error.type']).toBe('FLOWLLM_MODEL_AUTH');
      const logged = entries.find((entry) => entry.message.startsWith("flow 'ask' failed"));
      expect(logged?.details).toMatchObject({
        trace_id: flow.spanContext().traceId,
        span_id: flow.spanContext().spanId,
      });
    });

    it('a flow timeout: the run and its model call end with timeout, ERROR and error.type FLOWLLM_TIMEOUT', async () => {
      const { url } = await start([{ hang: 'headers' }]);
      const reply = await post(`${url}/slow`, { query: 'hi' });
      expect(reply.status).toBe(504);
      const flow = await flowSpan('slow');
      expect(flow.attributes).toMatchObject({
        'flowllm.run.end_cause': 'timeout',
        'error.type': 'FLOWLLM_TIMEOUT',
      });
      expect(flow.status.code).toBe(SpanStatusCode.ERROR);
      await waitUntil(() => sdk.spans().some((span) => span.name === 'chat gpt-test'));
      expect(sdk.span('chat gpt-test').attributes['flowllm.run.end_cause']).toBe('timeout');
      const runs = await sdk.points('flowllm.runs');
      expect(counterValue(runs, { 'gen_ai.workflow.name': 'slow', 'flowllm.run.end_cause': 'timeout' })).toBe(
        1,
      );
    });

    it('a shutdown mid-stream: the run ends with shutdown and no error status', async () => {
      const words = Array.from({ length: 400 }, (_, index) => `w${index} `);
      const { url, service } = await start([{ answer: words, delayMs: 5 }]);
      const reply = await post(`${url}/chat`, { query: 'go on' }, (body) => {
        if (body.includes('"answer"')) service.shutdown();
      });
      expect(reply.body).toContain('data:[DONE]');
      const flow = await flowSpan('chat');
      expect(flow.attributes['flowllm.run.end_cause']).toBe('shutdown');
      expect(flow.status.code).toBe(SpanStatusCode.UNSET);
    });

    it('record_content: true puts the prompt, the answer and tool arguments on spans', async () => {
      const { url } = await start([{ answer: 'Secret-free answer' }], { record_content: true });
      await post(`${url}/ask`, { query: 'what is up' });
      await flowSpan('ask');
      const chat = sdk.span('chat gpt-test');
      expect(JSON.parse(String(chat.attributes['gen_ai.input.messages']))).toContainEqual({
        role: 'user',
        parts: [{ type: 'text', content: 'what is up' }],
      });
      expect(JSON.parse(String(chat.attributes['gen_ai.output.messages']))).toEqual([
        { role: 'assistant', parts: [{ type: 'text', content: 'Secret-free answer' }] },
      ]);
    });
  });
}
