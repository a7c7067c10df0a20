// In-process cost per chunk of each stage of flowllm's stream path (no sockets): where the
// nodeListener's extra CPU over raw node:http goes. `node --import tsx src/proto/micro-stages.ts`
import { BaseOp, createChunk, createFlowApp, encodeChunkEvent, SseFramer } from '@flowllm/core';
import { BENCH_FLOW_ID, BenchModel, chunkObject } from '../model.js';
import { benchService } from '../servers/ours.js';
import { ChunkEncoder } from './node-path.js';

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

/** Proposal: an op that awaits `addStreamChunk` only when it returned a new (pending) promise. */
class SkipAwaitOp extends BaseOp {
  async execute(): Promise<void> {
    let settled: Promise<void> | undefined;
    for await (const tok of new BenchModel({ n: Number(this.context.get('n')), iv: 0 })) {
      const room = this.context.addStreamChunkAndType(tok);
      // The channel returns one shared, already-resolved promise while it has room.
      if (room === settled) continue;
      await room;
      settled = room;
    }
  }
}
const skipFlow = createFlowApp({
  config: { flow: { bench: { flow_content: 'SkipAwaitOp()', stream: true } } },
  env: {},
  ops: [SkipAwaitOp],
}).flow('bench');
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
await measure('model + createChunk + ChunkEncoder (proposal)', async () => {
  const encoder = new ChunkEncoder();
  for await (const tok of new BenchModel({ n: TOKENS, iv: 0 }))
    sink += encoder.encode(createChunk(BENCH_FLOW_ID, 'answer', tok)).length;
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
await measure('engine, op skips the await when there is room', async () => {
  const stream = skipFlow.stream({ n: TOKENS, iv: 0 });
  for (;;) {
    const { done } = await stream.next();
    if (done) break;
    await new Promise<void>((resolve) => process.nextTick(resolve));
    sink += stream.takeQueued().length;
  }
});
await measure('engine + nextTick coalescing (proposal)', async () => {
  const stream = flow.stream({ n: TOKENS, iv: 0 });
  for (;;) {
    const { done } = await stream.next();
    if (done) break;
    await new Promise<void>((resolve) => process.nextTick(resolve));
    sink += stream.takeQueued().length;
  }
});
await measure('engine + SseFramer', async () => {
  const stream = flow.stream({ n: TOKENS, iv: 0 });
  const framer = new SseFramer('post');
  for (;;) {
    const { value, done } = await stream.next();
    if (done) break;
    let text = framer.frame(value);
    for (const chunk of stream.takeQueued()) text += framer.frame(chunk);
    sink += text.length;
  }
});
console.log(sink > 0 ? '' : 'x');
