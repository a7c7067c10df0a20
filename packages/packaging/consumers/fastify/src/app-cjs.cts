// The same app as a CommonJS TypeScript module: compiled to require() of the ESM-only packages.
import type { AddressInfo } from 'node:net';
import { flowllmFastify } from '@flowllm/fastify';
import Fastify from 'fastify';

async function main(): Promise<void> {
  const fastify = Fastify();
  fastify.get('/', async () => 'the host app');
  await fastify.register(flowllmFastify, {
    config: {
      llm: { default: { backend: 'mock', answer: 'Hello from the packed tarballs' } },
      flow: { chat: { flow_content: 'StreamChatOp()', stream: true } },
    },
    prefix: '/api',
  });
  await fastify.listen({ port: 0, host: '127.0.0.1' });
  console.log(`LISTENING ${(fastify.server.address() as AddressInfo).port}`);
}
main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
