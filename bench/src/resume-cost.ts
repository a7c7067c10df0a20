import { busy, machine } from './report.js';
import { type BenchSizes, median, type RunInfo, type TargetResult } from './run.js';

const fixed = (value: number, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : '–');
const thousands = (value: number) => (Number.isFinite(value) ? `${Math.round(value / 1000)}k` : '–');

/** A ratio as median and range over the paired repetitions. */
interface Ratio {
  mid: number;
  min: number;
  max: number;
}

/** Repetition i of `on` ÷ repetition i of `off` (the same round of the round-robin, minutes apart at most). */
function paired(on: number[] | undefined, off: number[] | undefined): Ratio {
  const ratios = (on ?? [])
    .map((value, i) => value / (off?.[i] ?? Number.NaN))
    .filter((value) => Number.isFinite(value));
  if (ratios.length === 0) return { mid: Number.NaN, min: Number.NaN, max: Number.NaN };
  return { mid: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios) };
}

const single = (on: number | undefined, off: number | undefined): Ratio => {
  const value = (on ?? Number.NaN) / (off ?? Number.NaN);
  return { mid: value, min: value, max: value };
};

const showRatio = (ratio: Ratio) =>
  ratio.min === ratio.max || !Number.isFinite(ratio.min)
    ? `${fixed(ratio.mid)}×`
    : `${fixed(ratio.mid)}× (${fixed(ratio.min)}–${fixed(ratio.max)})`;

const range = (values: number[] | undefined, show: (value: number) => string) => {
  const finite = (values ?? []).filter((value) => Number.isFinite(value));
  return finite.length > 1 ? ` (${show(Math.min(...finite))}–${show(Math.max(...finite))})` : '';
};

/** The server's CPU plus, for the Redis target, redis-server's, per event, per repetition. */
const plus = (server: number[] | undefined, redis: number[] | undefined) =>
  (server ?? []).map((cpu, i) => cpu + (redis?.[i] ?? 0));
const totalCpuReps = (result: TargetResult) => plus(result.cpuPerMillionReps, result.redisCpuPerMillionReps);
const pacedTotalReps = (result: TargetResult) => plus(result.pacedCpuReps, result.pacedRedisCpuReps);
const med = (values: number[] | undefined) => median(values ?? []);

interface Comparison {
  result: TargetResult;
  store: string;
  events: Ratio;
  cpu: Ratio;
  totalCpu: Ratio;
  pacedCpu: Ratio;
  pacedTotalCpu: Ratio;
  p50: Ratio;
  p99: Ratio;
  ttfb: Ratio;
  rss: Ratio;
}

function compare(result: TargetResult, off: TargetResult): Comparison {
  return {
    result,
    store: result.target.resume === 'redis' ? 'Redis' : 'memory',
    events: paired(result.eventsPerSecReps, off.eventsPerSecReps),
    cpu: paired(result.cpuPerMillionReps, off.cpuPerMillionReps),
    totalCpu: paired(totalCpuReps(result), off.cpuPerMillionReps),
    pacedCpu: paired(result.pacedCpuReps, off.pacedCpuReps),
    pacedTotalCpu: paired(pacedTotalReps(result), off.pacedCpuReps),
    p50: paired(result.latencyP50Reps, off.latencyP50Reps),
    p99: paired(result.latencyP99Reps, off.latencyP99Reps),
    ttfb: single(result.ttfbP50, off.ttfbP50),
    rss: single(result.rssPerStream, off.rssPerStream),
  };
}

/** "slower/costlier" when every repetition says so; "within noise" when the range spans 1.0×. */
function verdicts(c: Comparison): { worse: string[]; noise: string[]; better: string[] } {
  const worse: string[] = [];
  const noise: string[] = [];
  const better: string[] = [];
  const judge = (name: string, ratio: Ratio, higherIsWorse: boolean, single = false) => {
    if (!Number.isFinite(ratio.mid)) return;
    const text = `${name} ${fixed(ratio.mid)}×`;
    // A single figure (no repetitions) counts as a difference beyond 5 % only.
    const lo = single ? ratio.mid / 1.05 : ratio.min;
    const hi = single ? ratio.mid * 1.05 : ratio.max;
    const allWorse = higherIsWorse ? lo > 1 : hi < 1;
    const allBetter = higherIsWorse ? hi < 1 : lo > 1;
    (allWorse ? worse : allBetter ? better : noise).push(text);
  };
  const redis = c.result.target.resume === 'redis';
  judge('events/s', c.events, false);
  judge('server CPU per event', c.cpu, true);
  if (redis) judge('CPU per event with redis-server’s', c.totalCpu, true);
  judge('server CPU per paced event', c.pacedCpu, true);
  if (redis) judge('CPU per paced event with redis-server’s', c.pacedTotalCpu, true);
  judge('latency p50', c.p50, true);
  judge('latency p99', c.p99, true);
  judge('TTFB p50', c.ttfb, true, true);
  judge('RSS per idle stream', c.rss, true, true);
  return { worse, noise, better };
}

