// The shared example test (examples/shared/src/testing.ts) on h3: h3's serve() on port 0.
import type { AddressInfo } from 'node:net';
import { describeExampleApp } from '@flowllm-examples/shared/testing';
import { serve } from 'h3';
import { buildApp } from '../src/app.js';

describeExampleApp({
  name: 'h3',
  dir: new URL('..', import.meta.url),
  async start(options) {
    const server = serve(buildApp(options), { port: 0, hostname: '127.0.0.1', silent: true });
    await server.ready();
    return {
      url: `http://127.0.0.1:${(server.node!.server!.address() as AddressInfo).port}`,
      close: () => server.close(true),
    };
  },
});
