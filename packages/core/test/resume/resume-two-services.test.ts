// Two services sharing one store, as two instances share Redis: a run owned by one is resumed
// through the other, which may be told an id the store has not seen yet (the owner's writes lag its
// own client) and then follows the run until it gets there, where the owner itself refuses it.
import { afterEach, expect, it } from 'vitest';
import { createMemoryEventLog } from '../../src/resume/memory-event-log.js';
import {
  openStream,
  parseEvents,
  postStream,
  type ResumeServer,
  startResumeServer,
} from './resume-server.js';

const WORDS = Array.from({ length: 30 }, (_, i) => `w${i}`);
// 30 tokens 100 ms apart (3 s): the run is far from the id given below when the resume arrives.
const slow = { answer: WORDS.join(' '), token_delay_ms: 100 };
const ids = (text: string) => parseEvents(text).flatMap((event) => (event.id ? [Number(event.id)] : []));

const servers: ResumeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

it('another instance follows a running run from an id its store has not reached; the owner answers 400', async () => {
  const log = createMemoryEventLog();
  const owner = await startResumeServer({ resume: { backend: 'memory' }, llm: slow, eventLog: log });
  const other = await startResumeServer({ resume: { backend: 'memory' }, llm: slow, eventLog: log });
  servers.push(owner, other);
  const first = await postStream(owner.url, 'chat');
  const runId = first.headers['x-flowllm-run-id'] as string;
  const seen = ids(await first.until((text) => ids(text).length >= 3));
  const ahead = (seen.at(-1) as number) + 15;

  // The owner holds every event it produced: an id past them (and past the whole run) is refused.
  const refused = await fetch(`${owner.url}/chat/runs/${runId}?last_event_id=1000`);
  expect(refused.status).toBe(400);

  const followed = await openStream(`${other.url}/chat/runs/${runId}?last_event_id=${ahead}`);
  expect(followed.status).toBe(200);
  const text = await followed.ended;
  const got = ids(text);
  // Every later event once, in order, from the one after the given id, to [DONE].
  expect(got[0]).toBe(ahead + 1);
  expect(got).toEqual(got.map((_, index) => ahead + 1 + index));
  expect(parseEvents(text).at(-1)?.data).toBe('[DONE]');
  await first.ended;
});