const list = (items: string[]) => (items.length === 0 ? 'nothing' : items.join(', '));

/** The section (markdown, from `## Resume cost` on). */
export function resumeCostMarkdown(
  run: RunInfo,
  sizes: BenchSizes,
  options: {
    date: Date;
    command: string /** 1-minute load average at the end of the run. */;
    loadAverage: number;
  },
): string {
  const { date, command, loadAverage } = options;
  const off = run.results.find((result) => result.target.name === 'ours-node');
  const on = run.results.filter((result) => result.target.resume);
  if (!off || on.length === 0)
    throw new Error('the resume cost needs ours-node and a resume target in one run');
  const comparisons = on.map((result) => compare(result, off));
  const rate = (sizes.latencyStreams * 1000) / sizes.latencyIv;
  const mark = (foreign: number) => (busy(foreign, sizes) ? ' †' : '');
  const name = (result: TargetResult) =>
    result.target.resume
      ? `resume on, ${result.target.resume === 'redis' ? 'Redis' : 'memory'}`
      : 'resume off';
  const rows = [off, ...on];
  const ratioOf = (result: TargetResult, pick: (c: Comparison) => Ratio) => {
    const c = comparisons.find((candidate) => candidate.result === result);
    return c ? showRatio(pick(c)) : '1×';
  };
  const throughput = rows.map((result) => {
    const redis = result.target.resume === 'redis';
    return `| ${name(result)} | ${thousands(result.eventsPerSec)}${range(result.eventsPerSecReps, thousands)}${mark(result.throughputForeign)} | ${ratioOf(result, (c) => c.events)} | ${fixed(result.cpuPerMillion)}${range(result.cpuPerMillionReps, fixed)} | ${ratioOf(result, (c) => c.cpu)} | ${redis ? `${fixed(result.redisCpuPerMillion ?? Number.NaN)}${range(result.redisCpuPerMillionReps, fixed)}` : '–'} | ${ratioOf(result, (c) => c.totalCpu)} |`;
  });
  const latency = rows.map((result) => {
    const redis = result.target.resume === 'redis';
    return `| ${name(result)} | ${fixed(result.latencyP50 / 1000)} / ${fixed(result.latencyP99 / 1000)}${mark(result.latencyForeign)} | ${ratioOf(result, (c) => c.p50)} | ${ratioOf(result, (c) => c.p99)} | ${fixed(med(result.pacedCpuReps))}${range(result.pacedCpuReps, fixed)} | ${ratioOf(result, (c) => c.pacedCpu)} | ${redis ? `${fixed(med(result.pacedRedisCpuReps))}${range(result.pacedRedisCpuReps, fixed)}` : '–'} | ${ratioOf(result, (c) => c.pacedTotalCpu)} |`;
  });
  const other = rows.map(
    (result) =>
      `| ${name(result)} | ${fixed(result.ttfbP50 / 1000, 3)} | ${ratioOf(result, (c) => c.ttfb)} | ${fixed(result.rssPerStream / 1024, 1)} | ${ratioOf(result, (c) => c.rss)} | ${fixed((result.heapAfterLoad ?? Number.NaN) / 2 ** 20, 0)} |`,
  );
  const findings = comparisons.map((c) => {
    const { worse, noise, better } = verdicts(c);
    return `- **${c.store}:** slower or costlier (in every repetition, or a single figure by more than 5 %): ${list(worse)}; not told apart from resume off in this run (the range spans 1×, or a single figure within 5 %): ${list(noise)}${better.length ? `; on the better side in every repetition: ${list(better)}` : ''}.`;
  });
  const byStore = (pick: (c: Comparison) => Ratio) =>
    comparisons
      .map((c) => {
        const ratio = pick(c);
        return `${fixed(ratio.mid)}× (${c.store}${ratio.min <= 1 && ratio.max >= 1 ? ', within noise' : ''})`;
      })
      .join(' and ');
  const memory = on.find((result) => result.target.resume === 'memory');
  const heapNote =
    memory && (memory.heapAfterLoad ?? 0) > 4 * (off.heapAfterLoad ?? Number.POSITIVE_INFINITY)
      ? ` The memory store's server heap reached ${fixed((memory.heapAfterLoad ?? 0) / 2 ** 20, 0)} MB in this ${Math.round(run.durationMs / 1000)} s run (resume off: ${fixed((off.heapAfterLoad ?? 0) / 2 ** 20, 0)} MB): it keeps frames for \`ttl_seconds\`, up to its budget of 1,000,000 across runs (finished runs go early past it), so at high event rates size those to the memory you have (Redis keeps them for \`ttl_seconds\`, in Redis).`
      : '';
  const summary =
    `In short: at full load, resume on serves ${byStore((c) => c.events)} of resume off's events/s, ` +
    `its server spending ${byStore((c) => c.cpu)} the CPU per event; at an LLM's pace the CPU per event is ` +
    `${byStore((c) => c.pacedTotalCpu)} (with redis-server's own), and latency p99 is ${byStore((c) => c.p99)}.${heapNote}`;
  const failures = rows.filter((result) => result.failures > 0);
  const foreignNote = rows.some(
    (result) => busy(result.throughputForeign, sizes) || busy(result.latencyForeign, sizes),
  )
    ? `\n† measured while processes outside the run used more than ${sizes.maxForeignCores} cores (median of the kept windows).\n`
    : '';
  return `## Resume cost

What turning on [resumable streams](docs/resume.md) costs the Node path: \`ours-node\` (flowllm
\`nodeListener\`, the flow of the Results table) with \`resume: { backend: memory }\` and with
\`resume: { backend: redis }\` (every other resume setting at its default: \`ttl_seconds: 3600\`,
\`max_events_per_run: 20000\`, \`detach_seconds: 60\`), each as a ratio to the same target with resume off
**in the same run**. With resume on, every event also carries an \`id:\` line and is appended to its run's
log: a frame kept in the server's own heap (memory), or a fenced \`EVALSHA\` pipelined to Redis (a local
redis-server ${run.redis?.version ?? '?'} on loopback, started by the run; its CPU, read from \`INFO cpu\`, is
shown beside the server's). Ratios are the median over ${sizes.reps} repetitions, each repetition's figure divided
by resume off's in the same round of the round-robin, with the range in brackets.

- **Command:** \`${command}\`
- **Date:** ${date.toISOString().slice(0, 16).replace('T', ' ')} UTC, run took ${Math.round(run.durationMs / 1000)} s
- **Machine:** ${machine()}
- **Other load:** the busiest kept window saw ${fixed(run.maxForeignCores)} cores used by processes outside the
  run (limit ${sizes.maxForeignCores}); ${run.retriedWindows} windows were measured again, ${Math.round(run.quietWaitMs / 1000)} s spent waiting
  for a quieter machine; load average ${fixed(loadAverage, 1)} at the end. The ratios, taken round by round,
  move much less with that load than the absolute figures.

| ${sizes.conns} clients × ${sizes.tokens}-token streams | events/s (range) | × off | server CPU µs/event | × off | redis-server CPU µs/event | CPU × off, with Redis's |
| --- | ---: | ---: | ---: | ---: | ---: | ---: |
${throughput.join('\n')}

| ${sizes.latencyStreams} streams × a token every ${sizes.latencyIv} ms (${rate.toLocaleString('en')}/s) | latency p50 / p99 ms | p50 × off | p99 × off | server CPU µs/event | × off | redis-server CPU µs/event | CPU × off, with Redis's |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${latency.join('\n')}

| | TTFB p50 ms | × off | KB RSS/idle stream | × off | server heap after load MB |
| --- | ---: | ---: | ---: | ---: | ---: |
${other.join('\n')}
${foreignNote}
Measured as in the Results table (events/s, server CPU per event, paced latency, TTFB, RSS per idle stream
of ${sizes.idleStreams.toLocaleString('en')}). The paced table's CPU is per event over the latency windows (streams
starting and ending included): an LLM's pace, where each event is logged on its own, while the instant
model's bursts let the server log many frames per append (one Redis \`EVALSHA\` for many events), so the
first table understates what Redis costs per event of a real model. **heap after load**: the server's V8
heap after full GCs once the throughput windows are over — with resume on in memory it holds the logged
runs, frames kept for \`ttl_seconds\` (an hour) up to 1,000,000 across runs, so it grows with the events served up to that budget${run.redis ? `; redis-server held ${fixed(run.redis.usedMemory / 2 ** 20, 0)} MB (\`used_memory\`) at the end of the run` : ''}. Disconnect → abort is not compared: with resume on a disconnect only detaches the run
(by design), so the model goes on for \`detach_seconds\`.

**Where resume is slower** (above 1× for CPU and latency, below 1× for events/s). ${summary}

${findings.join('\n')}

Resume on does strictly more work per event than resume off, so a figure on the better side can only be
the machine's noise (or where a GC landed), and its size says how far to trust the others of this run.
${failures.length ? `\nStreams that failed: ${failures.map((result) => `${result.target.name} ${result.failures} (${result.reasons.join('; ')})`).join(', ')}.\n` : ''}`;
}

/** The same comparison for the terminal. */
export function resumeCostText(run: RunInfo): string {
  const off = run.results.find((result) => result.target.name === 'ours-node');
  if (!off) return '';
  return run.results
    .filter((result) => result.target.resume)
    .map((result) => {
      const c = compare(result, off);
      return `${result.target.name}: events/s ${showRatio(c.events)}, server CPU/event ${showRatio(c.cpu)}, with redis-server ${showRatio(c.totalCpu)}, latency p50 ${showRatio(c.p50)} p99 ${showRatio(c.p99)}, TTFB ${showRatio(c.ttfb)}, RSS/idle stream ${showRatio(c.rss)}`;
    })
    .join('\n');
}
