import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterEach, describe, expect, it } from 'vitest';
import { createChunk } from '../../src/chunk.js';
import { createFlowApp } from '../../src/create-flow-app.js';
import type { FlowService } from '../../src/http/service.js';
import { createFlowService } from '../../src/http/service-source.js';
import { BaseOp } from '../../src/op/base-op.js';
import { encodeChunkEvent, SSE_DONE } from '../../src/sse/encode.js';

// 20 KB tokens with two- and four-byte characters, eight in one tick: the pump sends them as one
// byte array (see frame-batch.ts), and a client must get exactly FlowLLM's frames. The framer quotes
// long text without JSON.stringify when nothing needs escaping (json-string.ts): plain ASCII, and
// text with a quote, a newline or a lone surrogate (escaped) must come out the same.
const TOKENS = [
  ...Array.from({ length: 5 }, (_, i) => `${i}:${'é🙂x'.repeat(5000)}`),
  `ascii:${'x'.repeat(20_000)}`,
  `quote:${'x'.repeat(10_000)}"${'y'.repeat(10_000)}\n`,
  `lone:${'x'.repeat(20_000)}\uD800`,
];

class BigTokensOp extends BaseOp {
  async execute(): Promise<void> {
    await this.context.addStreamChunkAndType('small first', 'think');
    for (const token of TOKENS) await this.context.addStreamChunkAndType(token);
  }
}

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

function service(): FlowService {
  const app = createFlowApp({
    env: {},
    ops: [BigTokensOp],
    config: { flow: { big: { flow_content: 'BigTokensOp()', stream: true } } },
  });
  return createFlowService(app, { logger: { error() {}, warn() {}, info() {} } });
}

describe('big frames', () => {
  const transports = {
    node: () => createServer(service().node).listen(0, '127.0.0.1'),
    fetch: () => serve({ port: 0, hostname: '127.0.0.1', fetch: service().fetch }) as Server,
  };
  for (const [name, start] of Object.entries(transports)) {
    it(`reach a ${name} client byte for byte, multibyte characters intact`, async () => {
      server = start();
      await new Promise<void>((resolve) =>
        server?.listening ? resolve() : server?.once('listening', resolve),
      );
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/big`;
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"query":"q"}',
      });
      expect(response.status).toBe(200);
      const body = await response.text();
      const flowId = /"flow_id":"([^"]+)"/.exec(body)?.[1] ?? '';
      const expected =
        encodeChunkEvent(createChunk(flowId, 'think', 'small first')) +
        TOKENS.map((token) => encodeChunkEvent(createChunk(flowId, 'answer', token))).join('') +
        SSE_DONE;
      expect(body.length).toBe(expected.length);
      expect(body === expected).toBe(true);
    });
  }
});
