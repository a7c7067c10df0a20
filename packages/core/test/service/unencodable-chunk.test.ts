import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterEach, describe, expect, it } from 'vitest';
import { HANG_MS, waitFor } from '../../../conformance/src/wait.js';
import { createFlowApp } from '../../src/create-flow-app.js';
import type { FlowService } from '../../src/http/service.js';
import { createFlowService } from '../../src/http/service-source.js';
import { BaseOp } from '../../src/op/base-op.js';

/** Whether the op saw the abort when it stopped; undefined while it runs. */
let blockedAfterFailure: boolean | undefined;

/** Streams a chunk JSON cannot encode, then keeps streaming (it must be stopped). */
class BigIntOp extends BaseOp {
  async execute(): Promise<void> {
    await this.context.addStreamChunkAndType('fine');
    await this.context.addStreamChunk({ chunk_type: 'answer', chunk: { n: 10n } as never });
    try {
      for (let i = 0; i < 1000; i++) await this.context.addStreamChunkAndType(`more ${i}`);
    } finally {
      blockedAfterFailure = this.signal.aborted;
    }
  }
}

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

function service(): FlowService {
  const app = createFlowApp({
    env: {},
    ops: [BigIntOp],
    config: { flow: { f: { flow_content: 'BigIntOp()', stream: true } } },
  });
  return createFlowService(app, { logger: { error() {}, warn() {}, info() {} } });
}

async function listen(start: () => Server): Promise<string> {
  server = start();
  await new Promise<void>((resolve) => (server?.listening ? resolve() : server?.once('listening', resolve)));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('a chunk that cannot be encoded', () => {
  const transports = {
    node: () => createServer(service().node).listen(0, '127.0.0.1'),
    fetch: () => serve({ port: 0, hostname: '127.0.0.1', fetch: service().fetch }) as Server,
  };
  for (const [name, start] of Object.entries(transports)) {
    it(`[${name}] ends the stream with an error event and [DONE], and stops the flow`, async () => {
      blockedAfterFailure = undefined;
      blockedAfterFailure = false;
      const url = await listen(start);
      const response = await fetch(`${url}/f`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      const text = await response.text();
      expect(response.status).toBe(200);
      expect(text).toContain('"chunk":"fine"');
      expect(text).toContain(
        '"chunk_type":"error","chunk":"the flow produced a chunk that cannot be encoded","done":true',
      );
      expect(text.endsWith('data:[DONE]\n\n')).toBe(true);
      expect(text).not.toContain('more 999');
      await waitFor(() => blockedAfterFailure !== undefined, HANG_MS, 'the op to stop');
      expect(blockedAfterFailure).toBe(true);
    });
  }
});
