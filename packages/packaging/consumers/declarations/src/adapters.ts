// Every adapter's declarations, checked with skipLibCheck off in a project whose only @types package is
// @types/node: none of them needs @types/express or @types/koa. The code serves no request; it only
// has to type-check.
import { createServer } from 'node:http';
import type { FlowServiceSource } from '@flowllm/core';
import { type FlowllmExpressMiddleware, flowllmExpress } from '@flowllm/express';
import { type FlowllmFastifyOptions, flowllmFastify } from '@flowllm/fastify';
import { type FlowllmFetchHandler, flowllmH3 } from '@flowllm/h3';
import { type FlowllmKoaMiddleware, flowllmKoa } from '@flowllm/koa';

const config: FlowServiceSource = {
  llm: { default: { backend: 'mock' } },
  flow: { chat: { flow_content: 'StreamChatOp()', stream: true } },
};
const express: FlowllmExpressMiddleware = flowllmExpress(config);
const koa: FlowllmKoaMiddleware = flowllmKoa(config, { prefix: '/api' });
const fastifyOptions: FlowllmFastifyOptions = { config };
const h3: FlowllmFetchHandler = flowllmH3(config);

export const server = createServer((request, response) =>
  express(request, response, () => {
    response.statusCode = 404;
    response.end();
  }),
);
export { fastifyOptions, flowllmFastify, h3, koa };
