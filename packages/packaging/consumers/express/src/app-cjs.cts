// The same app as a CommonJS TypeScript module: compiled to require() of the ESM-only packages.
import type { AddressInfo } from 'node:net';
import { flowllmExpress } from '@flowllm/express';

import express = require('express');

const app = express();
app.get('/', (_request, response) => {
  response.send('the host app');
});
app.use(
  '/api',
  flowllmExpress({
    llm: { default: { backend: 'mock', answer: 'Hello from the packed tarballs' } },
    flow: { chat: { flow_content: 'StreamChatOp()', stream: true } },
  }),
);
const server = app.listen(0, '127.0.0.1', () => {
  console.log(`LISTENING ${(server.address() as AddressInfo).port}`);
});
