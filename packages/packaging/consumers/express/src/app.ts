// An express app in TypeScript (ES modules), type-checked against the installed declarations.
import type { AddressInfo } from 'node:net';
import type { FlowServiceSource } from '@flowllm/core';
import { type FlowllmExpressOptions, flowllmExpress } from '@flowllm/express';
import express, { type Express, type RequestHandler } from 'express';

const config: FlowServiceSource = {
  llm: { default: { backend: 'mock', answer: 'Hello from the packed tarballs' } },
  flow: { chat: { flow_content: 'StreamChatOp()', stream: true } },
};
const options: FlowllmExpressOptions = { offlineFallback: false };
const middleware: RequestHandler = flowllmExpress(config, options);

const app: Express = express();
app.get('/', (_request, response) => {
  response.send('the host app');
});
app.use('/api', middleware);
const server = app.listen(0, '127.0.0.1', () => {
  console.log(`LISTENING ${(server.address() as AddressInfo).port}`);
});
