// A smoke run of the protocol encoders bench (tiny sizes) so it never rots: the workloads reach every
// encoder's end, the ratios are taken against FlowLLM's, the CLI prints them and the section lands
// between its markers. Figures, not speed limits.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  countEvents,
  ENCODERS,
  measureEncoders,
  ratioToFlowllm,
  streamOutput,
  WORKLOADS,
} from '../src/encoder-cost.js';
import { encoderCostMarkdown } from '../src/encoder-cost-report.js';
import { BENCH_DIR } from '../src/ipc.js';
import {
  benchmarksMarkdown,
  ENCODER_COST_MARKERS,
  IMPORT_COST_MARKERS,
  RESUME_COST_MARKERS,
  TELEMETRY_COST_MARKERS,
  withSection,
} from '../src/report.js';
import { SMOKE_SIZES } from '../src/run.js';

const TINY = { rounds: 2, warmRounds: 0, chunksPerSample: 300 };

describe('the protocol encoders bench', () => {
  it('writes whole streams: every encoder ends each workload with [DONE]', () => {
    for (const workload of WORKLOADS)
      for (const encoder of ENCODERS) {
        const text = streamOutput(encoder, workload.chunks).join('');
        expect(text, `${workload.name} ${encoder.name}`).toMatch(/\n\ndata: ?\[DONE\]\n\n$/);
      }
    // FlowLLM's wire is one event per chunk; the UI stream adds its start, step, part and finish events.
    const long = WORKLOADS[0]!;
    const eventsOf = (index: number) => countEvents(streamOutput(ENCODERS[index]!, long.chunks).join(''));
    expect(eventsOf(0)).toBe(long.chunks.length);
    expect(eventsOf(1)).toBeGreaterThan(long.chunks.length);
  });

  it('measures chunks/s of each encoder in every round, as a ratio to FlowLLM in the same round', () => {
    const run = measureEncoders(TINY);
    expect(run.results).toHaveLength(WORKLOADS.length * ENCODERS.length);
    for (const result of run.results) {
      const context = JSON.stringify(result);
      expect(result.perSecond, context).toHaveLength(TINY.rounds);
      for (const figure of result.perSecond) expect(figure, context).toBeGreaterThan(0);
      const ratio = ratioToFlowllm(run, result);
      if (result.encoder === 'flowllm') expect(ratio).toEqual({ mid: 1, min: 1, max: 1 });
      else expect(ratio.min, context).toBeGreaterThan(0);
      expect(ratio.min).toBeLessThanOrEqual(ratio.max);
    }
    const section = encoderCostMarkdown(run, { date: new Date(), command: 'test', loadAverage: 1 });
    expect(section).toMatch(/^## Protocol encoders\n/);
    // One row per workload and encoder, each with a ratio and its range.
    expect(section.match(/^\| (long answer|short answer|agent turn) \|.*\|$/gm)).toHaveLength(
      WORKLOADS.length * ENCODERS.length,
    );
    expect(section).toMatch(/\| \d+\.\d\d× \(\d+\.\d\d–\d+\.\d\d\) \|/);
    expect(section).toContain('**Where they are slower.**');
  });

  it('runs from the command line on tiny sizes and prints the ratios', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', join('src', 'micro', 'encoders.ts'), '--quick'],
      { cwd: BENCH_DIR, timeout: 120_000 },
    );
    for (const workload of WORKLOADS)
      for (const encoder of ENCODERS)
        expect(stdout).toMatch(new RegExp(`^${workload.name} +${encoder.name} .*× FlowLLM \\d`, 'm'));
    expect(stdout).toContain('## Protocol encoders');
  }, 120_000);

  it('is carried over when `pnpm bench` writes BENCHMARKS.md anew', () => {
    const run = { results: [], maxForeignCores: 0, retriedWindows: 0, quietWaitMs: 0, durationMs: 0 };
    const markdown = benchmarksMarkdown({
      run,
      sizes: SMOKE_SIZES,
      command: 'test',
      chartPath: 'chart.svg',
      analysis: 'none',
      savedSections: {
        'resume-cost.md': '## Resume cost\n',
        'encoder-cost.md': '## Protocol encoders\n',
        'telemetry-cost.md': '## Telemetry\n',
      },
      date: new Date(),
    });
    const [start, end] = ENCODER_COST_MARKERS;
    expect(markdown).toContain(
      `${RESUME_COST_MARKERS[1]}\n\n${start}\n## Protocol encoders\n${end}\n\n${TELEMETRY_COST_MARKERS[0]}\n## Telemetry\n${TELEMETRY_COST_MARKERS[1]}\n\n## Analysis`,
    );
  });

  it('puts its section after the resume cost, and in place on the next run', () => {
    const page = `# B\n\n${RESUME_COST_MARKERS[0]}\nR\n${RESUME_COST_MARKERS[1]}\n\n## Analysis\n`;
    const once = withSection(page, ENCODER_COST_MARKERS, 'E1\n', [
      RESUME_COST_MARKERS[1],
      IMPORT_COST_MARKERS[1],
    ]);
    expect(once).toBe(
      `# B\n\n${RESUME_COST_MARKERS[0]}\nR\n${RESUME_COST_MARKERS[1]}\n\n${ENCODER_COST_MARKERS[0]}\nE1\n${ENCODER_COST_MARKERS[1]}\n\n## Analysis\n`,
    );
    expect(withSection(once, ENCODER_COST_MARKERS, 'E2\n')).toBe(once.replace('E1', 'E2'));
    // With neither marker yet, before the analysis.
    expect(withSection('# B\n\n## Analysis\n', ENCODER_COST_MARKERS, 'E\n')).toBe(
      `# B\n\n${ENCODER_COST_MARKERS[0]}\nE\n${ENCODER_COST_MARKERS[1]}\n\n## Analysis\n`,
    );
  });
});
