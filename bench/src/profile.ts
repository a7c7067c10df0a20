// `pnpm --filter @flowllm/bench run profile -- ours-node raw-batched [--workload=c50-k8] [--reps=3]`:
// runs only the throughput phase of one workload (the headline, C=50 K=1, unless named; see
// FULL_WORKLOADS in run.ts), profiles each target's server during exactly its measured windows, and
// prints where the CPU of one frame goes: µs per frame by function and by package, then (with two or
// more targets) the functions where the targets differ most, side by side. The profile sees the main
// thread; "not in the profile" is the rest of the measured server CPU (GC helper threads, the kernel
// time of other threads). The profiler itself adds CPU: compare targets within one run.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FULL_SIZES, FULL_WORKLOADS, runBench } from './run.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** One target's profiled windows: µs by function and by package (summed), frames and measured CPU. */
interface Tallied {
  byFunction: Map<string, number>;
  byPackage: Map<string, number>;
  events: number;
  serverUs: number;
  socketWrites: number;
}

function packageOf(url: string, where: string): string {
  if (url === '') return '(native/idle/gc)';
  if (url.startsWith('node:')) return 'node internals';
  return (
    where
      .split('/')
      .slice(0, where.startsWith('@') ? 2 : 1)
      .join('/') || where
  );
}

/** Adds one `.cpuprofile`'s self time per function and per package to `into`. */
export function addProfile(into: Tallied, profile: CpuProfile): void {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    const frame = nodes.get(id)!.callFrame;
    const where = frame.url
      .replace(/^.*node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?/, '')
      .replace(/^.*\/(packages|bench)\//, '$1/')
      // Build chunk hashes change with every build: name the chunk, not the hash.
      .replace(/-[\w-]{8}\.(m?js)$/, '.$1');
    const name = `${frame.functionName || '(anonymous)'}  ${where}${where ? `:${frame.lineNumber + 1}` : ''}`;
    into.byFunction.set(name, (into.byFunction.get(name) ?? 0) + delta);
    const pkg = packageOf(frame.url, where);
    into.byPackage.set(pkg, (into.byPackage.get(pkg) ?? 0) + delta);
  });
}

const perFrame = (us: number, t: Tallied) => (us / t.events).toFixed(3).padStart(8);
const busy = (t: Tallied) =>
  [...t.byFunction].filter(([name]) => !name.startsWith('(idle)')).reduce((sum, [, us]) => sum + us, 0);

function report(name: string, t: Tallied, top = 30): string {
  const rows = (map: Map<string, number>, count: number) =>
    [...map]
      .filter(([key]) => !key.startsWith('(idle)'))
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(([key, us]) => `${perFrame(us, t)} µs  ${key}`)
      .join('\n');
  const profiled = busy(t);
  return (
    `\n== ${name}: ${t.events} frames; measured server CPU ${perFrame(t.serverUs, t)} µs/frame, ` +
    `in the profile (main thread, not idle) ${perFrame(profiled, t)}, not in the profile ` +
    `${perFrame(t.serverUs - profiled, t)}; ${(t.events / t.socketWrites).toFixed(2)} frames per socket write` +
    `\nby function (µs per frame):\n${rows(t.byFunction, top)}\n` +
    `by package:\n${rows(t.byPackage, 12)}\n`
  );
}

/** The functions where the targets' µs per frame differ most, one column per target. */
function compare(tallies: [string, Tallied][], top = 25): string {
  const names = new Set(tallies.flatMap(([, t]) => [...t.byFunction.keys()]));
  names.delete('(idle)  ');
  const rows = [...names]
    .map((name) => ({ name, costs: tallies.map(([, t]) => (t.byFunction.get(name) ?? 0) / t.events) }))
    .sort(
      (a, b) => Math.max(...b.costs) - Math.min(...b.costs) - (Math.max(...a.costs) - Math.min(...a.costs)),
    )
    .slice(0, top);
  const head = tallies.map(([target]) => target.slice(0, 12).padStart(12)).join(' ');
  const lines = rows.map(
    ({ name, costs }) => `${costs.map((cost) => cost.toFixed(3).padStart(12)).join(' ')}  ${name}`,
  );
  return `\n== where they differ (µs per frame)\n${head}\n${lines.join('\n')}\n`;
}

const targets = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const option = (name: string) =>
  process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
const workloadId = option('workload');
const workload = FULL_WORKLOADS.find((candidate) => candidate.id === (workloadId ?? FULL_WORKLOADS[0]!.id));
if (!workload) throw new Error(`no workload '${workloadId}': ${FULL_WORKLOADS.map((w) => w.id).join(', ')}`);
const dir = mkdtempSync(join(tmpdir(), 'flowllm-prof-'));
process.env.BENCH_COUNT_WRITES = '1'; // the servers count their socket writes (src/server.ts)
try {
  await runBench({
    sizes: {
      ...FULL_SIZES,
      reps: Number(option('reps') ?? 2),
      conns: workload.conns,
      workloads: [{ ...workload, targets: undefined }],
    },
    targets: targets.length ? targets : ['ours-node'],
    phases: ['throughput'],
    cpuProfDir: dir,
  });
  const tallies = new Map<string, Tallied>();
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.cpuprofile'))) {
    const target = file.split('.')[0]!;
    const t = tallies.get(target) ?? {
      byFunction: new Map(),
      byPackage: new Map(),
      events: 0,
      serverUs: 0,
      socketWrites: 0,
    };
    addProfile(t, JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile);
    const window = JSON.parse(readFileSync(join(dir, file.replace(/\.cpuprofile$/, '.json')), 'utf8'));
    t.events += window.events;
    t.serverUs += window.serverUs;
    t.socketWrites += window.socketWrites;
    tallies.set(target, t);
  }
  for (const [target, t] of tallies) process.stdout.write(report(`${target} ${workload.id}`, t));
  if (tallies.size > 1) process.stdout.write(compare([...tallies]));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
