// The same app as a CommonJS TypeScript module: compiled to require() of the ESM-only packages.
import type { AddressInfo } from 'node:net';
import { flowllmKoa } from '@flowllm/koa';

import Koa = require('koa');

const app = new Koa();
app.use(
  flowllmKoa(
    {
      llm: { default: { backend: 'mock', answer: 'Hello from the packed tarballs' } },
      flow: { chat: { flow_content: 'StreamChatOp()', stream: true } },
    },
    { prefix: '/api' },
  ),
);
app.use((ctx) => {
  ctx.body = 'the host app';
});
const server = app.listen(0, '127.0.0.1', () => {
  console.log(`LISTENING ${(server.address() as AddressInfo).port}`);
});
