// Turns a run into the printed table, the goal verdicts, BENCHMARKS.md and the chart.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, release, totalmem, type } from 'node:os';
import { join } from 'node:path';
import { BENCH_DIR } from './ipc.js';
import {
  clientBound,
  FRAMEWORK_LABEL,
  headlineTable,
  onWorkload,
  slowerThanFloor,
  spread,
  workloadDetailTable,
  workloadLabel,
} from './report-workloads.js';
import {
  type BenchSizes,
  median,
  type RunInfo,
  type TargetResult,
  type Workload,
  workloadsOf,
} from './run.js';

export interface Goal {
  name: string;
  /** Who it is about, e.g. "flowllm express". */
  subject: string;
  measured: string;
  wanted: string;
  met: boolean;
}

const fixed = (value: number, digits: number) => (Number.isFinite(value) ? value.toFixed(digits) : '–');
const ms = (us: number, digits = 2) => fixed(us / 1000, digits);
const kb = (bytes: number) => fixed(bytes / 1024, 1);

function floorOf(results: TargetResult[]): TargetResult | undefined {
  return results.find((result) => result.target.kind === 'floor');
}

/** Events/s as a multiple of the floor's in the same run. */
export function ratio(result: TargetResult, floor: TargetResult | undefined): number {
  return floor ? result.eventsPerSec / floor.eventsPerSec : Number.NaN;
}

/** The floor's CPU per chunk over this target's: capacity per core, as a multiple of the floor's. */
export function cpuRatio(result: TargetResult, floor: TargetResult | undefined): number {
  return floor ? floor.cpuPerMillion / result.cpuPerMillion : Number.NaN;
}

/** Whether other processes took more CPU than allowed during a target's windows (NaN/null: unknown). */
export function busy(foreign: number | null | undefined, sizes: BenchSizes): boolean {
  const limit = sizes.maxForeignCores ?? Number.POSITIVE_INFINITY;
  return typeof foreign === 'number' && foreign > limit;
}

/** Adapters held to the K = 8 goal of issue 19 (the fetch path has none of its own). */
const K8_ADAPTERS = new Set(['ours-express', 'ours-koa', 'ours-fastify', 'ours-h3']);

/** Each round's `a[i] / b[i]` (NaN where either is missing). */
function perRound(a: readonly number[] | undefined, b: readonly number[] | undefined): number[] {
  return (a ?? []).map((value, i) => value / (b?.[i] ?? Number.NaN));
}

/**
 * The goals of issue 19, judged on this run's figures (those whose targets and workloads ran): capacity
 * as a multiple of the floor per workload, no 16 KB cliff, scaling with C, memory per idle stream, the
 * lead over the peers; and the latency and disconnect goals kept from issue 8.
 */
