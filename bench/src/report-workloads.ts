// The headline of a run: server CPU per frame on each workload as a ratio to the floor (raw-batched) in
// the same round, median and min–max over the rounds, with client-bound windows flagged; and the plain
// list of where flowllm is slower than the floor.
import {
  type BenchSizes,
  CLIENT_BOUND_CORES,
  median,
  type TargetResult,
  type Workload,
  workloadsOf,
} from './run.js';
import type { TargetInfo } from './targets.js';

/** How the tables name each framework. */
export const FRAMEWORK_LABEL: Record<TargetInfo['framework'], string> = {
  'node:http': 'node:http',
  express: 'express 5',
  koa: 'koa 3',
  fastify: 'fastify 5',
  h3: 'h3 2',
  'hono-node-server': '@hono/node-server',
};

/**
 * A target's name in a table: its label, plus its framework where the label alone repeats (baselines
 * and peers).
 *
 * @example
 * targetLabel(targetByName('base-koa')); // 'raw frames in a plain handler (koa 3)'
 */
export function targetLabel(target: TargetInfo): string {
  return target.kind === 'base' || target.kind === 'peer'
    ? `${target.label} (${FRAMEWORK_LABEL[target.framework]})`
    : target.label;
}

const fixed = (value: number, digits: number) => (Number.isFinite(value) ? value.toFixed(digits) : '–');

/** The finite values' minimum and maximum (NaN, NaN when none). */
export function range(values: readonly number[] | undefined): [number, number] {
  const finite = (values ?? []).filter(Number.isFinite);
  return finite.length ? [Math.min(...finite), Math.max(...finite)] : [Number.NaN, Number.NaN];
}

/**
 * `median (min–max)` of per-round values; just the median with one round.
 *
 * @example
 * spread([0.8, 0.9, 0.85], 2); // '0.85 (0.80–0.90)'
 */
export function spread(values: readonly number[] | undefined, digits: number, scale = 1): string {
  const scaled = (values ?? []).map((value) => value * scale);
  const mid = median([...scaled]);
  if (!Number.isFinite(mid)) return '–';
  const finite = scaled.filter(Number.isFinite);
  if (finite.length < 2) return fixed(mid, digits);
  const [low, high] = range(finite);
  return `${fixed(mid, digits)} (${fixed(low, digits)}–${fixed(high, digits)})`;
}

/**
 * What a workload is, in words for a table header.
 *
 * @example
 * workloadLabel({ id: 'c50-k8-1kb', conns: 50, k: 8, size: 1024 }); // 'C=50 K=8 1 KB'
 */
export function workloadLabel(workload: Workload): string {
  const size =
    workload.size === 0
      ? ''
      : ` ${workload.size >= 1024 ? `${workload.size / 1024} KB` : `${workload.size} B`}`;
  return `C=${workload.conns} K=${workload.k}${size}`;
}

/** A target's figures on one workload, if it ran there. */
export function onWorkload(result: TargetResult, id: string) {
  return result.workloads?.find((entry) => entry.id === id);
}

/** Whether the client used ≥ 0.8 core (median of the rounds) on a target's windows of a workload. */
export function clientBound(result: TargetResult, id: string): boolean {
  return median([...(onWorkload(result, id)?.clientCoresReps ?? [])]) >= CLIENT_BOUND_CORES;
}

/**
 * The headline table: one row per target, one column per workload; each cell the floor's CPU per frame ÷
 * the target's (capacity as a multiple of the floor), median (min–max) over the rounds; the floor's row
 * gives its own µs per frame. `c` marks a client-bound cell.
 *
 * @example
 * headlineTable(run.results, sizes, 'markdown'); // '| target | C=50 K=1 | … |\n| --- | ---: | …'
 */
export function headlineTable(
  results: TargetResult[],
  sizes: BenchSizes,
  style: 'markdown' | 'text',
): string {
  const workloads = workloadsOf(sizes).filter((workload) =>
    results.some((result) => onWorkload(result, workload.id)),
  );
  const header = ['target', ...workloads.map(workloadLabel)];
  const rows = results
    .filter((result) => result.workloads?.length)
    .map((result) => [
      style === 'markdown' && result.target.kind === 'ours'
        ? `**${targetLabel(result.target)}**`
        : targetLabel(result.target),
      ...workloads.map((workload) => {
        const entry = onWorkload(result, workload.id);
        if (!entry) return '';
        const flag = clientBound(result, workload.id) ? ' c' : '';
        return result.target.kind === 'floor'
          ? `${spread(entry.cpuReps, 2)} µs${flag}`
          : `${spread(entry.ratioReps, 2)}${flag}`;
      }),
    ]);
  if (style === 'markdown') {
    return [
      `| ${header.join(' | ')} |`,
      `| --- |${workloads.map(() => ' ---: |').join('')}`,
      ...rows.map((cells) => `| ${cells.join(' | ')} |`),
    ].join('\n');
  }
  const all = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...all.map((cells) => cells[column]!.length)));
  return all
    .map((cells) =>
      cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '),
    )
    .join('\n');
}

/** Detail of every workload: CPU µs/frame, events/s and both processes' cores, each a median (range). */
export function workloadDetailTable(results: TargetResult[], sizes: BenchSizes): string {
  const lines = [
    '| workload | target | CPU µs/frame | × floor | × naive raw | events/s | server cores | client cores |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const workload of workloadsOf(sizes)) {
    for (const result of results) {
      const entry = onWorkload(result, workload.id);
      if (!entry) continue;
      const bound = clientBound(result, workload.id) ? ' **client-bound**' : '';
      lines.push(
        `| ${workloadLabel(workload)} | ${targetLabel(result.target)} | ${spread(entry.cpuReps, 2)} | ${spread(entry.ratioReps, 2)} | ` +
          `${spread(entry.naiveRatioReps, 2)} | ${spread(entry.eventsPerSecReps, 0, 1 / 1000)}k | ` +
          `${spread(entry.serverCoresReps, 2)} | ${spread(entry.clientCoresReps, 2)}${bound} |`,
      );
    }
  }
  return lines.join('\n');
}

/**
 * Plain sentences for every flowllm target and workload where its median capacity is below the floor's.
 *
 * @example
 * slowerThanFloor(run.results, sizes); // ['flowllm express, C=50 K=1: 0.71× the floor (0.69–0.74)', …]
 */
export function slowerThanFloor(results: TargetResult[], sizes: BenchSizes): string[] {
  const lines: string[] = [];
  for (const workload of workloadsOf(sizes)) {
    for (const result of results.filter((candidate) => candidate.target.kind === 'ours')) {
      const entry = onWorkload(result, workload.id);
      const mid = median([...(entry?.ratioReps ?? [])]);
      if (!entry || !(mid < 1)) continue;
      const [low, high] = range(entry.ratioReps);
      lines.push(
        `${result.target.label}, ${workloadLabel(workload)}: ${fixed(mid, 2)}× the floor's capacity ` +
          `(${fixed(low, 2)}–${fixed(high, 2)}), i.e. ${fixed((1 / mid - 1) * 100, 0)}% more server CPU per frame`,
      );
    }
  }
  return lines;
}
