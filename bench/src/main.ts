// `pnpm bench` (root) → `node --import tsx src/main.ts`: runs every target, prints the table and the
// goals, writes BENCHMARKS.md, bench/results/chart.svg and bench/results/latest.json.
//
//   --quick            `bench:quick`: every target, the workloads with goals, short windows, 2 rounds
//                      (under two minutes on 2 cores); implies --no-write
//   --smoke            tiny sizes (seconds, what the CI smoke test uses); implies --no-write
//   --targets=a,b      only these targets (see src/targets.ts)
//   --workloads=a,b    only these throughput workloads (ids in FULL_WORKLOADS, src/run.ts); implies --no-write
//   --reps=N           repetitions of the throughput and latency windows
//   --phases=a,b       only these phases (memory, frames, ttfb, throughput, latency, disconnect); implies --no-write
//   --no-write         print only
//   --render           no run: re-render BENCHMARKS.md from bench/results/latest.json (after editing
//                      src/analysis.md)
//   --resume-cost      only ours-node with resume off, on (memory) and on (Redis; a redis-server is started
//                      on a free port), no disconnect phase, 5 reps: writes the "Resume cost" section of
//                      BENCHMARKS.md, bench/results/resume-cost.{md,json} (with --quick: print only;
//                      with --render: no run, the section again from bench/results/resume-cost.json)
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { BENCH_DIR } from './ipc.js';
import {
  benchmarksMarkdown,
  chartSvg,
  goalsText,
  judgeGoals,
  SAVED_SECTIONS,
  textTable,
  writeSavedSection,
} from './report.js';
import { headlineTable } from './report-workloads.js';
import { resumeCostMarkdown, resumeCostText } from './resume-cost.js';
import {
  type BenchSizes,
  FULL_SIZES,
  PHASES,
  QUICK_SIZES,
  type RunInfo,
  runBench,
  SMOKE_SIZES,
} from './run.js';
import { DEFAULT_TARGETS, RESUME_COST_TARGETS } from './targets.js';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const value = (name: string) => args.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);

const quick = flag('quick') || flag('smoke');
const sizes = { ...(flag('smoke') ? SMOKE_SIZES : quick ? QUICK_SIZES : FULL_SIZES) };
const reps = value('reps');

if (flag('resume-cost')) {
  // Ratios need more than three rounds to show a spread worth the name; one workload (the headline).
  Object.assign(sizes, quick ? SMOKE_SIZES : { reps: 5 });
  sizes.workloads = sizes.workloads?.slice(0, 1);
  if (reps) sizes.reps = Math.max(1, Number(reps));
  // With --render: no run, the section again from bench/results/resume-cost.json.
  const savedRun = flag('render')
    ? (JSON.parse(readFileSync(join(BENCH_DIR, 'results', 'resume-cost.json'), 'utf8')) as RunInfo & {
        date: string;
        sizes: BenchSizes;
        loadAverage: number;
      })
    : undefined;
  if (savedRun) Object.assign(sizes, savedRun.sizes);
  const date = savedRun ? new Date(savedRun.date) : new Date();
  const run =
    savedRun ??
    (await runBench({
      sizes,
      targets: [...RESUME_COST_TARGETS],
      phases: PHASES.filter((phase) => phase !== 'disconnect'),
    }));
  process.stdout.write(`\n${textTable(run.results, sizes)}\n\n${resumeCostText(run)}\n`);
  const command = `pnpm --filter @flowllm/bench run bench -- --resume-cost${reps ? ` --reps=${reps}` : ''}`;
  const loadAverage = savedRun?.loadAverage ?? loadavg()[0] ?? Number.NaN;
  const section = resumeCostMarkdown(run, sizes, { date, command, loadAverage });
  if (quick) process.stdout.write(`\n${section}`);
  else {
    mkdirSync(join(BENCH_DIR, 'results'), { recursive: true });
    if (!savedRun)
      writeFileSync(
        join(BENCH_DIR, 'results', 'resume-cost.json'),
        `${JSON.stringify({ date, sizes, loadAverage, ...run }, null, 2)}\n`,
      );
    writeSavedSection('resume-cost.md', section);
    process.stdout.write(
      '\nwrote the Resume cost section of BENCHMARKS.md and bench/results/resume-cost.{md,json}\n',
    );
  }
  process.exit(0);
}

if (reps) sizes.reps = Math.max(1, Number(reps));
const only = value('targets')?.split(',').filter(Boolean);
const someWorkloads = value('workloads')?.split(',').filter(Boolean);
if (someWorkloads)
  sizes.workloads = sizes.workloads?.filter((workload) => someWorkloads.includes(workload.id));
const write = !quick && !flag('no-write') && !only && !someWorkloads && !value('phases');
const targets = only ?? [...DEFAULT_TARGETS];

const latest = join(BENCH_DIR, 'results', 'latest.json');
const saved = flag('render')
  ? (JSON.parse(readFileSync(latest, 'utf8')) as RunInfo & { date: string; sizes: BenchSizes })
  : undefined;
const date = saved ? new Date(saved.date) : new Date();
if (saved) Object.assign(sizes, saved.sizes);
// bench:quick leaves out the disconnect phase (the smoke test and the full run have it); --phases=a,b
// runs only those (e.g. `--phases=throughput` to compare CPU per frame quickly; implies --no-write).
const phasesOnly = value('phases')?.split(',');
const phases = phasesOnly
  ? PHASES.filter((phase) => phasesOnly.includes(phase))
  : flag('quick')
    ? PHASES.filter((phase) => phase !== 'disconnect')
    : PHASES;
const run: RunInfo = saved ?? (await runBench({ sizes, targets, phases }));
process.stdout.write(
  `\nserver CPU per frame, capacity × the floor, median (min–max) over ${sizes.reps} rounds (c = client-bound):\n` +
    `${headlineTable(run.results, sizes, 'text')}\n\n${textTable(run.results, sizes)}\n\n` +
    `${goalsText(judgeGoals(run.results, sizes))}\n`,
);
for (const mismatch of run.frames?.mismatches ?? []) process.stdout.write(`FRAMES DIFFER: ${mismatch}\n`);
for (const result of run.results) {
  if (result.failures > 0)
    process.stdout.write(
      `${result.target.name}: ${result.failures} streams failed (${result.reasons.join('; ')})\n`,
    );
}

if (write || saved) {
  const results = join(BENCH_DIR, 'results');
  mkdirSync(results, { recursive: true });
  writeFileSync(join(results, 'chart.svg'), chartSvg(run.results));
  if (!saved) writeFileSync(latest, `${JSON.stringify({ date, sizes, ...run }, null, 2)}\n`);
  const analysis = readFileSync(join(BENCH_DIR, 'src', 'analysis.md'), 'utf8');
  const savedSections = Object.fromEntries(
    SAVED_SECTIONS.map(({ file }) => {
      const path = join(results, file);
      return [file, existsSync(path) ? readFileSync(path, 'utf8') : undefined];
    }),
  );
  const markdown = benchmarksMarkdown({
    run,
    sizes,
    command: 'pnpm bench',
    chartPath: 'bench/results/chart.svg',
    analysis,
    savedSections,
    date,
  });
  writeFileSync(join(BENCH_DIR, '..', 'BENCHMARKS.md'), markdown);
  process.stdout.write('\nwrote BENCHMARKS.md, bench/results/chart.svg, bench/results/latest.json\n');
}