export function judgeGoals(results: TargetResult[], sizes: BenchSizes): Goal[] {
  const goals: Goal[] = [];
  const floor = floorOf(results);
  const ours = results.filter((result) => result.target.kind === 'ours');
  const rate = (sizes.latencyStreams * 1000) / sizes.latencyIv;
  const workloads = workloadsOf(sizes);
  const find = (test: (workload: Workload) => boolean) => workloads.find(test);
  const headline = workloads[0];
  const c500k1 = find((w) => w.conns === 500 && w.k === 1 && w.size === 0);
  const k8 = find((w) => w.conns <= 100 && w.k === 8 && w.size === 0);
  const big = find((w) => w.size >= 16 * 1024);
  const crowd = find((w) => w.conns >= 2000 && w.k === 1 && w.size === 0);
  const capacityGoal = (result: TargetResult, workload: Workload | undefined, wanted: number) => {
    const entry = workload && onWorkload(result, workload.id);
    if (!workload || !entry) return;
    const value = median([...entry.ratioReps]);
    if (!Number.isFinite(value)) return;
    goals.push({
      name: `server CPU/frame × floor, ${workloadLabel(workload)}${clientBound(result, workload.id) ? ' (client-bound)' : ''}`,
      subject: result.target.label,
      measured: `${spread(entry.ratioReps, 2)}×`,
      wanted: `≥ ${wanted}×`,
      met: value >= wanted,
    });
  };
  for (const result of ours) {
    const subject = result.target.label;
    const name = result.target.name;
    if (name === 'ours-node') {
      capacityGoal(result, headline, 0.95);
      capacityGoal(result, c500k1, 0.85);
      capacityGoal(result, k8, 0.8);
    } else if (K8_ADAPTERS.has(name)) capacityGoal(result, k8, 0.7);
    // 16 KB chunks: against whichever raw server spent less CPU per frame in each round.
    const bigEntry = big && onWorkload(result, big.id);
    if (big && bigEntry) {
      const best = bigEntry.ratioReps.map((value, i) => {
        const naive = bigEntry.naiveRatioReps[i] ?? Number.NaN;
        return Number.isFinite(naive) ? Math.min(value, naive) : value;
      });
      goals.push({
        name: `server CPU/frame × best raw, ${workloadLabel(big)} (no cliff)`,
        subject,
        measured: `${spread(best, 2)}×`,
        wanted: '≥ 0.9×',
        met: median(best) >= 0.9,
      });
    }
    // Growth of CPU per frame from the headline's C to C = 2,000, against the floor's growth.
    const crowdEntry = crowd && onWorkload(result, crowd.id);
    const floorCrowd = crowd && floor && onWorkload(floor, crowd.id);
    const mine = headline && onWorkload(result, headline.id);
    const floorHead = headline && floor && onWorkload(floor, headline.id);
    if (crowd && crowdEntry && floorCrowd && mine && floorHead) {
      const growth = median(perRound(crowdEntry.cpuReps, mine.cpuReps));
      const floorGrowth = median(perRound(floorCrowd.cpuReps, floorHead.cpuReps));
      goals.push({
        name: `CPU/frame growth from C=${headline!.conns} to C=${crowd.conns}`,
        subject,
        measured: `×${fixed(growth, 2)} (floor ×${fixed(floorGrowth, 2)})`,
        wanted: '≤ the floor’s',
        met: growth <= floorGrowth,
      });
    }
    if (floor && Number.isFinite(result.heapPerStream) && Number.isFinite(floor.heapPerStream)) {
      const extra = result.heapPerStream - floor.heapPerStream;
      goals.push({
        name: 'heap+external per idle stream over the floor',
        subject,
        measured: `+${kb(extra)} KB (${spread(result.heapPerStreamReps, 1, 1 / 1024)} KB)`,
        wanted: '≤ +3 KB',
        met: extra <= 3 * 1024,
      });
    }
    // The peers on the same framework at K = 1, by CPU per frame, round by round.
    const peers = results.filter(
      (peer) => peer.target.kind === 'peer' && peer.target.framework === result.target.framework,
    );
    if (headline && mine) {
      for (const peer of peers) {
        const theirs = onWorkload(peer, headline.id);
        if (!theirs) continue;
        const lead = perRound(theirs.cpuReps, mine.cpuReps);
        goals.push({
          name: `server CPU/frame lead over ${peer.target.label} on ${FRAMEWORK_LABEL[result.target.framework]}, ${workloadLabel(headline)}`,
          subject,
          measured: `${spread(lead, 2)}×`,
          wanted: '≥ 1.5×',
          met: median(lead) >= 1.5,
        });
      }
    }
    if (Number.isFinite(result.latencyP99)) {
      const noisy = busy(result.latencyForeign, sizes);
      goals.push({
        name: `added latency p99 at ${rate.toLocaleString('en')} chunks/s`,
        subject,
        measured: `${ms(result.latencyP99)} ms (floor ${spread(result.latencyP99DiffReps, 2, 1 / 1000)} ms)${noisy ? ` † (other processes used ${fixed(result.latencyForeign, 2)} cores)` : ''}`,
        wanted: '≤ 2 ms',
        met: result.latencyP99 <= 2000,
      });
    }
    if (result.abortMissing > 0 || Number.isFinite(result.abortMax)) {
      goals.push({
        name: 'disconnect → upstream abort (worst trial)',
        subject,
        measured:
          result.abortMissing > 0
            ? `never, in ${result.abortMissing} trials`
            : `${fixed(result.abortMax, 2)} ms`,
        wanted: '≤ 50 ms',
        met: result.abortMissing === 0 && result.abortMax <= 50,
      });
    }
  }
  return goals;
}

