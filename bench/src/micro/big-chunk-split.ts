// Probe (issue 19, 16 KB chunks): the bench's own servers (server.ts) and load client (client.ts), one
// workload, targets interleaved over rounds; prints server and client CPU per frame split into user and
// system time, so a shift of kernel work between the two processes shows.
//   node --import tsx src/micro/big-chunk-split.ts [rounds=3]   (TARGETS, SIZE, K, C, TOKENS, WINDOW_MS)
// A target `<name>@base` is that target on another build of core: CORE_BASE=<its dist/index.js>, kept
// inside the workspace (e.g. packages/core/dist-base) so its own imports resolve.
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { Child } from '../ipc.js';
import { BENCH_PATH } from '../targets.js';

const ROUNDS = Number(process.argv[2] ?? 3);
const targets = (process.env.TARGETS ?? 'raw-batched,ours-node').split(',');
const workload = {
  conns: Number(process.env.C ?? 50),
  k: Number(process.env.K ?? 8),
  size: Number(process.env.SIZE ?? 16384),
};
const tokens = Number(process.env.TOKENS ?? 64);
const windowMs = Number(process.env.WINDOW_MS ?? 800);

/** `--import` of a loader hook that resolves `@flowllm/core` to CORE_BASE. */
function coreBaseImport(): string[] {
  if (!process.env.CORE_BASE) throw new Error('a target ending in @base needs CORE_BASE=<dist/index.js>');
  const hook = `export async function resolve(specifier, context, next) {
    if (specifier === '@flowllm/core') return { url: ${JSON.stringify(pathToFileURL(process.env.CORE_BASE).href)}, shortCircuit: true };
    return next(specifier, context);
  }`;
  const register = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hook)}`)});`;
  return ['--import', `data:text/javascript,${encodeURIComponent(register)}`];
}

type Cpu = { user: number; system: number };
const client = new Child('client.ts', [], { fileLimit: 4096 });
await client.once('ready');
const servers = new Map<string, { server: Child; port: number }>();
for (const name of targets) {
  // CPU_PROF=<dir>: a `--cpu-prof` profile of every server, written when it exits.
  const prof = process.env.CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.CPU_PROF}/${name}`] : [];
  const base = name.endsWith('@base') ? coreBaseImport() : [];
  const server = new Child('server.ts', [name.replace(/@base$/, '')], {
    fileLimit: 4096,
    nodeArgs: ['--expose-gc', ...prof, ...base],
  });
  const ready = await server.once('ready', 60_000);
  servers.set(name, { server, port: Number(ready.port) });
}
const rows = new Map<string, number[][]>(targets.map((t) => [t, []]));
// Every frame a server sent (warm-ups included), to turn a profile's milliseconds into µs per frame.
const served = new Map<string, number>(targets.map((t) => [t, 0]));
for (let round = -1; round < ROUNDS; round++) {
  const shift = (round + 1) % targets.length;
  for (const name of [...targets.slice(shift), ...targets.slice(0, shift)]) {
    const { server, port } = servers.get(name)!;
    const start = Number((await client.call({ type: 'mark' })).events);
    await client.call({ type: 'load-start', port, path: BENCH_PATH, ...workload, n: tokens });
    await sleep(300);
    const [s1, c1] = await Promise.all([server.call({ type: 'cpu' }), client.call({ type: 'mark' })]);
    await sleep(windowMs);
    const [s2, c2] = await Promise.all([server.call({ type: 'cpu' }), client.call({ type: 'mark' })]);
    await client.call({ type: 'load-stop', port, path: BENCH_PATH });
    served.set(name, served.get(name)! + Number((await client.call({ type: 'mark' })).events) - start);
    const events = Number(c2.events) - Number(c1.events);
    const us = (a: unknown, b: unknown, key: keyof Cpu) => ((b as Cpu)[key] - (a as Cpu)[key]) / events;
    const elapsed = Number(c2.atUs) - Number(c1.atUs);
    if (round >= 0)
      rows
        .get(name)!
        .push([
          us(s1.cpu, s2.cpu, 'user'),
          us(s1.cpu, s2.cpu, 'system'),
          us(c1.cpu, c2.cpu, 'user'),
          us(c1.cpu, c2.cpu, 'system'),
          (events / elapsed) * 1e6,
        ]);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const cell = (xs: number[], digits = 1) =>
  `${median(xs).toFixed(digits)} (${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)})`;
console.log(`C=${workload.conns} K=${workload.k} size=${workload.size} tokens=${tokens} rounds=${ROUNDS}`);
console.log('target        server user µs/frame | server sys | client user | client sys | events/s');
for (const name of targets) {
  const xs = rows.get(name)!;
  const col = (i: number) => xs.map((x) => x[i]!);
  console.log(
    `${name.padEnd(13)} ${cell(col(0))} | ${cell(col(1))} | ${cell(col(2))} | ${cell(col(3))} | ${median(col(4)).toFixed(0)}` +
      `  (${served.get(name)} frames served in all)`,
  );
}
// Capacity as the bench reports it: the first target's server CPU per frame ÷ this one's, per round.
const first = rows.get(targets[0]!)!;
for (const name of targets) {
  const xs = rows.get(name)!;
  const total = xs.map((x) => x[0]! + x[1]!);
  console.log(
    `${name.padEnd(16)} server user+sys ${cell(total)} µs/frame, capacity vs first ${cell(
      total.map((t, i) => (first[i]![0]! + first[i]![1]!) / t),
      2,
    )}`,
  );
}
for (const { server } of servers.values()) await server.stop();
await client.stop();
