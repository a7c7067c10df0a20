// A fastify app written as ES modules, using the installed tarballs.
import { flowllmFastify } from '@flowllm/fastify';
import Fastify from 'fastify';

const config = {
  llm: { default: { backend: 'mock', answer: 'Hello from the packed tarballs' } },
  flow: { chat: { flow_content: 'StreamChatOp()', stream: true } },
};

const fastify = Fastify();
fastify.get('/', async () => 'the host app');
await fastify.register(flowllmFastify, { config, prefix: '/api' });
await fastify.listen({ port: 0, host: '127.0.0.1' });
console.log(`LISTENING ${fastify.server.address().port}`);
