// `pnpm --filter @flowllm/bench run profile -- ours-node [more targets] [--workload=c50-k8]`: runs only
// the throughput phase of one workload (the headline, C=50 K=1, unless named; see FULL_WORKLOADS in
// run.ts) with `--cpu-prof` on each target's server and prints where its CPU went (self time by
// function, and by package).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FULL_SIZES, FULL_WORKLOADS, runBench } from './run.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

/** Self time per function and per package of a `.cpuprofile`, largest first. */
export function summarise(file: string, top = 30): string {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as {
    nodes: ProfileNode[];
    samples: number[];
    timeDeltas: number[];
  };
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    const frame = nodes.get(id)!.callFrame;
    const where = frame.url
      .replace(/^.*node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?/, '')
      .replace(/^.*\/work\/main\//, '');
    const name = `${frame.functionName || '(anonymous)'}  ${where}${where ? `:${frame.lineNumber + 1}` : ''}`;
    const pkg =
      frame.url === ''
        ? '(native/idle/gc)'
        : frame.url.startsWith('node:')
          ? 'node internals'
          : where
              .split('/')
              .slice(0, where.startsWith('@') ? 2 : 1)
              .join('/') || where;
    byFunction.set(name, (byFunction.get(name) ?? 0) + delta);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + delta);
    total += delta;
  });
  const rows = (map: Map<string, number>, count: number) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(
        ([key, us]) =>
          `${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / total).toFixed(1).padStart(5)} %  ${key}`,
      )
      .join('\n');
  return `by function:\n${rows(byFunction, top)}\nby package:\n${rows(byPackage, 12)}`;
}

const targets = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const workloadId = process.argv.find((arg) => arg.startsWith('--workload='))?.slice('--workload='.length);
const workload = FULL_WORKLOADS.find((candidate) => candidate.id === (workloadId ?? FULL_WORKLOADS[0]!.id));
if (!workload) throw new Error(`no workload '${workloadId}': ${FULL_WORKLOADS.map((w) => w.id).join(', ')}`);
for (const target of targets.length ? targets : ['ours-node']) {
  const dir = mkdtempSync(join(tmpdir(), 'flowllm-prof-'));
  await runBench({
    sizes: {
      ...FULL_SIZES,
      reps: 2,
      conns: workload.conns,
      workloads: [{ ...workload, targets: undefined }],
    },
    targets: [target],
    phases: ['throughput'],
    cpuProfDir: dir,
  });
  // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile: thread 0 is the main thread (1 is tsx's loader).
  for (const file of readdirSync(dir).filter((name) => name.split('.')[4] === '0')) {
    process.stdout.write(`\n== ${target} (${file})\n${summarise(join(dir, file))}\n`);
  }
  rmSync(dir, { recursive: true, force: true });
}
