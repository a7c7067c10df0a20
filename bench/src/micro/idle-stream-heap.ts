// Heap per idle stream of the Node path without sockets (service.handle → writeNodeStream → a response
// that only counts bytes), for one build of core: compare a change with the build before it.
//   node --expose-gc --import tsx src/micro/idle-stream-heap.ts [<build's dist/index.js>] [count=2000]
import { EventEmitter } from 'node:events';
import { Readable } from 'node:stream';

type Core = typeof import('@flowllm/core') & typeof import('@flowllm/core/adapter');
const from = process.argv[2] || import.meta.resolve('@flowllm/core');
const COUNT = Number(process.argv[3] ?? 2000);
const core = (await import(from)) as Core;
const adapter = (await import(from.replace(/index\.js$/, 'adapter.js'))) as Core;
const gc = (globalThis as { gc?: () => void }).gc!;

/** After its first token the op waits until aborted: an idle open stream. */
class IdleOp extends core.BaseOp {
  async execute(): Promise<void> {
    await this.context.addStreamChunkAndType('first');
    const signal = this.signal;
    await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
  }
}
const app = core.createFlowApp({
  // No cap: the run holds more streams than http.max_streams' default (a stream is counted all the same).
  config: { http: { max_streams: 0 }, flow: { idle: { flow_content: 'IdleOp()', stream: true } } },
  env: {},
  ops: [IdleOp],
});
const service = core.createFlowService(app, { logger: { error() {}, warn() {}, info() {} } });

class QuietResponse extends EventEmitter {
  writableEnded = false;
  headersSent = false;
  destroyed = false;
  wrote = 0;
  writeHead(): this {
    this.headersSent = true;
    return this;
  }
  write(): boolean {
    this.wrote++;
    return true;
  }
  end(): void {
    this.writableEnded = true;
    this.emit('close');
  }
}

async function open(): Promise<QuietResponse> {
  const body = '{"query":"hi"}';
  const req = Object.assign(Readable.from([Buffer.from(body)]), {
    method: 'POST',
    url: '/idle',
    headers: { 'content-type': 'application/json', 'content-length': String(body.length) },
  });
  const res = new QuietResponse();
  void adapter.handleNodeRequest(service, req as never, res as never);
  while (res.wrote === 0) await new Promise((resolve) => setImmediate(resolve));
  return res;
}

const settle = async () => {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return process.memoryUsage().heapUsed;
};
for (let i = 0; i < 200; i++) await open(); // warm up: code and shapes are not per-stream
const keep: QuietResponse[] = [];
const before = await settle();
for (let i = 0; i < COUNT; i++) keep.push(await open());
const after = await settle();
console.log(`${((after - before) / COUNT / 1024).toFixed(2)} KB heap per idle stream (${keep.length} open)`);
process.exit(0);
