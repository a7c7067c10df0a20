// Server CPU per frame of the Node path (service.node) against a hand-written raw node:http server that
// coalesces a tick's frames into one write (written as bench/src/servers/raw.ts's floor writes them),
// with K tokens per tick, C streams, interleaved rounds.
// Helper O's development probe for issue 19 ("close the gap"); the headline numbers come from the bench.
//   node --import tsx src/micro/pump-cpu.ts [K=1] [C=50] [ROUNDS=5]
// Core is imported from its build: run `pnpm --filter @flowllm/core build` after changing it.
import { type ChildProcess, fork } from 'node:child_process';
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setImmediate as nextLoop } from 'node:timers/promises';
import { writeBatch } from '../servers/raw.js';

const [K = 1, C = 50, ROUNDS = 5] = process.argv.slice(2).map(Number);
const N = Number(process.env.TOKENS ?? 400);
const CHUNK = Number(process.env.CHUNK ?? 10);
const FLOW_ID = '0123456789abcdef0123456789abcdef';
const TOKEN = 'x'.repeat(CHUNK);

/** The producer both servers share: K tokens, then the next turn of the event loop (a socket read). */
async function* produce(n: number, k: number, signal?: AbortSignal): AsyncGenerator<string> {
  for (let i = 0; i < n; ) {
    for (let j = 0; j < k && i < n; j++, i++) yield TOKEN;
    await nextLoop();
    if (signal?.aborted) return;
  }
}

async function rawBatched(req: IncomingMessage, res: ServerResponse): Promise<void> {
  let body = '';
  for await (const part of req) body += part;
  const { n, k } = JSON.parse(body) as { n: number; k: number };
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.flushHeaders();
  // Pre-built frames, like the bench's floor: the token is put between quotes without JSON escaping
  // (these tokens need none), which for 16 KB tokens saves Node 20's character-by-character escaping.
  const head = `data:{"flow_id":"${FLOW_ID}","chunk_type":"answer","chunk":"`;
  // The producer appends frames; one write per tick, scheduled at the first frame of the tick, written
  // as the floor writes it (bench/src/servers/raw.ts: one Buffer once a tick's frames pass 16 KB). A
  // full socket pauses the producer until 'drain'.
  let pending: string[] = [];
  let chars = 0;
  let full: Promise<void> | undefined;
  const flush = () => {
    const frames = pending;
    const batchChars = chars;
    pending = [];
    chars = 0;
    if (writeBatch(res, frames, batchChars)) return;
    full = new Promise((resolve) =>
      res.once('drain', () => {
        full = undefined;
        resolve();
      }),
    );
  };
  for await (const tok of produce(n, k)) {
    if (full) await full;
    const frame = `${head}${tok}","done":false,"metadata":{}}\n\n`;
    if (pending.push(frame) === 1) process.nextTick(flush);
    chars += frame.length;
  }
  res.end(`${pending.join('')}data:[DONE]\n\n`);
}

async function serve(target: string): Promise<void> {
  let handler: (req: IncomingMessage, res: ServerResponse) => unknown = rawBatched;
  if (target.startsWith('ours')) {
    // `ours-base` is another build of core (CORE_BASE=<its dist/index.js>), to compare a change with
    // what it changes in the same interleaved rounds.
    const core: typeof import('@flowllm/core') = await import(
      target === 'ours-base' ? process.env.CORE_BASE! : '@flowllm/core'
    );
    const { BaseOp, createFlowApp, createFlowService } = core;
    class TickOp extends BaseOp {
      async execute(): Promise<void> {
        const n = this.context.get('n') as number;
        const k = this.context.get('k') as number;
        for await (const tok of produce(n, k, this.signal)) await this.context.addStreamChunkAndType(tok);
      }
    }
    const app = createFlowApp({
      config: { http: { max_streams: 0 }, flow: { bench: { flow_content: 'TickOp()', stream: true } } },
      env: {},
      ops: [TickOp],
    });
    const quiet = { error: () => {}, warn: () => {}, info: () => {} };
    handler = createFlowService(app, { logger: quiet }).node;
  }
  const server = createServer(handler).listen(0, '127.0.0.1', () => {
    process.send?.({ port: (server.address() as AddressInfo).port });
  });
  // The orchestrator disconnecting is the end: exit cleanly, so `--cpu-prof` writes its profile.
  process.on('disconnect', () => process.exit(0));
  process.on('message', () => {
    const { user, system } = process.cpuUsage();
    process.send?.({ cpuUs: user + system });
  });
}

function ask<T>(child: ChildProcess): Promise<T> {
  return new Promise((resolve) => child.once('message', (message) => resolve(message as T)));
}

function stream(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        port,
        host: '127.0.0.1',
        method: 'POST',
        path: '/bench',
        headers: { 'content-type': 'application/json' },
      },
      (res) => {
        let frames = 0;
        let tail = '';
        res.setEncoding('utf8');
        res.on('data', (text: string) => {
          const all = tail + text;
          const parts = all.split('\n\n');
          tail = parts.pop()!;
          frames += parts.length;
        });
        res.on('end', () => resolve(frames));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify({ n: N, k: K }));
  });
}

async function main(): Promise<void> {
  const targets = (process.env.TARGETS ?? 'raw-batched,ours-node').split(',');
  const children = new Map<string, { child: ChildProcess; port: number }>();
  for (const target of targets) {
    // CPU_PROF=<dir> profiles the Node path's server (`--cpu-prof`, written when it exits); PROF_TARGET=raw-batched
    // profiles the floor instead.
    const prof =
      process.env.CPU_PROF && target === (process.env.PROF_TARGET ?? 'ours-node')
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.CPU_PROF}`]
        : [];
    const child = fork(new URL(import.meta.url), ['--serve', target], {
      execArgv: [...process.execArgv, ...prof],
    });
    const { port } = await ask<{ port: number }>(child);
    children.set(target, { child, port });
  }
  const samples = new Map<string, number[]>(targets.map((t) => [t, []]));
  for (let round = -1; round < ROUNDS; round++) {
    // Rotate the order so no target always runs on a warmer (or busier) machine.
    const shift = (round + 1) % targets.length;
    for (const target of [...targets.slice(shift), ...targets.slice(0, shift)]) {
      const { child, port } = children.get(target)!;
      child.send('cpu');
      const before = (await ask<{ cpuUs: number }>(child)).cpuUs;
      const frames = (await Promise.all(Array.from({ length: C }, () => stream(port)))).reduce(
        (a, b) => a + b,
      );
      child.send('cpu');
      const after = (await ask<{ cpuUs: number }>(child)).cpuUs;
      if (frames !== C * (N + 1)) throw new Error(`${target}: ${frames} frames, expected ${C * (N + 1)}`);
      if (round >= 0) samples.get(target)!.push(((after - before) * 1000) / frames);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  const floor = samples.get(targets[0]!)!;
  console.log(`K=${K} C=${C} N=${N} chunk=${CHUNK}B rounds=${ROUNDS}`);
  for (const target of targets) {
    const xs = samples.get(target)!;
    const ratios = xs.map((x, i) => floor[i]! / x);
    console.log(
      `${target.padEnd(12)} ${median(xs).toFixed(0)} ns/frame (${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)})  ` +
        `capacity vs first ${median(ratios).toFixed(2)} (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})`,
    );
  }
  for (const { child } of children.values()) child.disconnect();
}

if (process.argv[2] === '--serve') await serve(process.argv[3]!);
else await main();
