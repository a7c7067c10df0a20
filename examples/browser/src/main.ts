import { buildServer } from './server.js';

const port = Number(process.env.PORT ?? 8010);
const host = process.env.HOST ?? '127.0.0.1';
const demo = buildServer();
const url = await demo.listen(port, host);
console.log(`flowllm browser demo on ${url} (EventSource variant: ${url}event-source.html) — Ctrl-C to stop`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    demo.close().then(() => process.exit(0));
  });
}
