import { describe, expect, it } from 'vitest';
import { createFlowApp } from '../../src/create-flow-app.js';
import { parsedBodyExceeds } from '../../src/http/body-size.js';
import { handleFetchRequest } from '../../src/http/fetch-handler.js';
import { FlowService } from '../../src/http/service.js';
import type { ServiceRequest } from '../../src/http/service-types.js';

const LIMIT = 100;
const service = new FlowService(
  createFlowApp({
    env: {},
    config: {
      http: { body_limit: LIMIT },
      llm: { default: { backend: 'mock', answer: 'ok' } },
      flow: { chat: { flow_content: 'ChatOp()' } },
    },
  }),
);

const json = { 'content-type': 'application/json' };

function request(parts: Partial<ServiceRequest>): ServiceRequest {
  return {
    method: 'POST',
    path: '/chat',
    query: new URLSearchParams(),
    header: (name) => (json as Record<string, string>)[name],
    readBody: () => Promise.reject(new Error('not read here')),
    ...parts,
  };
}

const detail = (result: unknown) => JSON.parse((result as { body: string }).body).detail as string;

describe('a body a host parser read without a Content-Length (chunked)', () => {
  it('is held to http.body_limit by its size as compact JSON: 413', async () => {
    for (const parsed of [
      { query: 'x'.repeat(200) },
      { query: 'q', tags: Array(60).fill(1) },
      'x'.repeat(200),
      new Uint8Array(200),
    ]) {
      const result = await service.handle(request({ parsedBody: parsed }));
      expect(result).toMatchObject({ status: 413 });
      expect(detail(result)).toBe(`the body is larger than the limit of ${LIMIT} bytes`);
    }
    const small = await service.handle(request({ parsedBody: { query: 'hi' } }));
    expect(small).toMatchObject({ status: 200 });
  });

  it('a fetch framework’s parsed body is measured the same way', async () => {
    const post = new Request('http://localhost/chat', { method: 'POST', headers: json });
    const response = await handleFetchRequest(service, post, { parsedBody: { query: 'x'.repeat(200) } });
    expect(response?.status).toBe(413);
  });

  it("a host's own smaller bodyLimit wins, on the parsed and the read path", async () => {
    const parsed = await service.handle(request({ parsedBody: { query: 'x'.repeat(60) }, bodyLimit: 50 }));
    expect(detail(parsed)).toBe('the body is larger than the limit of 50 bytes');
    let asked: number | undefined;
    const readBody = (limit: number) => {
      asked = limit;
      return Promise.resolve('{}');
    };
    await service.handle(request({ readBody, bodyLimit: 50 }));
    expect(asked).toBe(50);
    // A larger host limit does not lift ours.
    await service.handle(request({ readBody, bodyLimit: 10_000 }));
    expect(asked).toBe(LIMIT);
  });
});

describe('parsedBodyExceeds', () => {
  it('counts exactly the bytes of compact JSON for values without escapes', () => {
    const values = [
      { query: 'hé 🙂 ok', n: [1, -2.5, 1e21, true, false, null], nested: { a: [{}, [], ''] } },
      ['a', { b: 'c' }],
      12345,
    ];
    for (const value of values) {
      const size = Buffer.byteLength(JSON.stringify(value));
      expect(parsedBodyExceeds(value, size), JSON.stringify(value)).toBe(false);
      expect(parsedBodyExceeds(value, size - 1), JSON.stringify(value)).toBe(true);
    }
  });

  it('counts text and bytes a raw or text parser left by their UTF-8 length', () => {
    expect(parsedBodyExceeds('{"q":"é"}', 10)).toBe(false);
    expect(parsedBodyExceeds('{"q":"é"}', 9)).toBe(true);
    expect(parsedBodyExceeds(new Uint8Array(10), 9)).toBe(true);
  });

  it('never counts more than the JSON text holds (escapes at their shortest)', () => {
    const value = { text: 'a"b\\c\nd\u0001' };
    expect(parsedBodyExceeds(value, Buffer.byteLength(JSON.stringify(value)))).toBe(false);
  });

  it('stops at the limit: a huge array or object is refused before its members are read', () => {
    let reads = 0;
    const counted = <T extends object>(target: T) =>
      new Proxy(target, {
        get(object, key, receiver) {
          if (typeof key === 'string' && key !== 'length') reads++;
          return Reflect.get(object, key, receiver);
        },
      });
    expect(parsedBodyExceeds({ list: counted(Array(1_000_000).fill('x')) }, 1000)).toBe(true);
    const wide = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, i]));
    expect(parsedBodyExceeds(counted(wide), 1000)).toBe(true);
    expect(reads).toBe(0);
  });

  it('walks a list of 500,000 items under the limit (a 1 MB body express.json parsed)', () => {
    const tags = Array(500_000).fill(1);
    const limit = 1_048_576;
    expect(Buffer.byteLength(JSON.stringify({ tags }))).toBeLessThan(limit);
    expect(parsedBodyExceeds({ tags }, limit)).toBe(false);
  });
});
