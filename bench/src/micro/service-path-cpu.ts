// CPU per frame of the whole Node path without sockets (service.handle → writeNodeStream → a response
// that only counts bytes), for two builds of core in one process, in interleaved rounds: shows a
// change's effect on flowllm's own JavaScript where socket noise would hide it. A third row, `floor`,
// is the raw batched server's JavaScript on the same counting response (frames built by hand, one
// write per tick): how far flowllm's own code is from it.
//   CORE_BASE=<other build's dist/index.js> node --import tsx src/micro/service-path-cpu.ts [K=1] [ROUNDS=15]
//   ONLY=new node --cpu-prof --cpu-prof-dir=<dir> --import tsx src/micro/service-path-cpu.ts 1 40
import { setImmediate as nextLoop } from 'node:timers/promises';
import { CountingResponse, nodePathRunner } from './node-path-runner.js';

const [K = 1, ROUNDS = 15] = process.argv.slice(2).map(Number);
const STREAMS = Number(process.env.STREAMS ?? 50);
const N = Number(process.env.TOKENS ?? 400);
const TOKEN = 'x'.repeat(Number(process.env.CHUNK ?? 10));

type Core = typeof import('@flowllm/core') & typeof import('@flowllm/core/adapter');

async function* produce(n: number, k: number, signal?: AbortSignal): AsyncGenerator<string> {
  for (let i = 0; i < n; ) {
    for (let j = 0; j < k && i < n; j++, i++) yield TOKEN;
    await nextLoop();
    if (signal?.aborted) return;
  }
}

async function load(from: string): Promise<(streams: number) => Promise<number>> {
  const core = (await import(from)) as Core;
  const adapter = (await import(from.replace(/index\.js$/, 'adapter.js'))) as Core;
  class TickOp extends core.BaseOp {
    async execute(): Promise<void> {
      const n = this.context.get('n') as number;
      for await (const tok of produce(n, K, this.signal)) await this.context.addStreamChunkAndType(tok);
    }
  }
  const app = core.createFlowApp({
    config: { http: { max_streams: 0 }, flow: { bench: { flow_content: 'TickOp()', stream: true } } },
    env: {},
    ops: [TickOp],
  });
  const service = core.createFlowService(app, { logger: { error() {}, warn() {}, info() {} } });
  return nodePathRunner(adapter.handleNodeRequest as never, service, '/bench', JSON.stringify({ n: N }));
}

/** The raw batched floor without sockets: hand-built frames, one write per tick, as bench/src/servers/raw.ts. */
function floor(): (streams: number) => Promise<number> {
  const head = `data:{"flow_id":"${'0'.repeat(32)}","chunk_type":"answer","chunk":`;
  const one = async () => {
    const res = new CountingResponse();
    let pending = '';
    let queued = false;
    const flush = () => {
      queued = false;
      const text = pending;
      pending = '';
      res.write(text);
    };
    for await (const tok of produce(N, K)) {
      pending += `${head}${JSON.stringify(tok)},"done":false,"metadata":{}}\n\n`;
      if (!queued) {
        queued = true;
        process.nextTick(flush);
      }
    }
    res.write(`${pending}data:[DONE]\n\n`);
    return res.bytes;
  };
  return async (streams) =>
    (await Promise.all(Array.from({ length: streams }, one))).reduce((a: number, b: number) => a + b);
}

// The build to compare with: e.g. `git stash; pnpm --filter @flowllm/core build; cp -r packages/core/dist
// packages/core/.dist-base; git stash pop; pnpm --filter @flowllm/core build` (inside packages/core, so
// its dependencies resolve), then CORE_BASE=$PWD/packages/core/.dist-base/index.js.
function baseBuild(): string {
  const base = process.env.CORE_BASE;
  if (!base) throw new Error('set CORE_BASE to the dist/index.js of the build to compare with');
  return base;
}

// ONLY=new (or base, floor) runs one row, e.g. under `node --cpu-prof` to see where its time goes.
const only = process.env.ONLY;
const loaders: Record<string, () => Promise<(streams: number) => Promise<number>>> = {
  base: () => load(baseBuild()),
  new: () => load(process.env.CORE_NEW ?? import.meta.resolve('@flowllm/core')),
  floor: async () => floor(),
};
const builds: [string, (streams: number) => Promise<number>][] = [];
for (const name of only ? [only] : Object.keys(loaders)) builds.push([name, await loaders[name]!()]);
const samples = new Map<string, number[]>(builds.map(([name]) => [name, []]));
const sizes = new Set<number>();
for (let round = -2; round < ROUNDS; round++) {
  const shift = (round + 3) % builds.length;
  for (const [name, run] of [...builds.slice(shift), ...builds.slice(0, shift)]) {
    const started = process.cpuUsage();
    const bytes = await run(STREAMS);
    if (name !== 'floor') sizes.add(bytes);
    const used = process.cpuUsage(started);
    if (round >= 0) samples.get(name)!.push(((used.user + used.system) * 1000) / (STREAMS * N));
  }
}
// Both builds must send the same bytes.
if (sizes.size > 1) throw new Error(`the builds sent different byte counts: ${[...sizes]}`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
console.log(`K=${K} streams=${STREAMS} tokens=${N} rounds=${ROUNDS}`);
const base = samples.get(only ?? 'base')!;
for (const [name] of builds) {
  const xs = samples.get(name)!;
  const ratio = xs.map((x, i) => x / base[i]!);
  console.log(
    `${name.padEnd(5)} ${median(xs).toFixed(0)} ns/frame (${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)})  ` +
      `÷ base ${median(ratio).toFixed(3)} (${Math.min(...ratio).toFixed(3)}–${Math.max(...ratio).toFixed(3)})`,
  );
}