const COLUMNS = [
  'target',
  'framework',
  'CPU µs/frame',
  '× floor',
  '× naive raw',
  'events/s',
  'client cores',
  'p99 − floor ms',
  'KB/idle stream heap+ext',
  'KB/idle stream RSS',
  'TTFB p50 ms',
  'disconnect→abort p50 / max ms',
];

/** One target's row on the headline workload: each figure a median (min–max) over the rounds. */
function row(result: TargetResult, _floor: TargetResult | undefined, sizes: BenchSizes): string[] {
  const mark = (foreign: number) => (busy(foreign, sizes) ? ' †' : '');
  const abort =
    result.abortMissing > 0
      ? `never (${result.abortMissing})`
      : `${fixed(result.abortP50, 1)} / ${fixed(result.abortMax, 1)}`;
  const headline = workloadsOf(sizes)[0]!;
  const entry = onWorkload(result, headline.id);
  return [
    result.target.kind === 'ours'
      ? `**${result.target.label}**`
      : result.target.kind === 'base'
        ? `_${result.target.label}_`
        : result.target.label,
    FRAMEWORK_LABEL[result.target.framework],
    spread(entry?.cpuReps ?? result.cpuPerMillionReps, 2) + mark(result.throughputForeign),
    spread(entry?.ratioReps, 2),
    spread(entry?.naiveRatioReps, 2),
    `${spread(entry?.eventsPerSecReps ?? result.eventsPerSecReps, 0, 1 / 1000)}k`,
    `${spread(entry?.clientCoresReps, 2)}${clientBound(result, headline.id) ? ' c' : ''}`,
    spread(result.latencyP99DiffReps, 2, 1 / 1000) + mark(result.latencyForeign),
    spread(result.heapPerStreamReps ?? [result.heapPerStream], 1, 1 / 1024),
    spread(result.rssPerStreamReps ?? [result.rssPerStream], 1, 1 / 1024),
    ms(result.ttfbP50, 3),
    abort,
  ];
}

/** The results as a markdown table. */
export function markdownTable(results: TargetResult[], sizes: BenchSizes): string {
  const floor = floorOf(results);
  const lines = [
    `| ${COLUMNS.join(' | ')} |`,
    `|${COLUMNS.map((_, i) => (i < 2 ? ' --- ' : ' ---: ')).join('|')}|`,
  ];
  for (const result of results) lines.push(`| ${row(result, floor, sizes).join(' | ')} |`);
  return lines.join('\n');
}

