// The resume loop of streamFlow/resumeFlow: read a run's events, and after a network drop reopen
// `GET /{flow}/runs/{id}?last_event_id=…` from the last event read. Exactly once rests on the ids:
// each must be the previous one plus one; an old one is skipped, a jump is an error (events were lost).
import { FlowClientError } from './errors.js';
import { dropped, readChunks } from './read-stream.js';
import type { FlowChunk, FlowRun, ResumeOptions } from './types.js';

/** A run being read: the public {@link FlowRun} plus the sequence number of its last event. */
export interface RunCursor extends FlowRun {
  lastEventId: string | undefined;
  seq: number | undefined;
}

interface FollowOptions {
  signal: AbortSignal;
  maxEventSize: number | undefined;
  resume: ResumeOptions;
  /** Opens the run route from the cursor (throws the client's errors). */
  reopen(run: RunCursor): Promise<Response>;
}

const MAX_DELAY_MS = 30_000;

/** `N` (POST, run route) or `<flow_id>:N` (the EventSource variant) → N. */
export function eventSeq(id: string): number | undefined {
  const match = /^(?:[0-9a-f]{32}:)?(\d{1,15})$/.exec(id);
  return match ? Number(match[1]) : undefined;
}

/** Yields the run's chunks from `response`, reconnecting after drops until `[DONE]`. */
export async function* followRun(
  run: RunCursor,
  response: Response | undefined,
  options: FollowOptions,
): AsyncGenerator<FlowChunk, void, undefined> {
  const { signal, resume } = options;
  const retries = resume.retries ?? 5;
  let hintMs: number | undefined;
  let failures = 0;
  const onId = (id: string): boolean => {
    const seq = eventSeq(id);
    const last = run.seq;
    if (seq !== undefined && last !== undefined && seq <= last) return false; // already yielded
    if (seq === undefined || (last !== undefined && seq !== last + 1))
      throw new FlowClientError(
        'invalid_response',
        `run ${run.runId}: event id ${id} after ${last} (events lost)`,
      );
    run.seq = seq;
    run.lastEventId = id;
    return true;
  };
  const onRetry = (ms: number) => {
    hintMs = ms;
  };
  for (;;) {
    const before = run.seq;
    try {
      response ??= await options.reopen(run);
      if (response.status === 204)
        throw new FlowClientError(
          'gone',
          `run ${run.runId} of flow '${run.flow}' is gone (unknown, expired or over)`,
          {
            status: 204,
          },
        );
      if (!response.body || !(response.headers.get('content-type') ?? '').includes('text/event-stream'))
        throw new FlowClientError('invalid_response', `resuming run ${run.runId} did not answer a stream`, {
          status: response.status,
        });
      yield* readChunks(response.body, options, { onId, onRetry });
      return;
    } catch (error) {
      if (signal.aborted || !canRetry(error)) throw error;
      if (run.seq !== before) failures = 0; // that connection made progress
      if (++failures > retries) throw error;
      const base = resume.delayMs ?? hintMs ?? 1000;
      await sleep(Math.min(base * 2 ** (failures - 1), MAX_DELAY_MS), signal);
      response = undefined;
    }
  }
}

/** A drop, no answer, or a proxy/store that is briefly unavailable: worth another try. */
function canRetry(error: unknown): boolean {
  if (!FlowClientError.isInstance(error)) return false;
  if (error.code === 'network' || dropped.has(error)) return true;
  return error.code === 'http' && [502, 503, 504].includes(error.status);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
