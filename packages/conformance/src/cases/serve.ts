import { createFlowApp, type FlowllmConfigInput, type RunningServer, serve } from '@flowllm/core';
import type { MockLlm } from '@flowllm/core/models';
import { afterEach, describe, expect, it } from 'vitest';
import { DONE, destroyClients, openStream, send } from '../client.js';
import { conformanceOps } from '../ops.js';
import { HANG_MS, recordingLogger, settles, waitFor } from '../util.js';
import { expectShutdownEnding, shutdownConfig } from './shutdown.js';

/** core's `serve()`: a graceful close ends open streams with a final event. */
export function nodeServeCases(): void {
  describe('serve() graceful close [node]', () => {
    const servers: RunningServer[] = [];
    afterEach(async () => {
      destroyClients();
      for (const running of servers.splice(0)) {
        running.server.closeAllConnections();
        await new Promise<void>((resolve) => running.server.close(() => resolve()));
      }
    });

    async function start(http: FlowllmConfigInput['http'] = {}) {
      const app = createFlowApp({ config: shutdownConfig(http), env: {}, ops: conformanceOps });
      const logger = recordingLogger();
      const running = await serve(app, { port: 0, host: '127.0.0.1', logger });
      servers.push(running);
      return { running, llm: app.resources.llm('default') as MockLlm, logs: logger.lines };
    }

    it('close() sends the open streams a final event, ends them, and resolves', async () => {
      // A close() that waited for shutdown_timeout would fail the hang guard.
      const { running, llm, logs } = await start({ shutdown_timeout: 120 });
      const clients = [
        openStream(running.url, '/talk', { body: { query: 'a' } }),
        openStream(running.url, '/talk', { body: { query: 'b' } }),
      ];
      await Promise.all(clients.map((client) => client.waitForText((text) => text.includes('data:{'))));
      const closing = running.close();
      for (const client of clients) {
        await client.ended;
        expect(client.complete).toBe(true);
        expectShutdownEnding(client.text());
      }
      await settles(closing, 'close() to resolve');
      expect(running.server.listening).toBe(false);
      await waitFor(() => llm.stats.active === 0, HANG_MS, 'the model streams to stop');
      expect(llm.stats.aborted).toBe(2);
      expect(logs.filter((line) => line.level === 'error')).toEqual([]);
    });

    it('close() does not wait for keep-alive connections whose streams ended', async () => {
      // Neither the keep-alive timeout nor shutdown_timeout can end the connection within the hang guard.
      const { running } = await start({ shutdown_timeout: 120 });
      running.server.keepAliveTimeout = 120_000;
      // Node's fetch keeps its connection alive after the response.
      const response = await fetch(`${running.url}/talk`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'a' }),
      });
      const reader = response.body!.getReader();
      await reader.read();
      const closing = running.close();
      let body = '';
      for (let part = await reader.read(); !part.done; part = await reader.read())
        body += new TextDecoder().decode(part.value);
      expect(body.endsWith(DONE)).toBe(true);
      await settles(closing, 'close() to resolve');
    });

    it('refuses new requests once closing (503 or connection refused)', async () => {
      const { running } = await start();
      const client = openStream(running.url, '/talk', { body: { query: 'a' } });
      await client.waitForText((text) => text.includes('data:{'));
      const closing = running.close();
      const outcome = await send(running.url, '/health').then(
        (reply) => String(reply.status),
        (error: NodeJS.ErrnoException) => error.code ?? String(error),
      );
      expect(['503', 'ECONNREFUSED']).toContain(outcome);
      await closing;
    });

    it('a client that stopped reading cannot hold close() past shutdown_timeout', async () => {
      const { running } = await start({ shutdown_timeout: 0.3 });
      const client = openStream(running.url, '/big', { body: { query: 'a' }, pauseOnFirstData: true });
      await client.waitForText((text) => text.includes('data:'));
      const started = performance.now();
      // The client never reads again: only shutdown_timeout can end its connection.
      await settles(running.close(), 'close() to resolve');
      expect(performance.now() - started).toBeGreaterThanOrEqual(250);
      // The connection was cut: reading what was buffered ends without a complete response.
      (await client.response).resume();
      await client.ended;
      expect(client.complete).toBe(false);
      expect(client.text().endsWith(DONE)).toBe(false);
    });
  });
}
