import { describe, expect, it } from 'vitest';
import { FlowClient, FlowClientError } from '../src/index.js';
import { encode, fakeFetch } from './helpers.js';

const json = (value: unknown, status = 200) =>
  fakeFetch([encode(JSON.stringify(value))], { status, headers: { 'content-type': 'application/json' } });

describe('requests', () => {
  it('runFlow POSTs the input as JSON to baseUrl/{name} with the client and request headers', async () => {
    const fake = json({ answer: 'hi', success: true, metadata: { usage: 3 } });
    const client = new FlowClient({
      baseUrl: 'http://flowllm.test/api///',
      fetch: fake.fetch,
      headers: { authorization: 'Bearer a', 'x-app': 'one' },
    });
    const result = await client.runFlow(
      'demo_http_flow',
      { query: 'q', top_k: 3 },
      { headers: { 'x-app': 'two' } },
    );
    expect(result).toEqual({ answer: 'hi', success: true, metadata: { usage: 3 } });
    const [request] = fake.requests;
    expect(request).toMatchObject({ url: 'http://flowllm.test/api/demo_http_flow', method: 'POST' });
    expect(JSON.parse(request!.body!)).toEqual({ query: 'q', top_k: 3 });
    expect(request!.headers.get('content-type')).toBe('application/json');
    expect(request!.headers.get('accept')).toBe('application/json');
    expect(request!.headers.get('authorization')).toBe('Bearer a');
    expect(request!.headers.get('x-app')).toBe('two');
  });

  it('a relative baseUrl (same origin in a page) and a string shorthand', async () => {
    const fake = json({ status: 'healthy' });
    await new FlowClient({ baseUrl: '/api', fetch: fake.fetch }).health();
    expect(fake.requests[0]!.url).toBe('/api/health');
    expect(new FlowClient('http://x:8002/').baseUrl).toBe('http://x:8002');
  });

  it('streamFlow asks for text/event-stream and encodes the flow name', async () => {
    const fake = fakeFetch([encode('data:[DONE]\n\n')]);
    const client = new FlowClient({ baseUrl: 'http://h', fetch: fake.fetch });
    for await (const _ of client.streamFlow('a/b c', { query: 'q' }));
    expect(fake.requests[0]).toMatchObject({ url: 'http://h/a%2Fb%20c', method: 'POST' });
    expect(fake.requests[0]!.headers.get('accept')).toBe('text/event-stream');
  });

  it('health, openapi and their FlowLLM names are GETs', async () => {
    const fake = json({ status: 'healthy' });
    const client = new FlowClient({ baseUrl: 'http://h', fetch: fake.fetch });
    expect(await client.healthCheck()).toEqual({ status: 'healthy' });
    await client.listEndpoints();
    expect(fake.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET http://h/health',
      'GET http://h/openapi.json',
    ]);
    expect(fake.requests[0]!.body).toBeUndefined();
  });

  it('listFlows reads the POST paths of the OpenAPI document', async () => {
    const schema = { type: 'object', properties: { query: { type: 'string' } } };
    const client = new FlowClient({
      baseUrl: 'http://h',
      fetch: json({
        openapi: '3.1.0',
        paths: {
          '/health': { get: {} },
          '/chat': {
            post: {
              description: 'Chat (streaming)',
              requestBody: { content: { 'application/json': { schema } } },
              responses: { '200': { content: { 'text/event-stream': {} } } },
            },
            get: {},
          },
          '/answer': {
            post: { summary: 'Answer', responses: { '200': { content: { 'application/json': {} } } } },
          },
        },
      }).fetch,
    });
    expect(await client.listFlows()).toEqual([
      { name: 'chat', path: '/chat', description: 'Chat (streaming)', stream: true, inputSchema: schema },
      { name: 'answer', path: '/answer', description: 'Answer', stream: false, inputSchema: undefined },
    ]);
  });

  it('listFlows skips the run routes of a server with resume on (marked, and templated paths)', async () => {
    const stream = { responses: { '200': { content: { 'text/event-stream': {} } } } };
    const client = new FlowClient({
      baseUrl: 'http://h',
      fetch: json({
        openapi: '3.1.0',
        paths: {
          '/chat': { post: { description: 'Chat', ...stream } },
          '/chat/runs/{flow_id}': { get: { 'x-flowllm-route': 'run', ...stream } },
          '/chat/runs/{flow_id}/stop': { post: { 'x-flowllm-route': 'run-stop', responses: {} } },
          '/other/runs/{id}/stop': { post: { responses: {} } },
        },
      }).fetch,
    });
    expect((await client.listFlows()).map((flow) => flow.name)).toEqual(['chat']);
  });

  it('eventSourceUrl puts the input in the query string', () => {
    const client = new FlowClient('http://h/api/');
    expect(
      client.eventSourceUrl('chat', { query: 'a b&c', top_k: 3, flag: true, tags: ['x'], skip: undefined }),
    ).toBe('http://h/api/chat?query=a+b%26c&top_k=3&flag=true&tags=%5B%22x%22%5D');
    expect(client.eventSourceUrl('chat')).toBe('http://h/api/chat');
  });

  it('uses globalThis.fetch by default, called as a plain function', async () => {
    const fake = json({ status: 'healthy' });
    const original = globalThis.fetch;
    let receiver: unknown = 'unset';
    globalThis.fetch = function (this: unknown, ...args: Parameters<typeof fetch>) {
      receiver = this;
      return fake.fetch(...args);
    } as typeof fetch;
    try {
      expect(await new FlowClient({ baseUrl: 'http://h' }).health()).toEqual({ status: 'healthy' });
    } finally {
      globalThis.fetch = original;
    }
    expect(receiver === undefined || receiver === globalThis).toBe(true);
  });
});

