// A koa app in TypeScript (ES modules), type-checked against the installed declarations.
import type { AddressInfo } from 'node:net';
import type { FlowServiceSource } from '@flowllm/core';
import { type FlowllmKoaOptions, flowllmKoa } from '@flowllm/koa';
import Koa, { type Middleware } from 'koa';

const config: FlowServiceSource = {
  llm: { default: { backend: 'mock', answer: 'Hello from the packed tarballs' } },
  flow: { chat: { flow_content: 'StreamChatOp()', stream: true } },
};
const options: FlowllmKoaOptions = { prefix: '/api' };
const middleware: Middleware = flowllmKoa(config, options);

const app = new Koa();
app.use(middleware);
app.use((ctx) => {
  ctx.body = 'the host app';
});
const server = app.listen(0, '127.0.0.1', () => {
  console.log(`LISTENING ${(server.address() as AddressInfo).port}`);
});
