import { describe, expect, it } from 'vitest';
import { callWithRetries, retrySettings } from '../../src/models/upstream-call.js';

const label = { provider: 'test', model: 'm', keyHint: 'the key', timeout: 60 };

/** The timers that keep the process alive (unref'd ones are not listed). */
const liveTimers = () => process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;

describe('the timeout of an upstream call', () => {
  it('does not keep the process alive (its timer is unref()d)', async () => {
    const before = liveTimers();
    let during = -1;
    const controller = new AbortController();
    const call = callWithRetries(
      { label, retry: retrySettings({ timeout: 60 }) },
      controller.signal,
      (attempt) => {
        during = liveTimers();
        return new Promise((_resolve, reject) =>
          attempt.signal.addEventListener('abort', () => reject(attempt.signal.reason)),
        );
      },
    );
    controller.abort(new Error('done'));
    await expect(call).rejects.toThrow('done');
    expect(during).toBe(before);
  });
});
