// An h3 app in TypeScript (ES modules), type-checked against the installed declarations.
import type { FlowServiceSource } from '@flowllm/core';
import { type FlowllmFetchHandler, type FlowllmH3Options, flowllmH3 } from '@flowllm/h3';
import { H3, serve } from 'h3';

const config: FlowServiceSource = {
  llm: { default: { backend: 'mock', answer: 'Hello from the packed tarballs' } },
  flow: { chat: { flow_content: 'StreamChatOp()', stream: true } },
};
const options: FlowllmH3Options = { offlineFallback: false };
const handler: FlowllmFetchHandler = flowllmH3(config, options);

const app = new H3();
app.get('/', () => 'the host app');
app.mount('/api', handler);
const server = serve(app, { port: 0, hostname: '127.0.0.1', silent: true });
await server.ready();
console.log(`LISTENING ${new URL(server.url ?? '').port}`);
