// In-process cost per chunk of each stage of flowllm's stream path (no sockets): where the
// nodeListener's extra CPU over raw node:http goes. `node --import tsx src/micro/micro-stages.ts`
import { SseFramer } from '@flowllm/core/adapter';
import { createChunk, encodeChunkEvent } from '@flowllm/core/sse';
import { BENCH_FLOW_ID, BenchModel, chunkObject } from '../model.js';
import { benchService } from '../servers/ours.js';

const STREAMS = 64;
const TOKENS = 256;
const ROUNDS = Number(process.env.ROUNDS ?? 30);

const only = process.argv[2];

async function measure(name: string, stream: () => Promise<void>): Promise<number> {
  if (only && !name.startsWith(only)) return Number.NaN;
  const once = async () => {
    // CPU time, not wall time: other processes on the machine do not inflate it.
    const started = process.cpuUsage();
    await Promise.all(Array.from({ length: STREAMS }, stream));
    const used = process.cpuUsage(started);
    return ((used.user + used.system) * 1000) / (STREAMS * TOKENS);
  };
  for (let i = 0; i < 5; i++) await once();
  const samples: number[] = [];
  for (let i = 0; i < ROUNDS; i++) samples.push(await once());
  samples.sort((a, b) => a - b);
  const ns = samples[samples.length >> 1]!;
  console.log(`${name.padEnd(44)} ${ns.toFixed(0).padStart(6)} ns/chunk`);
  return ns;
}

const service = benchService();
const flow = service.app.flow('bench');

const PREFIX = `data:{"flow_id":"${BENCH_FLOW_ID}","chunk_type":"answer","chunk":"`;
const SUFFIX = '","done":false,"metadata":{}}\n\n';
let sink = 0;

await measure('model only', async () => {
  for await (const tok of new BenchModel({ n: TOKENS, iv: 0 })) sink += tok.length;
});
await measure('model + prebuilt frame (raw floor, no I/O)', async () => {
  for await (const tok of new BenchModel({ n: TOKENS, iv: 0 })) sink += (PREFIX + tok + SUFFIX).length;
});
await measure('model + createChunk + encodeChunkEvent', async () => {
  for await (const tok of new BenchModel({ n: TOKENS, iv: 0 }))
    sink += encodeChunkEvent(createChunk(BENCH_FLOW_ID, 'answer', tok)).length;
});
await measure('model + createChunk + SseFramer (template)', async () => {
  const framer = new SseFramer('post');
  for await (const tok of new BenchModel({ n: TOKENS, iv: 0 }))
    sink += framer.frame(createChunk(BENCH_FLOW_ID, 'answer', tok)).length;
});
await measure('model + JSON.stringify(chunkObject)', async () => {
  for await (const tok of new BenchModel({ n: TOKENS, iv: 0 }))
    sink += JSON.stringify(chunkObject(tok)).length;
});
await measure('engine: flow.stream(), next() + takeQueued()', async () => {
  const stream = flow.stream({ n: TOKENS, iv: 0 });
  for (;;) {
    const { done } = await stream.next();
    if (done) break;
    sink += stream.takeQueued().length;
  }
});
await measure('engine + nextTick coalescing (the pump)', async () => {
  const stream = flow.stream({ n: TOKENS, iv: 0 });
  for (;;) {
    const { done } = await stream.next();
    if (done) break;
    await new Promise<void>((resolve) => process.nextTick(resolve));
    sink += stream.takeQueued().length;
  }
});
await measure('engine + coalescing + SseFramer (the pump, no I/O)', async () => {
  const stream = flow.stream({ n: TOKENS, iv: 0 });
  const framer = new SseFramer('post');
  for (;;) {
    const { value, done } = await stream.next();
    if (done) break;
    await new Promise<void>((resolve) => process.nextTick(resolve));
    let text = framer.frame(value);
    for (const chunk of stream.takeQueued()) text += framer.frame(chunk);
    sink += text.length;
  }
});
console.log(sink > 0 ? '' : 'x');
