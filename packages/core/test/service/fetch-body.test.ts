import { describe, expect, it } from 'vitest';
import { createFlowApp } from '../../src/engine/flow-app.js';
import { handleFetchRequest } from '../../src/http/fetch-handler.js';
import { FlowService } from '../../src/http/service.js';

// The fetch path reads a body with a Content-Length whole (no web stream); these pin that path.
const service = new FlowService(
  createFlowApp({
    env: {},
    config: {
      http: { body_limit: 64 },
      llm: { default: { backend: 'mock', answer: 'ok {input}' } },
      flow: { chat: { flow_content: 'ChatOp()', input_schema: { query: { type: 'string' } } } },
    },
  }),
);

function post(body: BodyInit, contentLength: string): Request {
  return new Request('http://localhost/chat', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': contentLength },
    body,
  });
}

describe('a sized body on the fetch path', () => {
  it('is read whole and answered', async () => {
    const body = '{"query":"hi"}';
    const response = await handleFetchRequest(service, post(body, String(body.length)));
    expect(response?.status).toBe(200);
    expect(await response?.json()).toMatchObject({ success: true });
  });

  it('that is longer than its Content-Length claims still gets 413 past the limit', async () => {
    const body = JSON.stringify({ query: 'x'.repeat(200) });
    const response = await handleFetchRequest(service, post(body, '10'));
    expect(response?.status).toBe(413);
    expect(await response?.json()).toEqual({ detail: expect.stringContaining('64') });
  });

  it('with invalid UTF-8 gets 400', async () => {
    const response = await handleFetchRequest(service, post(Uint8Array.of(0x7b, 0xff, 0x7d), '3'));
    expect(response?.status).toBe(400);
    expect(await response?.json()).toEqual({ detail: 'the body is not valid UTF-8' });
  });
});
