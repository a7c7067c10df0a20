// A short smoke run of the harness (tiny sizes, a few targets) so it never rots. It asserts that the
// numbers are sane — not that any performance goal holds.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { token } from '../src/model.js';
import {
  benchmarksMarkdown,
  chartSvg,
  IMPORT_COST_MARKERS,
  judgeGoals,
  markdownTable,
  RESUME_COST_MARKERS,
  textTable,
} from '../src/report.js';
import { resumeCostMarkdown } from '../src/resume-cost.js';
import { PHASES, runBench, SMOKE_SIZES } from '../src/run.js';
import { type ClientStats, Histogram, SseConnection } from '../src/sse-client.js';
import { RESUME_COST_TARGETS } from '../src/targets.js';

describe('the SSE load client', () => {
  it('counts stamped events across arbitrary read and chunk boundaries', async () => {
    const frames = Array.from({ length: 50 }, () => `data:{"chunk":"${token()}"}\n\n`).join('');
    const server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      // Odd-sized writes split events, timestamps and chunk headers in every possible place.
      let offset = 0;
      const step = () => {
        if (offset >= frames.length) return void response.end('data:[DONE]\n\n');
        const size = 1 + (offset % 13);
        response.write(frames.slice(offset, offset + size));
        offset += size;
        setImmediate(step);
      };
      step();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const stats: ClientStats = { events: 0, latency: new Histogram() };
    const connection = await SseConnection.open(port, stats);
    try {
      for (let round = 0; round < 2; round++) {
        const outcome = await connection.stream(port, '/x', '{}');
        expect(outcome).toMatchObject({ ok: true, status: 200, events: 50 });
        expect(outcome.ttfbUs).toBeGreaterThan(0);
        expect(connection.reusable).toBe(true);
      }
      expect(stats.events).toBe(100);
      expect(stats.latency!.total).toBe(100);
      expect(stats.latency!.percentile(50)).toBeGreaterThan(0);
    } finally {
      connection.destroy();
      server.closeAllConnections();
      server.close();
    }
  });

  it('leaves after a number of events, as a client that disconnects', async () => {
    const server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      const timer = setInterval(() => response.write(`data:${token()}\n\n`), 2);
      response.on('close', () => clearInterval(timer));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const connection = await SseConnection.open(port, { events: 0, latency: undefined });
    const outcome = await connection.stream(port, '/x', '{}', { leaveAfterEvents: 3 });
    expect(outcome.events).toBe(3);
    expect(outcome.leftAtUs).toBeGreaterThan(0);
    server.closeAllConnections();
    server.close();
  });
});

describe('a smoke run of the benchmark', () => {
  it('measures sane numbers for the floor, our Node path, an adapter, a peer and a framework baseline', async () => {
    const targets = ['raw', 'ours-node', 'ours-express', 'better-sse-node', 'base-h3'];
    const lines: string[] = [];
    const run = await runBench({ sizes: SMOKE_SIZES, targets, log: (line) => lines.push(line) });
    expect(run.results.map((result) => result.target.name)).toEqual(targets);
    for (const result of run.results) {
      const context = `${result.target.name}: ${JSON.stringify(result)}`;
      expect(result.failures, context).toBe(0);
      // Figures, not speed limits (those are the benchmark's job): only that something was measured.
      expect(result.eventsPerSec, context).toBeGreaterThan(0);
      expect(result.cpuPerMillion, context).toBeGreaterThan(0);
      expect(result.cpuPerMillion, context).toBeLessThan(1000);
      expect(result.ttfbP50, context).toBeGreaterThan(0);
      expect(result.latencyP50, context).toBeGreaterThan(0);
      expect(result.latencyP50, context).toBeLessThan(1_000_000);
      // Paced streams (10 × 200/s): some rate (a busy machine can make it any slower), never more than asked.
      expect(result.latencyRate, context).toBeGreaterThan(0);
      expect(result.latencyRate, context).toBeLessThan(3000);
      expect(result.idleOpened, context).toBe(SMOKE_SIZES.idleStreams);
      expect(Number.isFinite(result.rssPerStream), context).toBe(true);
      expect(result.heapPerStream, context).toBeGreaterThan(0);
      // Every one of these stops its model when the client leaves.
      expect(result.abortMissing, context).toBe(0);
      expect(result.abortMax, context).toBeGreaterThanOrEqual(0);
      expect(result.abortMax, context).toBeLessThan(5000);
    }
    const goals = judgeGoals(run.results, SMOKE_SIZES);
    expect(goals.length).toBeGreaterThan(5);
    expect(textTable(run.results, SMOKE_SIZES)).toContain('better-sse');
    expect(markdownTable(run.results, SMOKE_SIZES).split('\n')).toHaveLength(2 + targets.length);
    expect(chartSvg(run.results)).toMatch(/^<svg[\s\S]*<\/svg>\n$/);
    const markdown = benchmarksMarkdown({
      run,
      sizes: SMOKE_SIZES,
      command: 'test',
      chartPath: 'chart.svg',
      analysis: 'none',
      importCost: '## Install size and import time\n\n| before | after |\n',
      date: new Date(),
    });
    expect(markdown).toContain('## Goals');
    // The section `import-cost` rewrites on its own sits between its markers, before the analysis.
    const [start, end] = IMPORT_COST_MARKERS;
    expect(markdown).toContain(
      `${start}\n## Install size and import time\n\n| before | after |\n${end}\n\n## Analysis`,
    );
  }, 120_000);

  it('measures ours-node with resume on, in memory and on a redis-server it starts, against resume off', async () => {
    const targets = [...RESUME_COST_TARGETS];
    const lines: string[] = [];
    const run = await runBench({
      sizes: SMOKE_SIZES,
      targets,
      phases: PHASES.filter((phase) => phase !== 'disconnect'),
      log: (line) => lines.push(line),
    });
    expect(run.results.map((result) => result.target.name)).toEqual(targets);
    expect(run.redis?.version).toMatch(/^\d+\./);
    for (const result of run.results) {
      const context = `${result.target.name}: ${JSON.stringify(result)}`;
      expect(result.failures, context).toBe(0);
      expect(result.eventsPerSec, context).toBeGreaterThan(0);
      expect(result.cpuPerMillion, context).toBeGreaterThan(0);
      expect(result.latencyP50, context).toBeGreaterThan(0);
      expect(result.idleOpened, context).toBe(SMOKE_SIZES.idleStreams);
      // Only the Redis target has a redis-server's CPU; it spends some on every appended event.
      if (result.target.resume === 'redis') expect(result.redisCpuPerMillion, context).toBeGreaterThan(0);
      else expect(result.redisCpuPerMillion, context).toBeNaN();
    }
    const section = resumeCostMarkdown(run, SMOKE_SIZES, {
      date: new Date(),
      command: 'test',
      loadAverage: 1,
    });
    expect(section).toMatch(/^## Resume cost\n/);
    expect(section).toContain('| resume on, memory |');
    expect(section).toContain('| resume on, Redis |');
    expect(section).toContain('**Where resume is slower**');
    const markdown = benchmarksMarkdown({
      run,
      sizes: SMOKE_SIZES,
      command: 'test',
      chartPath: 'chart.svg',
      analysis: 'none',
      resumeCost: section,
      date: new Date(),
    });
    const [start, end] = RESUME_COST_MARKERS;
    expect(markdown).toContain(`${start}\n${section}${end}\n\n## Analysis`);
  }, 120_000);
});
