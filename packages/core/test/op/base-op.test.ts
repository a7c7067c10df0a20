import { describe, expect, it } from 'vitest';
import { collect, testApp } from '../helpers/app.js';
import { events } from '../helpers/test-ops.js';

const one = (flowContent: string, stream = false) => ({ flow: { f: { flow_content: flowContent, stream } } });

describe('BaseOp.run', () => {
  it('calls before, execute, after in order', async () => {
    const app = testApp(one('FlakyOp(fail_times=0)'));
    expect(await app.run('f')).toMatchObject({ answer: 'ok after 1' });
    expect(events).toEqual(['before', 'execute:1', 'after']);
  });

  it('retries up to max_retries attempts', async () => {
    const app = testApp(one('FlakyOp(fail_times=2, max_retries=3)'));
    expect(await app.run('f')).toMatchObject({ answer: 'ok after 3' });
    expect(events.filter((e) => e.startsWith('execute'))).toEqual(['execute:1', 'execute:2', 'execute:3']);
  });

  it('fails the flow when retries are used up (raise_exception defaults to true)', async () => {
    const app = testApp(one('FlakyOp(fail_times=5, max_retries=2)'));
    await expect(app.run('f')).rejects.toThrow('FlakyOp failed: boom 2');
  });

  it('never retries once the op has streamed a chunk (no duplicated text)', async () => {
    const app = testApp(one('FlakyOp(fail_times=1, max_retries=3, stream_first=True)'));
    const chunks = await collect(app.stream('f'));
    expect(chunks.map((c) => [c.chunk_type, c.chunk])).toEqual([
      ['answer', 'partial'],
      ['error', 'FlakyOp failed: boom 1'],
      ['done', ''],
    ]);
  });

  it('raise_exception=False keeps the flow going but streams the error', async () => {
    const app = testApp(one('FlakyOp(fail_times=9, raise_exception=False) >> CountOp(count=1)'));
    const chunks = await collect(app.stream('f'));
    expect(chunks.map((c) => [c.chunk_type, c.chunk, c.done, c.metadata])).toEqual([
      ['error', 'boom 1', false, { op: 'FlakyOp' }],
      ['answer', 'token-0', false, {}],
      ['done', '', true, {}],
    ]);
  });

  it('raise_exception=False reports the error in response.metadata of a sync flow', async () => {
    const app = testApp(one('FlakyOp(fail_times=9, raise_exception=False) >> UpperOp()'));
    const response = await app.run('f', { query: 'x' });
    expect(response).toEqual({
      answer: 'X',
      success: true,
      metadata: { errors: [{ op: 'FlakyOp', message: 'boom 1' }] },
    });
  });
});
