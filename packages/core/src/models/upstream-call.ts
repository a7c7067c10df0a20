import { FlowllmError } from '../errors.js';
import { abortableSleep } from './abortable-sleep.js';
import { type Attempt, AttemptCall, type StreamAttempt } from './attempt-call.js';
import type { LlmCallOptions, LlmChunk } from './types.js';
import { type CallState, classifyFailure, failureError, type UpstreamLabel } from './upstream-errors.js';

// Defined with the config schema (it is part of it); re-exported here where backends look for it.
export { RETRY_KEYS } from '../config/builtin-backend-keys.js';

/**
 * The retry settings of one model, from its config entry (defaults 2, 1, 20, 120).
 *
 * @example
 * const settings: RetrySettings = { max_retries: 2, retry_delay: 1, max_retry_wait: 20, timeout: 120 };
 */
export interface RetrySettings {
  max_retries: number;
  retry_delay: number;
  max_retry_wait: number;
  timeout: number;
}

const DEFAULT_RETRY: RetrySettings = { max_retries: 2, retry_delay: 1, max_retry_wait: 20, timeout: 120 };

/**
 * The retry settings of an entry, defaults for the keys it does not set.
 *
 * @example
 * retrySettings({ max_retries: 0 }) // { max_retries: 0, retry_delay: 1, max_retry_wait: 20, timeout: 120 }
 */
export function retrySettings(entry: Partial<RetrySettings>): RetrySettings {
  const settings = { ...DEFAULT_RETRY };
  for (const key of Object.keys(DEFAULT_RETRY) as (keyof RetrySettings)[]) {
    const value = entry[key];
    if (typeof value === 'number') settings[key] = value;
  }
  return settings;
}

/**
 * The model a call goes to: how errors name it, and its retry settings (a `ProviderConnection` is one).
 *
 * @example
 * const target: UpstreamTarget = { label, retry: retrySettings({}) };
 */
export interface UpstreamTarget {
  label: UpstreamLabel;
  retry: RetrySettings;
}

/**
 * Streams one model call with retries that happen only before the first chunk was yielded: a
 * failure after that is thrown, never retried (the client would see text twice). `onOpen` is
 * called once, when the first attempt is accepted.
 *
 * @example
 * yield* streamWithRetries(this.connection, options, (attempt) => this.attempt(request, attempt));
 */
export async function* streamWithRetries(
  { label, retry: settings }: UpstreamTarget,
  options: LlmCallOptions,
  run: (attempt: StreamAttempt) => AsyncIterable<LlmChunk>,
): AsyncGenerator<LlmChunk> {
  let announced = false;
  let yielded = false;
  for (let attempts = 1; ; attempts++) {
    const call = new AttemptCall(settings.timeout * 1000, options.signal);
    const attempt: StreamAttempt = {
      signal: call.signal,
      opened: () => {
        call.opened();
        if (!announced) {
          announced = true;
          options.onOpen?.();
        }
      },
      touch: () => call.touch(),
      finished: (reason) => options.onFinish?.(reason),
    };
    try {
      for await (const chunk of run(attempt)) {
        yielded = true;
        call.pause();
        yield chunk;
        call.resume();
      }
      // The SDKs end an iteration quietly when their signal aborts: a cut-off answer must not pass for a whole one.
      call.signal.throwIfAborted();
      return;
    } catch (error) {
      const wait = retryWait(error, call.state, label, settings, options.signal, attempts, yielded);
      await abortableSleep(wait, options.signal);
    } finally {
      call.dispose();
    }
  }
}

/**
 * Runs a non-streaming call (embeddings) with the same timeout, retry and error rules.
 *
 * @example
 * const response = await callWithRetries({ label, retry }, signal, (attempt) => client.embeddings.create(body, { signal: attempt.signal }));
 */
export async function callWithRetries<T>(
  { label, retry: settings }: UpstreamTarget,
  signal: AbortSignal | undefined,
  run: (attempt: Attempt) => Promise<T>,
): Promise<T> {
  for (let attempts = 1; ; attempts++) {
    const call = new AttemptCall(settings.timeout * 1000, signal);
    try {
      return await run(call);
    } catch (error) {
      const wait = retryWait(error, call.state, label, settings, signal, attempts, false);
      await abortableSleep(wait, signal);
    } finally {
      call.dispose();
    }
  }
}

/** How long to wait before the next attempt; throws the error users see when there is none. */
function retryWait(
  error: unknown,
  state: CallState,
  label: UpstreamLabel,
  settings: RetrySettings,
  caller: AbortSignal | undefined,
  attempts: number,
  yielded: boolean,
): number {
  if (caller?.aborted) throw caller.reason;
  // Our own mapping errors (e.g. invalid tool arguments) are final.
  if (FlowllmError.isInstance(error)) throw error;
  const failure = classifyFailure(error, state, label);
  if (yielded || !failure.retryable || attempts > settings.max_retries) {
    throw failureError(failure, label, { attempts, cause: error });
  }
  const backoff = settings.retry_delay * 1000 * 2 ** (attempts - 1) * (1 + Math.random() * 0.2);
  const maxWait = settings.max_retry_wait * 1000;
  if (failure.retryAfterMs !== undefined && failure.retryAfterMs > maxWait) {
    const note = `the provider asks to retry after ${Math.ceil(failure.retryAfterMs / 1000)} s, more than max_retry_wait (${settings.max_retry_wait} s)`;
    throw failureError(failure, label, { attempts, cause: error, note });
  }
  return Math.min(failure.retryAfterMs ?? backoff, maxWait);
}
