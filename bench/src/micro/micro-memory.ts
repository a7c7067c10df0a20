// Heap per idle stream inside flowllm, without sockets: the engine's share of the Node path's memory.
// `node --expose-gc --import tsx src/micro/micro-memory.ts`
import type { FlowStream } from '@flowllm/core';
import type { ServiceRequest } from '@flowllm/core/adapter';
import { BenchModel } from '../model.js';
import { benchService } from '../servers/ours.js';

const COUNT = 2000;
const gc = (globalThis as { gc?: () => void }).gc!;
const settle = async () => {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return process.memoryUsage().heapUsed;
};
const service = benchService();
const flow = service.app.flow('bench');
const keep: unknown[] = [];

async function perStream(name: string, open: () => Promise<unknown>): Promise<void> {
  keep.length = 0;
  const before = await settle();
  for (let i = 0; i < COUNT; i++) keep.push(await open());
  const after = await settle();
  console.log(`${name.padEnd(48)} ${((after - before) / COUNT / 1024).toFixed(2).padStart(6)} KB/stream`);
  for (const item of keep) (item as { cancel?: () => void }).cancel?.();
  keep.length = 0;
}

await perStream('model alone (idle after 1 token)', async () => {
  const model = new BenchModel({ n: 2, iv: 0, idle: true });
  await model.next();
  void model.next();
  return { cancel: () => model.stop() };
});
await perStream('flow.stream() (op tree, context, channel)', async () => {
  const stream = flow.stream({ n: 2, idle: true });
  await stream.next();
  return stream;
});
const request = (signal: AbortSignal): ServiceRequest => ({
  method: 'POST',
  path: '/bench',
  query: new URLSearchParams(),
  header: (name) => (name === 'content-type' ? 'application/json' : undefined),
  readBody: async () => '{"n":2,"idle":true}',
  signal,
});
await perStream('service.handle() (+ routing, validation, signals)', async () => {
  const controller = new AbortController();
  const result = await service.handle(request(controller.signal));
  const stream = (result as { stream: FlowStream }).stream;
  await stream.next();
  return stream;
});
