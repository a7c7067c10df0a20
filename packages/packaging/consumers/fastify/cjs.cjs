// A fastify app written in CommonJS: require() of the ESM-only packages (Node >= 20.19).
const { flowllmFastify } = require('@flowllm/fastify');
const Fastify = require('fastify');

const config = {
  llm: { default: { backend: 'mock', answer: 'Hello from the packed tarballs' } },
  flow: { chat: { flow_content: 'StreamChatOp()', stream: true } },
};

async function main() {
  const fastify = Fastify();
  fastify.get('/', async () => 'the host app');
  await fastify.register(flowllmFastify, { config, prefix: '/api' });
  await fastify.listen({ port: 0, host: '127.0.0.1' });
  console.log(`LISTENING ${fastify.server.address().port}`);
}
main().catch((error) => {
  console.error(error);
  process.exit(1);
});
