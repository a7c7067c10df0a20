// A fastify app in TypeScript (ES modules), type-checked against the installed declarations.
import type { AddressInfo } from 'node:net';
import type { FlowServiceSource } from '@flowllm/core';
import flowllmPlugin, { type FlowllmFastifyOptions, flowllmFastify } from '@flowllm/fastify';
import Fastify from 'fastify';

const config: FlowServiceSource = {
  llm: { default: { backend: 'mock', answer: 'Hello from the packed tarballs' } },
  flow: { chat: { flow_content: 'StreamChatOp()', stream: true } },
};
const options: FlowllmFastifyOptions = { config };
if (flowllmPlugin !== flowllmFastify) throw new Error('the default export is not flowllmFastify');

const fastify = Fastify();
fastify.get('/', async () => 'the host app');
await fastify.register(flowllmFastify, { ...options, prefix: '/api' });
await fastify.listen({ port: 0, host: '127.0.0.1' });
console.log(`LISTENING ${(fastify.server.address() as AddressInfo).port}`);
