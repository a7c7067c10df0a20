// A short smoke run of the harness (tiny sizes, a few targets) so it never rots. It asserts that the
// numbers are sane — not that any performance goal holds.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectedBody, expectedTokens, FRAME_CHECKS, frameMismatch, tokensOfEvents } from '../src/frames.js';
import { BenchModel, token } from '../src/model.js';
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
import { DEFAULT_TARGETS, RESUME_COST_TARGETS, targetByName } from '../src/targets.js';

describe('the bench model', () => {
  it('hands over K tokens per turn of the event loop, padded to the chunk size', async () => {
    const model = new BenchModel({ n: 5, iv: 0, k: 2, size: 20, fixed: true });
    const settled: boolean[] = [false, false, false];
    const pulls = [model.next(), model.next(), model.next()];
    for (const [index, pull] of pulls.entries()) {
      void pull.then(() => {
        settled[index] = true;
      });
    }
    await Promise.resolve();
    await Promise.resolve();
    // The first K are there in this turn; the next waits for the next turn of the event loop.
    expect(settled).toEqual([true, true, false]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toEqual([true, true, true]);
    const tokens = (await Promise.all(pulls)).map((result) => result.value as string);
    expect(tokens).toEqual(expectedTokens(3, 20));
    for (const tok of tokens) expect(tok).toHaveLength(20);
  });
});

describe('the identical-bytes check', () => {
  it('accepts exactly FlowLLM bytes and the same tokens from a peer, and flags one changed byte', () => {
    const floor = targetByName('raw-batched');
    const ours = targetByName('ours-node');
    const peer = targetByName('hono-streamsse');
    const check = { n: 3, k: 1, size: 16 };
    const body = expectedBody(3, 16);
    expect(frameMismatch(floor, check, body)).toBeUndefined();
    // flowllm's own random flow id stands in for the bench's fixed one.
    expect(
      frameMismatch(ours, check, body.replaceAll('0123456789abcdef', 'fedcba9876543210')),
    ).toBeUndefined();
    expect(frameMismatch(floor, check, body.replace('~1~', '~2~'))).toMatch(/differs .* at byte \d+/);
    expect(frameMismatch(floor, check, body.replace('\n\ndata:[DONE]', '\ndata:[DONE]'))).toBeDefined();
    const peerBody = expectedTokens(3, 16)
      .map((tok) => `event: message\ndata: ${JSON.stringify({ chunk: tok })}\n\n`)
      .join('');
    expect(tokensOfEvents(peerBody)).toEqual(expectedTokens(3, 16));
    expect(frameMismatch(peer, check, peerBody)).toBeUndefined();
    expect(frameMismatch(peer, check, peerBody.replace('~2~', '~3~'))).toMatch(/first wrong at 2/);
  });

  it('finds every target sending identical frames for the same workloads', async () => {
    const targets = [...DEFAULT_TARGETS];
    const run = await runBench({ sizes: SMOKE_SIZES, targets, phases: ['frames'], log: () => {} });
    expect(run.frames?.mismatches).toEqual([]);
    expect(run.frames?.compared).toBe(targets.length * FRAME_CHECKS.length);
    for (const result of run.results) expect(result.failures, result.target.name).toBe(0);
  }, 120_000);
});

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
  it('profiles exactly the measured windows: a CPU profile and the frames and socket writes of each', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowllm-prof-test-'));
    process.env.BENCH_COUNT_WRITES = '1'; // as `pnpm … profile` sets it for the server processes
    try {
      const sizes = { ...SMOKE_SIZES, reps: 1, workloads: SMOKE_SIZES.workloads?.slice(0, 1) };
      await runBench({
        sizes,
        targets: ['raw-batched', 'ours-node'],
        phases: ['throughput'],
        cpuProfDir: dir,
        log: () => {},
      });
      const workload = sizes.workloads![0]!.id;
      for (const target of ['raw-batched', 'ours-node']) {
        const name = join(dir, `${target}.${workload}.0`);
        const window = JSON.parse(readFileSync(`${name}.json`, 'utf8'));
        expect(window.events).toBeGreaterThan(0);
        expect(window.serverUs).toBeGreaterThan(0);
        // At K=1 each frame leaves in its own write, plus a stream's head and end (20-token streams).
        expect(window.socketWrites).toBeGreaterThanOrEqual(window.events * 0.9);
        expect(window.socketWrites).toBeLessThanOrEqual(window.events * 1.5);
        const profile = JSON.parse(readFileSync(`${name}.cpuprofile`, 'utf8'));
        expect(profile.samples.length).toBeGreaterThan(0);
      }
    } finally {
      delete process.env.BENCH_COUNT_WRITES;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('measures sane numbers for the floor, our Node path, an adapter, a peer and a framework baseline', async () => {
    const targets = ['raw-batched', 'raw', 'ours-node', 'ours-express', 'better-sse-node', 'base-h3'];
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
      expect(result.heapPerStreamReps, context).toHaveLength(SMOKE_SIZES.reps);
      // Every workload it is named for was measured, each ratio taken to the floor in the same round.
      const headline = result.workloads?.[0];
      expect(headline?.id, context).toBe(SMOKE_SIZES.workloads![0]!.id);
      expect(headline?.cpuReps[0], context).toBeGreaterThan(0);
      expect(headline?.clientCoresReps[0], context).toBeGreaterThan(0);
      if (result.target.kind === 'floor') expect(headline?.ratioReps, context).toEqual([1]);
      else expect(headline?.ratioReps[0], context).toBeGreaterThan(0);
      expect(Number.isFinite(result.latencyP99DiffReps?.[0]), context).toBe(true);
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
      savedSections: { 'import-cost.md': '## Install size and import time\n\n| before | after |\n' },
      date: new Date(),
    });
    expect(markdown).toContain('## Goals');
    expect(markdown).toContain('## Headline: server CPU per frame');
    expect(markdown).toContain('**Where flowllm is slower than the floor**');
    expect(markdown).toMatch(/every FlowLLM-wire target .* sent byte-identical bodies/);
    expect(run.frames).toEqual({ compared: targets.length * FRAME_CHECKS.length, mismatches: [] });
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
      savedSections: { 'resume-cost.md': section },
      date: new Date(),
    });
    const [start, end] = RESUME_COST_MARKERS;
    expect(markdown).toContain(`${start}\n${section}${end}\n\n## Analysis`);
  }, 120_000);
});
