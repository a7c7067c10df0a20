// Property: however a client's connections are cut, resuming after the last id it had yields the
// run's events exactly once, in order — the same answer as one uninterrupted read.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  answerOf,
  openStream,
  parseEvents,
  postStream,
  type ResumeServer,
  startResumeServer,
  type WireEvent,
} from './resume-server.js';

const WORDS = Array.from({ length: 40 }, (_, i) => `t${i}`);
let server: ResumeServer;
beforeAll(async () => {
  server = await startResumeServer({
    resume: { backend: 'memory' },
    llm: { answer: WORDS.join(' '), token_delay_ms: 2 },
  });
});
afterAll(() => server.close());

/** Reads until `cut` more events arrived (or the end), then drops the connection. */
async function readSome(
  open: Promise<Awaited<ReturnType<typeof openStream>>>,
  cut: number,
): Promise<WireEvent[]> {
  const stream = await open;
  const count = (text: string) => parseEvents(text).filter((event) => event.id !== undefined).length;
  const text = await stream.until((got) => count(got) >= cut || got.includes('data:[DONE]'));
  stream.drop();
  // Only whole events count: a cut can land inside one, which the client then discards.
  const whole = text.slice(0, text.lastIndexOf('\n\n') + 2);
  return parseEvents(whole).filter((event) => event.id !== undefined);
}

describe('random drops and resumes', () => {
  it('give the same events as an uninterrupted read', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 6 }),
        async (cuts) => {
          const first = postStream(server.url, 'chat');
          const runId = (await first).headers['x-flowllm-run-id'] as string;
          const events = await readSome(first, cuts[0] as number);
          for (let attempt = 1; events.at(-1)?.data !== '[DONE]'; attempt++) {
            const after = events.at(-1)?.id ?? '0';
            const cut = cuts[attempt] ?? Number.POSITIVE_INFINITY;
            events.push(
              ...(await readSome(
                openStream(`${server.url}/chat/runs/${runId}`, { headers: { 'last-event-id': after } }),
                cut,
              )),
            );
          }
          expect(events.map((event) => Number(event.id))).toEqual(events.map((_, i) => i + 1));
          expect(answerOf(events)).toBe(WORDS.join(' '));
        },
      ),
      { numRuns: 15 },
    );
    expect(server.llm.stats.aborted).toBe(0);
  });
});
