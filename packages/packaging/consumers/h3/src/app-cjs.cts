// The same app as a CommonJS TypeScript module: compiled to require() of the ESM-only packages.
import { flowllmH3 } from '@flowllm/h3';
import { H3, serve } from 'h3';

const app = new H3();
app.get('/', () => 'the host app');
app.mount(
  '/api',
  flowllmH3({
    llm: { default: { backend: 'mock', answer: 'Hello from the packed tarballs' } },
    flow: { chat: { flow_content: 'StreamChatOp()', stream: true } },
  }),
);
const server = serve(app, { port: 0, hostname: '127.0.0.1', silent: true });
server.ready().then(() => console.log(`LISTENING ${new URL(server.url ?? '').port}`));
