// Turns a run into the printed table, the goal verdicts, BENCHMARKS.md and the chart.
import { cpus, release, totalmem, type } from 'node:os';
import type { BenchSizes, RunInfo, TargetResult } from './run.js';
import type { TargetInfo } from './targets.js';

export interface Goal {
  name: string;
  /** Who it is about, e.g. "flowllm express". */
  subject: string;
  measured: string;
  wanted: string;
  met: boolean;
}

const FRAMEWORK_LABEL: Record<TargetInfo['framework'], string> = {
  'node:http': 'node:http',
  express: 'express 5',
  koa: 'koa 3',
  fastify: 'fastify 5',
  h3: 'h3 2',
  'hono-node-server': '@hono/node-server',
};

const fixed = (value: number, digits: number) => (Number.isFinite(value) ? value.toFixed(digits) : '–');
const ms = (us: number, digits = 2) => fixed(us / 1000, digits);
const kb = (bytes: number) => fixed(bytes / 1024, 1);
const thousands = (value: number) => (Number.isFinite(value) ? `${Math.round(value / 1000)}k` : '–');

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

/** The goals of issue 8, judged on this run's figures (those whose targets ran). */
/** Whether other processes took more CPU than allowed during a target's windows (NaN/null: unknown). */
export function busy(foreign: number | null | undefined, sizes: BenchSizes): boolean {
  const limit = sizes.maxForeignCores ?? Number.POSITIVE_INFINITY;
  return typeof foreign === 'number' && foreign > limit;
}

