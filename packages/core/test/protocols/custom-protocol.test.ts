import { afterEach, describe, expect, it } from 'vitest';
import type { FlowService } from '../../src/http/service.js';
import { createFlowService } from '../../src/http/service-source.js';
import type { FlowProtocol } from '../../src/protocols/stream-encoder.js';
import { type ProtocolServer, startProtocolServer } from './protocol-server.js';

let server: ProtocolServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A user's own wire format: one JSON line per answer token, a summary line at the end. */
const ndjson: FlowProtocol = {
  name: 'ndjson',
  headers: { 'content-type': 'application/x-ndjson' },
  toInput: (body) => ({ query: (body as { q?: unknown }).q }),
  encoder: ({ flow }) => {
    let tokens = 0;
    return {
      frame: (chunk) => {
        if (chunk.chunk_type === 'answer') {
          tokens++;
          return `${JSON.stringify({ token: chunk.chunk })}\n`;
        }
        return chunk.chunk_type === 'done' ? `${JSON.stringify({ flow, tokens })}\n` : '';
      },
    };
  },
};

describe('your own protocol (createFlowService(app, { protocols }))', () => {
  it('is served at POST /{flow}/{name}: its toInput, the input_schema check, its headers and encoder', async () => {
    server = await startProtocolServer({}, { protocols: [ndjson] });
    const response = await fetch(`${server.url}/chat/ndjson`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ q: 'Hi' }),
    });
    expect(response.headers.get('content-type')).toBe('application/x-ndjson');
    const lines = (await response.text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toEqual([{ token: 'Hello' }, { token: ' world' }, { flow: 'chat', tokens: 2 }]);
    // toInput's result is validated like any request: `query` is required by the flow's schema.
    const missing = await fetch(`${server.url}/chat/ndjson`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(missing.status).toBe(422);
  });

  it("writes the encoder's own heartbeat while the flow is idle (none with ''), not the SSE comment", async () => {
    const slowStart = { backend: 'mock', answer: 'late', first_token_delay_ms: 400 };
    const quiet = {
      ...ndjson,
      name: 'quiet',
      encoder: () => ({ ...ndjson.encoder({} as never), heartbeat: '' }),
    };
    const blank = {
      ...ndjson,
      name: 'blank',
      encoder: (info: never) => ({ ...ndjson.encoder(info), heartbeat: '\n' }),
    };
    server = await startProtocolServer(
      { http: { heartbeat: 0.05 }, llm: { default: slowStart } },
      { protocols: [quiet, blank] },
    );
    const read = async (name: string) => {
      const response = await fetch(`${server?.url}/chat/${name}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ q: 'Hi' }),
      });
      return response.text();
    };
    const blankText = await read('blank');
    expect(blankText).not.toContain(': ping');
    expect(blankText.startsWith('\n')).toBe(true);
    const quietText = await read('quiet');
    expect(quietText).not.toContain(': ping');
    expect(quietText.startsWith('{"token":"late"}')).toBe(true);
  });

  it('refuses a protocol whose name cannot be a path segment, is taken, or has no encoder', async () => {
    for (const [protocol, message] of [
      [{ ...ndjson, name: 'a/b' }, /must be 1-64/],
      [{ ...ndjson, name: 'runs' }, /not 'runs'/],
      [{ ...ndjson, name: 'ui' }, /served twice/],
      [{ name: 'x' } as unknown as FlowProtocol, /needs an encoder/],
    ] as const)
      await expect(startProtocolServer({}, { protocols: [protocol] })).rejects.toThrow(message);
    server = await startProtocolServer();
    expect(() => createFlowService(server?.service as FlowService, { protocols: [ndjson] })).toThrow(
      /where this FlowService is made/,
    );
  });
});
