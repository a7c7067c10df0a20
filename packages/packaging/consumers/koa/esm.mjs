// A koa app written as ES modules, using the installed tarballs.
import { flowllmKoa } from '@flowllm/koa';
import Koa from 'koa';

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
