// A koa app written in CommonJS: require() of the ESM-only packages (Node >= 20.19).
const { flowllmKoa } = require('@flowllm/koa');
const Koa = require('koa');

const config = {
  llm: { default: { backend: 'mock', answer: 'Hello from the packed tarballs' } },
  flow: { chat: { flow_content: 'StreamChatOp()', stream: true } },
};

const app = new Koa();
app.use(flowllmKoa(config, { prefix: '/api' }));
app.use((ctx) => {
  ctx.body = 'the host app';
});
const server = app.listen(0, '127.0.0.1', () => console.log(`LISTENING ${server.address().port}`));
