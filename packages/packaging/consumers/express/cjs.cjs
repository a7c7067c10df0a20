// An express app written in CommonJS: require() of the ESM-only packages (Node >= 20.19).
const { flowllmExpress } = require('@flowllm/express');
const express = require('express');

const config = {
  llm: { default: { backend: 'mock', answer: 'Hello from the packed tarballs' } },
  flow: { chat: { flow_content: 'StreamChatOp()', stream: true } },
};

const app = express();
app.get('/', (_request, response) => {
  response.send('the host app');
});
app.use('/api', flowllmExpress(config));
const server = app.listen(0, '127.0.0.1', () => console.log(`LISTENING ${server.address().port}`));