export function judgeGoals(results: TargetResult[], sizes: BenchSizes): Goal[] {
  const goals: Goal[] = [];
  const floor = floorOf(results);
  const ours = results.filter((result) => result.target.kind === 'ours');
  const rate = (sizes.latencyStreams * 1000) / sizes.latencyIv;
  for (const result of ours) {
    const subject = result.target.label;
    if (floor && Number.isFinite(result.eventsPerSec)) {
      const wanted = result.target.name === 'ours-node' ? 0.9 : 0.8;
      const value = ratio(result, floor);
      goals.push({
        name: 'events/s vs raw node:http',
        subject,
        measured: `${fixed(value, 2)}× (by CPU/chunk ${fixed(cpuRatio(result, floor), 2)}×)`,
        wanted: `≥ ${wanted}×`,
        met: value >= wanted,
      });
    }
    const peers = results.filter(
      (peer) => peer.target.kind === 'peer' && peer.target.framework === result.target.framework,
    );
    const best = peers
      .filter((peer) => Number.isFinite(peer.eventsPerSec))
      .sort((a, b) => b.eventsPerSec - a.eventsPerSec)[0];
    if (best && Number.isFinite(result.eventsPerSec)) {
      const value = result.eventsPerSec / best.eventsPerSec;
      goals.push({
        name: `events/s vs best peer on ${FRAMEWORK_LABEL[result.target.framework]} (${best.target.label})`,
        subject,
        measured: `${fixed(value, 2)}× (by CPU/chunk ${fixed(best.cpuPerMillion / result.cpuPerMillion, 2)}×)`,
        wanted: '≥ 1.0×',
        met: value >= 1,
      });
    }
    if (floor && Number.isFinite(result.rssPerStream) && Number.isFinite(floor.rssPerStream)) {
      const value = result.rssPerStream / floor.rssPerStream;
      // What the framework itself costs per stream, before any SSE code: the context for a gap.
      const base = results.find(
        (other) => other.target.kind === 'base' && other.target.framework === result.target.framework,
      );
      const baseNote =
        base && Number.isFinite(base.rssPerStream)
          ? `; ${FRAMEWORK_LABEL[result.target.framework]} alone: ${fixed(base.rssPerStream / floor.rssPerStream, 2)}×`
          : '';
      goals.push({
        name: 'RSS per idle stream vs raw node:http',
        subject,
        measured: `${fixed(value, 2)}× (${kb(result.rssPerStream)} KB${baseNote})`,
        wanted: '≤ 1.5×',
        met: value <= 1.5,
      });
    }
    if (Number.isFinite(result.latencyP99)) {
      const noisy = busy(result.latencyForeign, sizes);
      goals.push({
        name: `added latency p99 at ${rate.toLocaleString('en')} chunks/s`,
        subject,
        measured: `${ms(result.latencyP99)} ms${noisy ? ` † (other processes used ${fixed(result.latencyForeign, 2)} cores)` : ''}`,
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
  'events/s',
  '× floor',
  'CPU µs/chunk',
  '× floor by CPU',
  'TTFB p50 ms',
  'latency p50 / p99 ms',
  'KB/idle stream RSS / heap',
  'disconnect→abort p50 / max ms',
];

function row(result: TargetResult, floor: TargetResult | undefined, sizes: BenchSizes): string[] {
  const mark = (foreign: number) => (busy(foreign, sizes) ? ' †' : '');
  const abort =
    result.abortMissing > 0
      ? `never (${result.abortMissing})`
      : `${fixed(result.abortP50, 1)} / ${fixed(result.abortMax, 1)}`;
  return [
    result.target.kind === 'ours'
      ? `**${result.target.label}**`
      : result.target.kind === 'base'
        ? `_${result.target.label}_`
        : result.target.label,
    FRAMEWORK_LABEL[result.target.framework],
    `${thousands(result.eventsPerSec)}${mark(result.throughputForeign)}`,
    fixed(ratio(result, floor), 2),
    fixed(result.cpuPerMillion, 2),
    fixed(cpuRatio(result, floor), 2),
    ms(result.ttfbP50, 3),
    `${ms(result.latencyP50)} / ${ms(result.latencyP99)}${mark(result.latencyForeign)}`,
    `${kb(result.rssPerStream)} / ${kb(result.heapPerStream)}`,
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
  const maxRatio = Math.max(1.1, ...rows.map((result) => ratio(result, floor)).filter(Number.isFinite));
  const maxCpu = Math.max(...rows.map((result) => result.cpuPerMillion).filter(Number.isFinite), 1);
  const escapeXml = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;');
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="system-ui, sans-serif" font-size="12">`,
    '<title>SSE events/s delivered as a multiple of raw node:http, and server CPU per chunk, per target</title>',
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="10" y="20" font-size="15" font-weight="600">SSE events/s delivered (× raw node:http) and server CPU per chunk</text>`,
    `<text x="${labelWidth}" y="44" fill="#374151">events/s ÷ floor (dashed: 0.8× and 0.9× goals)</text>`,
    `<text x="${labelWidth + barWidth + gap}" y="44" fill="#374151">server CPU µs per chunk (lower is better)</text>`,
  ];
  const x0 = labelWidth;
  const x1 = labelWidth + barWidth + gap;
  rows.forEach((result, index) => {
    const y = top + index * rowHeight;
    const value = ratio(result, floor);
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
  for (const goal of [0.8, 0.9]) {
    const x = x0 + (goal / maxRatio) * barWidth;
    parts.push(
      `<line x1="${x.toFixed(1)}" y1="${top - 4}" x2="${x.toFixed(1)}" y2="${top + rows.length * rowHeight}" stroke="#dc2626" stroke-dasharray="4 3"/>`,
    );
  }
  const legendY = height - 14;
  let legendX = 10;
  for (const [kind, text] of [
    ['floor', 'floor (raw node:http)'],
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
  /** The install size and import time section (bench/results/import-cost.md), when measured. */
  importCost?: string;
  /** The resume cost section (bench/results/resume-cost.md, from `--resume-cost`), when measured. */
  resumeCost?: string;
  /** The protocol encoders section (bench/results/encoder-cost.md, from `bench:encoders`), when measured. */
  encoderCost?: string;
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
  importCost,
  resumeCost,
  encoderCost,
  date,
}: MarkdownInput): string {
  const goals = judgeGoals(run.results, sizes);
  const unmet = goals.filter((goal) => !goal.met);
  const rate = (sizes.latencyStreams * 1000) / sizes.latencyIv;
  const failures = run.results.filter((result) => result.failures > 0);
  return `# Benchmarks

Streaming overhead of flowllm's Node path, fetch path and every adapter, against raw \`node:http\`
writing pre-built SSE frames (the floor) and against the peer helpers on the same framework and workload.
Generated by \`bench/\` — do not edit by hand; the analysis section comes from \`bench/src/analysis.md\`,
the install size and import time from \`pnpm --filter @flowllm/bench run import-cost\`, the resume cost from
\`pnpm --filter @flowllm/bench run bench -- --resume-cost\`, the protocol encoders from
\`pnpm --filter @flowllm/bench run bench:encoders\`.

- **Command:** \`${command}\`
- **Date:** ${date.toISOString().slice(0, 16).replace('T', ' ')} UTC, run took ${Math.round(run.durationMs / 1000)} s
- **Machine:** ${machine()}
- **Other load:** the busiest kept measurement window saw ${fixed(run.maxForeignCores, 2)} cores used by processes
  outside the run; ${run.retriedWindows} windows were measured again because of it (limit ${sizes.maxForeignCores} cores).
- **Workload:** an in-process instant model (an async iterator of \`~<µs timestamp>~\` tokens); every target
  takes \`POST /bench\` with a JSON body and streams each token as one SSE event carrying the FlowLLM chunk
  object (\`{flow_id, chunk_type, chunk, done, metadata}\`; the AI SDK sends its own UI-message parts).

![events/s relative to raw node:http, and CPU per chunk](${chartPath})

## Results

${markdownTable(run.results, sizes)}
${
  run.results.some((result) => busy(result.throughputForeign, sizes) || busy(result.latencyForeign, sizes))
    ? `\n† measured while processes outside the run used more than ${sizes.maxForeignCores} cores of the machine (median of the kept windows): the figure is a scheduling tail as much as a cost of the code.\n`
    : ''
}
How each column is measured (load client: its own process, raw sockets, HTTP/1.1 keep-alive; every
server: its own process; one target measured at a time, windows round-robin over the targets, median of
${sizes.reps}):

- **events/s**: ${sizes.conns} concurrent clients, each streaming ${sizes.tokens}-token responses back to back
  from the instant model; events received in a ${sizes.windowMs} ms window after ${sizes.warmMs} ms of load.
  **× floor** divides by raw \`node:http\` in the same run.
- **CPU µs/chunk**: the server process's \`process.cpuUsage()\` over the same window ÷ chunks delivered
  (= CPU seconds per million chunks). **× floor by CPU** is the floor's CPU per chunk ÷ this one's: the
  capacity ratio, which depends much less than events/s on how much of the machine the server got.
- _Italic rows_ are each framework's own baseline: the floor's pre-built frames written from a plain
  handler on that framework (a Node response, or a pull-based web body on h3 and Hono). Any SSE code on
  that framework pays at least this; the goals are still judged against raw \`node:http\`.
- **TTFB**: request written → first response byte, ${sizes.ttfbCount} sequential requests on one connection
  (first fifth dropped).
- **latency**: ${sizes.latencyStreams} streams × one token every ${sizes.latencyIv} ms = ${rate.toLocaleString('en')}
  chunks/s aggregate; the model's timestamp in each token against the client's receive time, on the
  machine-wide monotonic clock (\`process.hrtime\` in both processes), over ${sizes.latencyWindowMs} ms, each
  window starting after full GCs in the server (the same for every target).
- **KB/idle stream**: a fresh server, ${sizes.idleStreams.toLocaleString('en')} streams open after their first token,
  (RSS, and V8 heap + external) after full GCs, minus the same before, ÷ streams.
- **disconnect→abort**: ${sizes.disconnectTrials} sequential clients leave after ${sizes.leaveAfter} tokens of a
  paced stream; time until the model saw its abort signal (or its iterator's \`return()\`). "never": the
  model ran on to its end.
${failures.length ? `\nStreams that failed: ${failures.map((result) => `${result.target.name} ${result.failures} (${result.reasons.join('; ')})`).join(', ')}.\n` : ''}
## Goals

${unmet.length === 0 ? 'Every goal holds in this run.' : `${unmet.length} of ${goals.length} goal checks are not met in this run (see the analysis below for why).`}

| | flowllm target | goal | measured | wanted |
| --- | --- | --- | ---: | ---: |
${goals.map((goal) => `| ${goal.met ? '✅' : '❌'} | ${goal.subject} | ${goal.name} | ${goal.measured} | ${goal.wanted} |`).join('\n')}
${importCost ? `\n${IMPORT_COST_MARKERS[0]}\n${importCost}${IMPORT_COST_MARKERS[1]}\n` : ''}${resumeCost ? `\n${RESUME_COST_MARKERS[0]}\n${resumeCost}${RESUME_COST_MARKERS[1]}\n` : ''}${encoderCost ? `\n${ENCODER_COST_MARKERS[0]}\n${encoderCost}${ENCODER_COST_MARKERS[1]}\n` : ''}
## Analysis

${analysis.trim()}
`;
}
