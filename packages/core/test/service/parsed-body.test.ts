import { describe, expect, it } from 'vitest';
import { createFlowApp } from '../../src/create-flow-app.js';
import { FlowService } from '../../src/http/service.js';
import type { ServiceRequest } from '../../src/http/service-types.js';

const service = new FlowService(
  createFlowApp({
    env: {},
    config: {
      llm: { default: { backend: 'mock', answer: 'ok {input}' } },
      flow: { chat: { flow_content: 'ChatOp()', input_schema: { query: { type: 'string' } } } },
    },
  }),
);

function request(headers: Record<string, string>, parsedBody: unknown): ServiceRequest {
  return {
    method: 'POST',
    path: '/chat',
    query: new URLSearchParams(),
    header: (name) => headers[name],
    readBody: () => Promise.reject(new Error('a parsed body must not be read again')),
    parsedBody,
  };
}

describe('a body a host framework already parsed', () => {
  it('is reused when it was JSON', async () => {
    const result = await service.handle(request({ 'content-type': 'application/json' }, { query: 'hi' }));
    expect(result).toMatchObject({ status: 200 });
    expect(JSON.parse((result as { body: string }).body).answer).toBe('ok hi');
  });

  it('is refused with 415 when the host parsed a form or text body', async () => {
    for (const type of ['application/x-www-form-urlencoded', 'text/plain']) {
      const result = await service.handle(request({ 'content-type': type }, { query: 'hi' }));
      expect(result).toMatchObject({ status: 415 });
      expect((result as { body: string }).body).toContain(`found '${type}'`);
    }
  });

  it('still goes through the prototype-key and nesting checks', async () => {
    const polluted = JSON.parse('{"query":"x","__proto__":{"admin":true}}');
    const result = await service.handle(request({ 'content-type': 'application/json' }, polluted));
    expect(result).toMatchObject({ status: 400 });
  });
});
