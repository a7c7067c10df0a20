import { HANG_MS } from '@flowllm/conformance';
import { afterAll, describe, expect, it } from 'vitest';
import { BAD_INPUT_CONFIG, badInputs } from '../src/bad-inputs.js';
import { describeTally, runSeqStream, waitFor } from '../src/client.js';
import { rawRequest } from '../src/raw-http.js';
import { record, unhandledRejections } from '../src/report.js';
import { TARGETS } from '../src/targets.js';

const CASES = badInputs();

/** What must never be in an answer: a stack frame, a file path of this machine, a module path. */
const LEAKS = [/\n\s+at /, /\/work\//, /node_modules/, /packages\/core/, /\.ts:\d+/];

describe(`bad input: ${CASES.length} malformed requests, each with its documented 4xx`, () => {
  afterAll(() => expect(unhandledRejections).toEqual([]));

  it('the table has over 100 cases in every category the issues list', () => {
    expect(CASES.length).toBeGreaterThan(100);
    const categories = new Set(CASES.map((c) => c.category));
    for (const category of [
      'invalid JSON',
      'deep nesting',
      'huge strings',
      'prototype keys',
      'wrong types',
      'invalid UTF-8',
      'oversized',
      'odd methods',
      'query string',
      'headers',
      'bounded answers',
      'prototype names',
      'reserved fields',
      'CORS',
      'body limits',
    ])
      expect(categories).toContain(category);
    for (const c of CASES) expect(c.status, c.name).toBeGreaterThanOrEqual(400);
  });

  for (const target of TARGETS) {
    it(`[${target.name}] answers each one as documented, and keeps serving`, async () => {
      const server = await target.start({ config: BAD_INPUT_CONFIG });
      const port = Number(new URL(server.url).port);
      try {
        const started = performance.now();
        const wrong: string[] = [];
        for (const bad of CASES) {
          const reply = await rawRequest(port, bad.bytes).catch((error: Error) => error);
          const label = `${bad.category}: ${bad.name}`;
          if (reply instanceof Error) {
            wrong.push(`${label}: ${reply.message}`);
            continue;
          }
          if (reply.status !== bad.status)
            wrong.push(`${label}: ${reply.status} instead of ${bad.status}: ${reply.body.slice(0, 200)}`);
          for (const leak of LEAKS)
            if (leak.test(reply.body)) wrong.push(`${label}: the answer leaks ${leak}`);
          if (bad.maxBodyBytes !== undefined && Buffer.byteLength(reply.body) > bad.maxBodyBytes)
            wrong.push(
              `${label}: a ${Buffer.byteLength(reply.body)}-byte answer (at most ${bad.maxBodyBytes})`,
            );
          // A 405 names what is allowed.
          if (bad.status === 405 && !reply.headers.allow) wrong.push(`${label}: 405 without Allow`);
        }
        expect(wrong).toEqual([]);
        const ms = Math.round(performance.now() - started);
        // Unharmed: a normal stream still runs to the end, nothing is left open, nothing was logged.
        const tally = await runSeqStream(server.url, '/chat', { tag: 'after', count: 3, timeoutMs: 5000 });
        expect(tally.inOrder, describeTally('after', tally)).toBe(3);
        expect(tally.done).toBe(true);
        await waitFor(() => server.service.openStreamCount === 0, HANG_MS, 'every stream pump to finish');
        expect(server.logs).toEqual([]);
        expect(server.hostErrors).toEqual([]);
        const byStatus: Record<string, number> = {};
        for (const bad of CASES) byStatus[bad.status] = (byStatus[bad.status] ?? 0) + 1;
        console.log(`[${target.name}] ${CASES.length} bad requests answered as documented in ${ms} ms`);
        record('bad-input', target.name, { tried: CASES.length, asDocumented: CASES.length, byStatus, ms });
      } finally {
        await server.close();
      }
    });
  }
});
