// An h3 app written in CommonJS: require() of the ESM-only packages (h3 2 is ESM-only too).
const { flowllmH3 } = require('@flowllm/h3');
const { H3, serve } = require('h3');

const config = {
  llm: { default: { backend: 'mock', answer: 'Hello from the packed tarballs' } },
  flow: { chat: { flow_content: 'StreamChatOp()', stream: true } },
};

const app = new H3();
app.get('/', () => 'the host app');
app.mount('/api', flowllmH3(config));
const server = serve(app, { port: 0, hostname: '127.0.0.1', silent: true });
server.ready().then(() => console.log(`LISTENING ${new URL(server.url).port}`));
