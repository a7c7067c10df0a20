// The shared example test (examples/shared/src/testing.ts) on fastify: its own listen on port 0.
import type { AddressInfo } from 'node:net';
import { describeExampleApp } from '@flowllm-examples/shared/testing';
import { buildApp } from '../src/app.js';

describeExampleApp({
  name: 'fastify',
  dir: new URL('..', import.meta.url),
  async start(options) {
    const app = buildApp(options);
    await app.listen({ port: 0, host: '127.0.0.1' });
    return {
      url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
      close: () => app.close(),
    };
  },
});
