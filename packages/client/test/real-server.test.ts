import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFlowApp, createFlowService, type ServiceLogger } from '@flowllm/core';
import type { MockLlm } from '@flowllm/core/models';
import { afterEach, describe, expect, it } from 'vitest';
import { type FlowChunk, FlowClient, FlowClientError } from '../src/index.js';
import { fixture } from './helpers.js';

const silent: ServiceLogger = { error() {}, warn() {}, info() {} };
const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  );
});

async function listen(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const QUERY = { query: { type: 'string', description: 'the question', required: true } } as const;

/** A real flowllm server on port 0: a stream flow, a sync flow, the offline mock model with `llm` settings. */
async function startFlowServer(llm: Record<string, unknown> = {}) {
  const app = createFlowApp({
    env: {},
    config: {
      flow: {
        chat: {
          flow_content: 'GenSystemPromptOp() >> StreamChatOp()',
          stream: true,
          description: 'Chat, streamed',
          input_schema: QUERY,
        },
        answer: { flow_content: 'ChatOp()', description: 'One answer', input_schema: QUERY },
        // One model call only: mock errors apply to every call, GenSystemPromptOp's too.
        plain: { flow_content: 'StreamChatOp()', stream: true, input_schema: QUERY },
      },
      llm: {
        default: { backend: 'mock', think: 'Thinking about {input}.', answer: 'You asked: {input}', ...llm },
      },
    },
  });
  const service = createFlowService(app, { logger: silent });
  const url = await listen(createServer(service.node));
  return {
    url,
    client: new FlowClient({ baseUrl: url }),
    llm: () => app.resources.llm('default') as MockLlm,
  };
}

async function collect(stream: AsyncIterable<FlowChunk>): Promise<FlowChunk[]> {
  const chunks: FlowChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const text = (chunks: FlowChunk[], type: string) =>
  chunks
    .filter((chunk) => chunk.type === type)
    .map((chunk) => chunk.content)
    .join('');

describe('against a real flowllm server', () => {
  it('health and its FlowLLM name', async () => {
    const { client } = await startFlowServer();
    expect(await client.health()).toEqual({ status: 'healthy' });
    expect(await client.healthCheck()).toEqual({ status: 'healthy' });
  });

  it('openapi / listEndpoints / listFlows', async () => {
    const { client } = await startFlowServer();
    const document = await client.listEndpoints();
    expect(document).toEqual(await client.openapi());
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/health', '/chat', '/answer']));
    const flows = await client.listFlows();
    expect(flows.map(({ name, stream, description }) => ({ name, stream, description }))).toEqual([
      { name: 'chat', stream: true, description: 'Chat, streamed' },
      { name: 'answer', stream: false, description: 'One answer' },
      { name: 'plain', stream: true, description: 'plain' },
    ]);
    expect(flows[0]!.inputSchema).toMatchObject({ required: ['query'] });
  });

  it('runFlow / executeFlow: {answer, success, metadata}', async () => {
    const { client } = await startFlowServer();
    const result = await client.runFlow('answer', { query: 'what is ai' });
    expect(result).toMatchObject({ answer: 'You asked: what is ai', success: true });
    expect(result.metadata).toBeTypeOf('object');
    expect((await client.executeFlow('answer', { query: 'x' })).answer).toBe('You asked: x');
  });

  it('streamFlow / executeStreamFlow: think, answer and tool chunks, one flow_id, ending at [DONE]', async () => {
    const { client, llm } = await startFlowServer({
      tool_calls: [{ name: 'web_search', arguments: { query: 'ai' } }],
      token_delay_ms: 1,
    });
    const chunks = await collect(client.streamFlow('chat', { query: 'what is ai' }));
    expect(text(chunks, 'think')).toBe('Thinking about what is ai.');
    expect(text(chunks, 'answer')).toBe('You asked: what is ai');
    expect(chunks.filter((chunk) => chunk.type === 'answer').length).toBeGreaterThan(3);
    expect(chunks.at(-1)).toMatchObject({
      type: 'tool',
      chunk_type: 'tool',
      content: { index: 0, type: 'function', function: { name: 'web_search', arguments: '{"query":"ai"}' } },
    });
    const ids = new Set(chunks.map((chunk) => chunk.flow_id));
    expect(ids.size).toBe(1);
    expect([...ids][0]).toMatch(/^[0-9a-f]{32}$/);
    for (const chunk of chunks) expect(chunk.content).toBe(chunk.chunk);
    expect(llm().stats.completed).toBe(2);
    const again = await collect(client.executeStreamFlow('chat', { query: 'x' }));
    expect(text(again, 'answer')).toBe('You asked: x');
  });

  it('422 with FastAPI detail, for runFlow and streamFlow', async () => {
    const { client } = await startFlowServer();
    for (const call of [
      () => client.runFlow('answer', {}),
      () => collect(client.streamFlow('chat', { query: 3 })),
    ]) {
      const error = await call().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(FlowClientError);
      expect(error).toMatchObject({ code: 'http', status: 422 });
      const [issue] = (error as FlowClientError).detail as { loc: string[]; msg: string; type: string }[];
      expect(issue).toMatchObject({ loc: ['body', 'query'] });
      expect((error as Error).message).toContain('body.query:');
    }
  });

  it('404 for an unknown flow', async () => {
    const { client } = await startFlowServer();
    await expect(collect(client.streamFlow('nope', { query: 'q' }))).rejects.toMatchObject({
      code: 'http',
      status: 404,
      detail: 'Not Found',
    });
  });

  it('a model that cannot be reached: 502 with the flow_id, before any chunk', async () => {
    const { client } = await startFlowServer({ connect_error: 'connection refused' });
    const error = await collect(client.streamFlow('chat', { query: 'q' })).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'http', status: 502 });
    expect((error as FlowClientError).flowId).toMatch(/^[0-9a-f]{32}$/);
    expect(String((error as FlowClientError).detail)).toContain('connection refused');
  });

  it('a failure mid-stream is an error chunk, then the stream ends normally', async () => {
    const { client } = await startFlowServer({
      think: '',
      answer: 'a b c d',
      error: 'quota exceeded',
      error_after: 2,
    });
    const chunks = await collect(client.streamFlow('plain', { query: 'q' }));
    expect(chunks.map((chunk) => chunk.type)).toEqual(['answer', 'answer', 'error']);
    expect(chunks[2]).toMatchObject({ done: true, content: expect.stringContaining('quota exceeded') });
  });

  it('aborting the signal mid-stream rejects with its reason and the server aborts the model', async () => {
    const { client, llm } = await startFlowServer({
      think: '',
      answer: 'one two three four five six',
      token_delay_ms: 60,
    });
    const controller = new AbortController();
    const received: FlowChunk[] = [];
    const reason = new Error('stopped by the user');
    const error = await (async () => {
      for await (const chunk of client.streamFlow('chat', { query: 'q' }, { signal: controller.signal })) {
        received.push(chunk);
        if (received.length === 2) controller.abort(reason);
      }
    })().catch((caught: unknown) => caught);
    expect(error).toBe(reason);
    expect(received).toHaveLength(2);
    await waitFor(() => llm().stats.aborted === 1, 'the model to be aborted');
    expect(llm().stats).toMatchObject({ aborted: 1, active: 0 });
    expect(llm().stats.completed).toBe(1); // only GenSystemPromptOp's call
  });

  it('leaving the loop early closes the connection and the server aborts the model', async () => {
    const { client, llm } = await startFlowServer({
      think: '',
      answer: 'one two three four five six',
      token_delay_ms: 60,
    });
    for await (const chunk of client.streamFlow('chat', { query: 'q' })) {
      expect(chunk.type).toBe('answer');
      break;
    }
    await waitFor(() => llm().stats.aborted === 1, 'the model to be aborted');
  });
});