/** The results as a plain-text table for the terminal. */
export function textTable(results: TargetResult[], sizes: BenchSizes): string {
  const floor = floorOf(results);
  const rows = [
    COLUMNS,
    ...results.map((result) =>
      row(result, floor, sizes).map((cell) => cell.replaceAll('**', '').replace(/^_(.*)_$/, '$1')),
    ),
  ];
  const widths = COLUMNS.map((_, column) => Math.max(...rows.map((cells) => cells[column]!.length)));
  return rows
    .map((cells) =>
      cells
        .map((cell, column) => (column < 2 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
        .join('  '),
    )
    .join('\n');
}

export function goalsText(goals: Goal[]): string {
  return goals
    .map(
      (goal) =>
        `${goal.met ? 'met    ' : 'NOT MET'}  ${goal.subject}: ${goal.name}: ${goal.measured} (want ${goal.wanted})`,
    )
    .join('\n');
}

export function machine(): string {
  const cpu = cpus();
  return (
    `${cpu[0]?.model ?? 'unknown CPU'} × ${cpu.length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, ` +
    `${type()} ${release()}, Node ${process.version}`
  );
}

const KIND_COLOR: Record<string, string> = {
  floor: '#6b7280',
  naive: '#d1d5db',
  ours: '#2563eb',
  peer: '#f59e0b',
  base: '#9ca3af',
};

/** A horizontal bar chart (SVG): events/s as a multiple of the floor, and CPU per chunk. */
export function chartSvg(results: TargetResult[]): string {
  const floor = floorOf(results);
  const rows = results.filter((result) => Number.isFinite(result.eventsPerSec));
  const labelWidth = 330;
  const barWidth = 300;
  const gap = 40;
  const rowHeight = 22;
  const top = 56;
  const width = labelWidth + 2 * barWidth + gap + 70;
  const height = top + rows.length * rowHeight + 40;
  const maxRatio = Math.max(1.1, ...rows.map((result) => cpuRatio(result, floor)).filter(Number.isFinite));
  const maxCpu = Math.max(...rows.map((result) => result.cpuPerMillion).filter(Number.isFinite), 1);
  const escapeXml = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;');
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="system-ui, sans-serif" font-size="12">`,
    '<title>Server capacity (the floor’s CPU per frame ÷ the target’s) and server CPU per frame, per target, at the headline workload</title>',
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="10" y="20" font-size="15" font-weight="600">Server CPU per frame: capacity × the batched raw floor, and µs per frame (median)</text>`,
    `<text x="${labelWidth}" y="44" fill="#374151">floor CPU/frame ÷ target's (dashed: 0.95× goal)</text>`,
    `<text x="${labelWidth + barWidth + gap}" y="44" fill="#374151">server CPU µs per frame (lower is better)</text>`,
  ];
  const x0 = labelWidth;
  const x1 = labelWidth + barWidth + gap;
  rows.forEach((result, index) => {
    const y = top + index * rowHeight;
    const value = cpuRatio(result, floor);
    const color = KIND_COLOR[result.target.kind] ?? '#999';
    const label = `${result.target.label} · ${FRAMEWORK_LABEL[result.target.framework]}`;
    parts.push(
      `<text x="${labelWidth - 8}" y="${y + 14}" text-anchor="end"${result.target.kind === 'ours' ? ' font-weight="600"' : ''}>${escapeXml(label)}</text>`,
    );
    const w = Number.isFinite(value) ? (value / maxRatio) * barWidth : 0;
    parts.push(
      `<rect x="${x0}" y="${y + 3}" width="${w.toFixed(1)}" height="${rowHeight - 6}" fill="${color}"/>`,
    );
    parts.push(`<text x="${(x0 + w + 4).toFixed(1)}" y="${y + 14}">${fixed(value, 2)}×</text>`);
    const c = Number.isFinite(result.cpuPerMillion) ? (result.cpuPerMillion / maxCpu) * barWidth : 0;
    parts.push(
      `<rect x="${x1}" y="${y + 3}" width="${c.toFixed(1)}" height="${rowHeight - 6}" fill="${color}" opacity="0.75"/>`,
    );
    parts.push(`<text x="${(x1 + c + 4).toFixed(1)}" y="${y + 14}">${fixed(result.cpuPerMillion, 2)}</text>`);
  });
  for (const goal of [0.95]) {
    const x = x0 + (goal / maxRatio) * barWidth;
    parts.push(
      `<line x1="${x.toFixed(1)}" y1="${top - 4}" x2="${x.toFixed(1)}" y2="${top + rows.length * rowHeight}" stroke="#dc2626" stroke-dasharray="4 3"/>`,
    );
  }
  const legendY = height - 14;
  let legendX = 10;
  for (const [kind, text] of [
    ['floor', 'floor (raw node:http, batched)'],
    ['naive', 'raw node:http, naive'],
    ['ours', 'flowllm'],
    ['peer', 'peer helper'],
    ['base', 'framework baseline'],
  ] as const) {
    if (!rows.some((result) => result.target.kind === kind)) continue;
    parts.push(
      `<rect x="${legendX}" y="${legendY - 10}" width="12" height="12" fill="${KIND_COLOR[kind]}"/>`,
    );
    parts.push(`<text x="${legendX + 16}" y="${legendY}">${text}</text>`);
    legendX += 30 + text.length * 6.5;
  }
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

export interface MarkdownInput {
  run: RunInfo;
  sizes: BenchSizes;
  command: string;
  chartPath: string;
  analysis: string;
  /** The sections measured on their own (see {@link SAVED_SECTIONS}), by file name, when measured. */
  savedSections: Record<string, string | undefined>;
  date: Date;
}

/** Where BENCHMARKS.md holds the section `import-cost` writes on its own, without a full run. */
export const IMPORT_COST_MARKERS = [
  '<!-- import-cost: written by `pnpm --filter @flowllm/bench run import-cost` -->',
  '<!-- /import-cost -->',
] as const;

/** Where BENCHMARKS.md holds the section `--resume-cost` writes on its own, without a full run. */
export const RESUME_COST_MARKERS = [
  '<!-- resume-cost: written by `pnpm --filter @flowllm/bench run bench -- --resume-cost` -->',
  '<!-- /resume-cost -->',
] as const;

/** Where BENCHMARKS.md holds the section `bench:encoders` writes on its own, without a full run. */
export const ENCODER_COST_MARKERS = [
  '<!-- encoder-cost: written by `pnpm --filter @flowllm/bench run bench:encoders` -->',
  '<!-- /encoder-cost -->',
] as const;

/** Where BENCHMARKS.md holds the section `bench:telemetry` writes on its own, without a full run. */
export const TELEMETRY_COST_MARKERS = [
  '<!-- telemetry-cost: written by `pnpm --filter @flowllm/bench run bench:telemetry` -->',
  '<!-- /telemetry-cost -->',
] as const;

/**
 * The sections their own commands measure (each keeps its text in bench/results/{file}); a full run
 * carries them over into BENCHMARKS.md, in this order.
 */
export const SAVED_SECTIONS: readonly { file: string; markers: readonly [string, string] }[] = [
  { file: 'import-cost.md', markers: IMPORT_COST_MARKERS },
  { file: 'resume-cost.md', markers: RESUME_COST_MARKERS },
  { file: 'encoder-cost.md', markers: ENCODER_COST_MARKERS },
  { file: 'telemetry-cost.md', markers: TELEMETRY_COST_MARKERS },
];

/**
 * Saves a section measured on its own: bench/results/{file} (and its run as `.json` when given), and
 * the section between its markers in BENCHMARKS.md, after the sections {@link SAVED_SECTIONS} puts
 * before it.
 */
export function writeSavedSection(file: string, section: string, run?: unknown): void {
  const index = SAVED_SECTIONS.findIndex((saved) => saved.file === file);
  if (index === -1) throw new Error(`${file} is not one of SAVED_SECTIONS`);
  const results = join(BENCH_DIR, 'results');
  mkdirSync(results, { recursive: true });
  writeFileSync(join(results, file), section);
  if (run !== undefined)
    writeFileSync(join(results, file.replace(/\.md$/, '.json')), `${JSON.stringify(run, null, 2)}\n`);
  const benchmarks = join(BENCH_DIR, '..', 'BENCHMARKS.md');
  const markdown = existsSync(benchmarks) ? readFileSync(benchmarks, 'utf8') : '';
  const earlier = SAVED_SECTIONS.slice(0, index)
    .map((saved) => saved.markers[1])
    .reverse();
  writeFileSync(benchmarks, withSection(markdown, SAVED_SECTIONS[index]!.markers, section, earlier));
}

/**
 * `markdown` with `section` between `markers`: in place of what they held, or, the first time, after the
 * first of the `after` markers present (the sections keep their order), else before `## Analysis`.
 */
export function withSection(
  markdown: string,
  markers: readonly [string, string],
  section: string,
  after: readonly string[] = [],
): string {
  const [start, end] = markers;
  const block = `${start}\n${section}${end}`;
  const from = markdown.indexOf(start);
  const to = markdown.indexOf(end);
  if (from >= 0 && to > from) return markdown.slice(0, from) + block + markdown.slice(to + end.length);
  const anchor = after.find((marker) => markdown.includes(marker));
  if (anchor) return markdown.replace(anchor, `${anchor}\n\n${block}`);
  return markdown.replace('\n## Analysis\n', `\n${block}\n\n## Analysis\n`);
}

/** BENCHMARKS.md. */
export function benchmarksMarkdown({
  run,
  sizes,
  command,
  chartPath,
  analysis,
  savedSections,
  date,
}: MarkdownInput): string {
  const goals = judgeGoals(run.results, sizes);
  const unmet = goals.filter((goal) => !goal.met);
  const rate = (sizes.latencyStreams * 1000) / sizes.latencyIv;
  const failures = run.results.filter((result) => result.failures > 0);
  const workloads = workloadsOf(sizes);
  const headline = workloads[0]!;
  const slower = slowerThanFloor(run.results, sizes);
  const frames = run.frames;
  return `# Benchmarks

Streaming overhead of flowllm's Node path, fetch path and every adapter, against raw \`node:http\`
writing pre-built SSE frames — the floor coalesces a tick's frames into one backpressure-aware write (big
batches as one Buffer), the best a competent engineer writes by hand; the naive raw server (one write per
token) is a second, labelled column — and against the peer helpers on the same framework and workload.
Generated by \`bench/\` — do not edit by hand; the analysis section comes from \`bench/src/analysis.md\`,
the install size and import time from \`pnpm --filter @flowllm/bench run import-cost\`, the resume cost from
\`pnpm --filter @flowllm/bench run bench -- --resume-cost\`, the protocol encoders from
\`pnpm --filter @flowllm/bench run bench:encoders\`.

- **Command:** \`${command}\`
- **Date:** ${date.toISOString().slice(0, 16).replace('T', ' ')} UTC, run took ${Math.round(run.durationMs / 1000)} s
- **Machine:** ${machine()}
- **Other load:** the busiest kept measurement window saw ${fixed(run.maxForeignCores, 2)} cores used by processes
  outside the run; ${run.retriedWindows} windows were measured again because of it (limit ${sizes.maxForeignCores} cores).
- **Workload:** an in-process model (an async iterator of \`~<µs timestamp>~\` tokens, padded with \`x\` to the
  chunk size) that hands over K tokens per turn of the event loop — K = 1 is what a provider stream does (one
  token per socket read); every target takes \`POST /bench\` with a JSON body and streams each token as one
  SSE event carrying the FlowLLM chunk object (\`{flow_id, chunk_type, chunk, done, metadata}\`; the AI SDK
  sends its own UI-message parts).
- **Same bytes:** ${
    frames
      ? frames.mismatches.length === 0
        ? `before measuring, each target streamed the same fixed tokens (${frames.compared} bodies: K = 1, K = 8 with 1 KB and 16 KB chunks); every FlowLLM-wire target (raw, batched raw, baselines, flowllm) sent byte-identical bodies, every peer the same tokens in order.`
        : `**bodies differed**: ${frames.mismatches.join('; ')}.`
      : 'not checked in this run.'
  }

![server capacity relative to the batched raw floor, and CPU per frame](${chartPath})

## Headline: server CPU per frame, as capacity × the floor

Each cell: the floor's server CPU per frame ÷ the target's, in the same round (1.00 = as cheap as the
batched raw server; 0.80 = 25% more CPU per frame), median (min–max) over ${sizes.reps} interleaved rounds. The
floor's own row gives its µs per frame. **c** = client-bound: the load client used ≥ 0.8 core in those windows,
so events/s there measure the client as much as the server (CPU per frame is still the server's own).
C = concurrent streams, K = tokens handed over per tick; chunks are the ~14-character stamp unless sized.

${headlineTable(run.results, sizes, 'markdown')}

**Where flowllm is slower than the floor** (median capacity below 1.00×):
${slower.length ? slower.map((line) => `- ${line}`).join('\n') : '- nowhere in this run.'}

## Results at ${workloadLabel(headline)}

${markdownTable(run.results, sizes)}
${
  run.results.some((result) => busy(result.throughputForeign, sizes) || busy(result.latencyForeign, sizes))
    ? `\n† measured while processes outside the run used more than ${sizes.maxForeignCores} cores of the machine (median of the kept windows): the figure is a scheduling tail as much as a cost of the code.\n`
    : ''
}
How each column is measured (load client: its own process, raw sockets, HTTP/1.1 keep-alive; every
server: its own process; one target measured at a time; in each round every workload's windows go over its
targets in an order rotated by the round; median (min–max) of ${sizes.reps} rounds):

- **CPU µs/frame**: the server process's \`process.cpuUsage()\` over a ${sizes.windowMs} ms window (after
  ${sizes.warmMs} ms of load) ÷ frames the client received; ${headline.conns} concurrent clients, each
  streaming ${sizes.tokens}-token responses back to back. **× floor** is the floor's CPU per frame ÷ this one's in
  the same round; **× naive raw** the same against the one-write-per-token raw server.
- **events/s**: frames received per second in the same window; **client cores**: the load client's CPU use
  (**c**: ≥ 0.8, client-bound).
- _Italic rows_ are each framework's own baseline: the floor's batched frames written from a plain
  handler on that framework (a Node response; a pull-based web body, one frame per pull, on h3 and Hono).
  Any SSE code on that framework pays at least this; the goals are still judged against the floor.
- **p99 − floor**: ${sizes.latencyStreams} streams × one token every ${sizes.latencyIv} ms = ${rate.toLocaleString('en')}
  chunks/s aggregate; each token's model timestamp against the client's receive time on the machine-wide
  monotonic clock, over ${sizes.latencyWindowMs} ms after full GCs in the server; the target's p99 minus the floor's
  in the same round.
- **KB/idle stream**: ${sizes.idleStreams.toLocaleString('en')} streams open after their first token, (V8 heap + external, and
  RSS) after full GCs, minus the same before, ÷ streams; ${sizes.reps} samples on each target's server, before any load.
- **TTFB**: request written → first response byte, ${sizes.ttfbCount} sequential requests on one connection
  (first fifth dropped).
- **disconnect→abort**: ${sizes.disconnectTrials} sequential clients leave after ${sizes.leaveAfter} tokens of a
  paced stream; time until the model saw its abort signal (or its iterator's \`return()\`). "never": the
  model ran on to its end.
${failures.length ? `\nStreams that failed: ${failures.map((result) => `${result.target.name} ${result.failures} (${result.reasons.join('; ')})`).join(', ')}.\n` : ''}
<details><summary>Every workload in detail (CPU per frame, ratios, events/s, server and client cores)</summary>

${workloadDetailTable(run.results, sizes)}

</details>

## Goals

${unmet.length === 0 ? 'Every goal holds in this run.' : `${unmet.length} of ${goals.length} goal checks are not met in this run (see the analysis below for why).`}

| | flowllm target | goal | measured | wanted |
| --- | --- | --- | ---: | ---: |
${goals.map((goal) => `| ${goal.met ? '✅' : '❌'} | ${goal.subject} | ${goal.name} | ${goal.measured} | ${goal.wanted} |`).join('\n')}
${SAVED_SECTIONS.map(({ file, markers }) => {
  const text = savedSections[file];
  return text ? `\n${markers[0]}\n${text}${markers[1]}\n` : '';
}).join('')}
## Analysis

${analysis.trim()}
`;
}