describe('errors', () => {
  it('422: FlowClientError with FastAPI detail, status and a readable message', async () => {
    const detail = [{ loc: ['body', 'query'], msg: 'Field required', type: 'missing' }];
    const client = new FlowClient({ baseUrl: 'http://h', fetch: json({ detail }, 422).fetch });
    const error = await client.runFlow('f', {}).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(FlowClientError);
    expect(error).toMatchObject({
      name: 'FlowClientError',
      code: 'http',
      status: 422,
      detail,
      flowId: undefined,
    });
    expect((error as Error).message).toBe(
      '@flowllm/client: POST /f failed with HTTP 422: body.query: Field required',
    );
  });

  it('502 from a stream flow: detail and flow_id, thrown by the first next()', async () => {
    const client = new FlowClient({
      baseUrl: 'http://h',
      fetch: json({ detail: 'mock model: down', flow_id: 'abc' }, 502).fetch,
    });
    await expect(client.streamFlow('f', { query: 'q' }).next()).rejects.toMatchObject({
      code: 'http',
      status: 502,
      detail: 'mock model: down',
      flowId: 'abc',
    });
  });

  it('a non-JSON error body is kept as text', async () => {
    const fake = fakeFetch([encode('Bad Gateway')], {
      status: 502,
      headers: { 'content-type': 'text/plain' },
    });
    const error = await new FlowClient({ baseUrl: 'http://h', fetch: fake.fetch })
      .health()
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'http', status: 502, detail: 'Bad Gateway' });
  });

  it('a network failure is a FlowClientError with status 0 and the cause', async () => {
    const cause = new TypeError('fetch failed');
    const client = new FlowClient({ baseUrl: 'http://h', fetch: () => Promise.reject(cause) });
    const error = await client.health().catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'network', status: 0, cause });
  });

  it('runFlow on a stream flow and streamFlow on a sync flow say which to use', async () => {
    const stream = new FlowClient({
      baseUrl: 'http://h',
      fetch: fakeFetch([encode('data:[DONE]\n\n')]).fetch,
    });
    await expect(stream.runFlow('s')).rejects.toMatchObject({
      code: 'invalid_response',
      message: expect.stringContaining('use streamFlow()'),
    });
    const sync = new FlowClient({
      baseUrl: 'http://h',
      fetch: json({ answer: 'x', success: true, metadata: {} }).fetch,
    });
    await expect(sync.streamFlow('s').next()).rejects.toMatchObject({
      code: 'invalid_response',
      message: expect.stringContaining('use runFlow()'),
    });
  });

  it('isInstance recognises errors from another copy of the package', () => {
    const foreign = Object.assign(new Error('x'), { [Symbol.for('@flowllm/client.error')]: true });
    expect(FlowClientError.isInstance(foreign)).toBe(true);
    expect(FlowClientError.isInstance(new Error('x'))).toBe(false);
  });
});

describe('abort', () => {
  it('an already aborted signal rejects with its reason and sends nothing', async () => {
    const fake = json({});
    const client = new FlowClient({ baseUrl: 'http://h', fetch: fake.fetch });
    const reason = new Error('stop');
    const signal = AbortSignal.abort(reason);
    await expect(client.streamFlow('f', {}, { signal }).next()).rejects.toBe(reason);
    await expect(client.runFlow('f', {}, { signal })).rejects.toBe(reason);
    expect(fake.requests).toHaveLength(0);
  });

  it('aborting while a chunk is awaited rejects with the reason and aborts the fetch signal', async () => {
    const fake = fakeFetch([encode('data:{"chunk_type":"answer","chunk":"a"}\n\n')]);
    // The body then stalls forever, and this fetch ignores its signal: the client must still stop.
    const stalled: typeof fetch = async (input, init) => {
      const response = await fake.fetch(input, init);
      const reader = response.body!.getReader();
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          const { value } = await reader.read();
          if (value) controller.enqueue(value);
          else await new Promise(() => {});
        },
      });
      return new Response(body, { headers: response.headers });
    };
    const controller = new AbortController();
    const client = new FlowClient({ baseUrl: 'http://h', fetch: stalled });
    const iterator = client.streamFlow('f', {}, { signal: controller.signal });
    expect((await iterator.next()).value).toMatchObject({ type: 'answer', content: 'a' });
    const pending = iterator.next();
    controller.abort(new Error('user stop'));
    await expect(pending).rejects.toThrow('user stop');
    expect(fake.requests[0]!.signal!.aborted).toBe(true);
  });

  it('leaving the loop early aborts the request', async () => {
    const fake = fakeFetch([encode('data:{"chunk_type":"answer","chunk":"a"}\n\n'), encode(': more\n\n')]);
    const client = new FlowClient({ baseUrl: 'http://h', fetch: fake.fetch });
    for await (const _ of client.streamFlow('f')) break;
    expect(fake.requests[0]!.signal!.aborted).toBe(true);
    expect(fake.cancelled).toBe(true);
  });
});
