// An h3 app written as ES modules, using the installed tarballs.
import { flowllmH3 } from '@flowllm/h3';
import { H3, serve } from 'h3';

const config = {
  llm: { default: { backend: 'mock', answer: 'Hello from the packed tarballs' } },
  flow: { chat: { flow_content: 'StreamChatOp()', stream: true } },
};

const app = new H3();
app.get('/', () => 'the host app');
app.mount('/api', flowllmH3(config));
const server = serve(app, { port: 0, hostname: '127.0.0.1', silent: true });
await server.ready();
console.log(`LISTENING ${new URL(server.url).port}`);
