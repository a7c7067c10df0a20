import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { afterEach, describe, expect, it } from 'vitest';
import { flowllmKoa } from '../src/index.js';

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

describe('koa prefix spelling', () => {
  it.each(['/api', 'api', '/api/'])('%s mounts the flows under /api and nowhere else', async (prefix) => {
    const app = new Koa();
    app.use(flowllmKoa({ flow: { f: { flow_content: 'ChatOp()' } } }, { prefix, env: {} }));
    app.use((ctx) => {
      ctx.status = 404;
      ctx.body = 'host 404';
    });
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server?.once('listening', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    expect(await (await fetch(`${url}/api/health`)).text()).toBe('{"status":"healthy"}');
    expect(await (await fetch(`${url}/health`)).text()).toBe('host 404');
    expect(await (await fetch(`${url}/apix/health`)).text()).toBe('host 404');
  });
});