describe('against a raw server writing recorded FlowLLM bytes', () => {
  /** A node:http server that writes `bytes` in `size`-byte pieces, then ends (or destroys) the response. */
  async function rawServer(bytes: Uint8Array, size: number, finish: 'end' | 'destroy' = 'end') {
    const server = createServer(async (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      for (let offset = 0; offset < bytes.length; offset += size) {
        response.write(bytes.subarray(offset, offset + size));
        await new Promise((resolve) => setImmediate(resolve));
      }
      if (finish === 'end') response.end();
      else response.destroy();
    });
    return new FlowClient(await listen(server));
  }

  it('reads Python FlowLLM framing over the network in 7-byte writes', async () => {
    const client = await rawServer(fixture('flowllm-demo.sse'), 7);
    const chunks = await collect(client.streamFlow('demo_stream_http_flow', { query: 'what is ai' }));
    expect(chunks).toHaveLength(20);
    expect(text(chunks, 'answer')).toBe(
      '人工智能(AI) is the field of building systems 🤖 that think — naïvely or not.',
    );
  });

  it('a response that ends without [DONE] throws truncated', async () => {
    const demo = fixture('flowllm-demo.sse');
    const client = await rawServer(demo.subarray(0, 900), 50);
    await expect(collect(client.streamFlow('f'))).rejects.toMatchObject({ code: 'truncated' });
  });

  it('a connection destroyed mid-stream throws truncated', async () => {
    const demo = fixture('flowllm-demo.sse');
    const client = await rawServer(demo.subarray(0, 900), 50, 'destroy');
    await expect(collect(client.streamFlow('f'))).rejects.toMatchObject({ code: 'truncated' });
  });
});
