import { HANG_MS } from '@flowllm/conformance';
import { afterAll, describe, expect, it } from 'vitest';
import { describeTally, runSeqStream, type SeqTally, waitFor } from '../src/client.js';
import { canCollect, type MemorySample, mib, settledMemory } from '../src/memory.js';
import { gate } from '../src/ops.js';
import { record, unhandledRejections } from '../src/report.js';
import { budgetMs, SIZE } from '../src/sizes.js';
import { type RunningTarget, TARGETS } from '../src/targets.js';

const { streams: N, chunks: M, rounds: ROUNDS, burst } = SIZE.soak;

// The full size holds 2,000 streams at once: above http.max_streams' default of 1,000.
const config = {
  http: { max_streams: 0 },
  flow: {
    seq: {
      flow_content: `SeqStreamOp(count=${M}, burst=${burst}, gate=True)`,
      stream: true,
    },
  },
};

interface Round {
  streams: number;
  peakOpen: number;
  chunks: number;
  lost: number;
  duplicated: number;
  reordered: number;
  foreign: number;
  errors: number;
  ms: number;
  memory: MemorySample;
}

/** Opens `count` streams at once, holds them all at the gate, then lets them run to the end. */
async function round(server: RunningTarget, count: number, label: string): Promise<Round> {
  gate.reset();
  const started = performance.now();
  const tags = Array.from({ length: count }, (_, i) => `${label}-${i}`);
  const tallies = tags.map((tag) =>
    runSeqStream(server.url, '/seq', { tag, count: M, timeoutMs: budgetMs(60_000, 240_000) }),
  );
  // Every stream is open and has sent chunk 0 before any goes on: N streams held at once.
  await waitFor(
    () => gate.arrived === count && server.service.openStreamCount === count,
    budgetMs(30_000, 120_000),
    () => `${count} streams to be open (gate ${gate.arrived}, open ${server.service.openStreamCount})`,
  );
  const peakOpen = server.service.openStreamCount;
  gate.open();
  const results: SeqTally[] = await Promise.all(tallies);
  const ms = performance.now() - started;
  const bad = results
    .map((tally, i) => ({ tally, tag: tags[i]! }))
    .filter(
      ({ tally }) =>
        tally.status !== 200 ||
        !tally.done ||
        !tally.complete ||
        tally.inOrder !== M ||
        tally.lost + tally.duplicated + tally.reordered + tally.foreign + tally.errors.length > 0,
    );
  expect(bad.slice(0, 5).map(({ tag, tally }) => describeTally(tag, tally))).toEqual([]);
  await waitFor(() => server.service.openStreamCount === 0, HANG_MS, 'every stream pump to finish');
  await waitFor(
    () => server.sockets.size === 0,
    HANG_MS,
    () => `${server.sockets.size} server sockets to close`,
  );
  const sum = (pick: (tally: SeqTally) => number) => results.reduce((total, tally) => total + pick(tally), 0);
  return {
    streams: count,
    peakOpen,
    chunks: sum((tally) => tally.inOrder),
    lost: sum((tally) => tally.lost),
    duplicated: sum((tally) => tally.duplicated),
    reordered: sum((tally) => tally.reordered),
    foreign: sum((tally) => tally.foreign),
    errors: sum((tally) => tally.errors.length),
    ms,
    memory: await settledMemory(),
  };
}

describe(`soak: ${N} concurrent streams × ${M} sequence-numbered chunks, ${ROUNDS} rounds`, () => {
  afterAll(() => expect(unhandledRejections).toEqual([]));

  it('runs with global.gc (vitest.config.ts passes --expose-gc)', () => {
    expect(canCollect()).toBe(true);
  });

  for (const target of TARGETS) {
    it(
      `[${target.name}] zero lost, duplicated or reordered chunks, zero errors, memory back to its baseline`,
      async () => {
        const server = await target.start({ config });
        try {
          // Warm-up at full size: JIT, pools and tables grown to N entries are not leaks.
          await round(server, N, 'warm');
          const baseline = await settledMemory();
          const rounds: Round[] = [];
          for (let r = 1; r <= ROUNDS; r++) rounds.push(await round(server, N, `r${r}`));
          const last = rounds.at(-1)!;
          const heapGrowth = last.memory.heapUsed - baseline.heapUsed;
          const rssGrowth = last.memory.rss - rounds[0]!.memory.rss;
          const line = rounds
            .map((r, i) => `round ${i + 1}: ${Math.round(r.ms)} ms, heap ${mib(r.memory.heapUsed)} MiB`)
            .join('; ');
          console.log(
            `[${target.name}] soak ${N}×${M}: baseline heap ${mib(baseline.heapUsed)} MiB, rss ${mib(baseline.rss)} MiB; ${line}; rss after ${mib(last.memory.rss)} MiB`,
          );
          for (const r of rounds) {
            expect(r.peakOpen).toBe(N);
            expect(r.chunks).toBe(N * M);
            expect(r.lost + r.duplicated + r.reordered + r.foreign + r.errors).toBe(0);
          }
          // Memory back near its baseline: the heap after three rounds of N streams is within 4 MiB
          // (under 1 KiB per stream served at the full size) of where it was before them, and RSS did not
          // keep growing after the first round.
          expect(heapGrowth, `heap grew by ${mib(heapGrowth)} MiB`).toBeLessThan(4 * 1024 * 1024);
          expect(rssGrowth, `rss grew by ${mib(rssGrowth)} MiB after round 1`).toBeLessThan(32 * 1024 * 1024);
          expect(server.logs).toEqual([]);
          expect(server.hostErrors).toEqual([]);
          record('soak', target.name, {
            streams: N,
            chunks: M,
            rounds: ROUNDS,
            streamsServed: N * ROUNDS,
            chunksDelivered: rounds.reduce((total, r) => total + r.chunks, 0),
            lost: rounds.reduce((total, r) => total + r.lost, 0),
            duplicated: rounds.reduce((total, r) => total + r.duplicated, 0),
            reordered: rounds.reduce((total, r) => total + r.reordered, 0),
            errors: rounds.reduce((total, r) => total + r.errors, 0),
            peakOpen: Math.max(...rounds.map((r) => r.peakOpen)),
            roundMs: rounds.map((r) => Math.round(r.ms)),
            baselineHeapMiB: mib(baseline.heapUsed),
            finalHeapMiB: mib(last.memory.heapUsed),
            heapGrowthMiB: mib(heapGrowth),
            baselineRssMiB: mib(baseline.rss),
            finalRssMiB: mib(last.memory.rss),
          });
        } finally {
          await server.close();
        }
      },
      budgetMs(90_000, 900_000),
    );
  }
});
