// Frames as the log stores and serves them.
import type { LoggedFrames } from '@flowllm/core/adapter';
import type { LogEntry } from './tailer.js';

/** The payload that ends a stream. */
export const DONE = '[DONE]';

/**
 * The chunk a reader appends for a run whose owner stopped answering (a FlowLLM error chunk).
 *
 * @example
 * lostChunk('3f2a'); // '{"flow_id":"3f2a","chunk_type":"error",…,"done":true,"metadata":{}}'
 */
export function lostChunk(flowId: string): string {
  return JSON.stringify({
    flow_id: flowId,
    chunk_type: 'error',
    chunk: 'the run was lost: its server stopped responding',
    done: true,
    metadata: {},
  });
}

/**
 * The chunk that ends a run's log for remote readers when its owner had to drop writes (Redis was away
 * too long): the owner's own readers still get every event.
 *
 * @example
 * incompleteChunk('3f2a'); // '{"flow_id":"3f2a","chunk_type":"error",…,"done":true,"metadata":{}}'
 */
export function incompleteChunk(flowId: string): string {
  return JSON.stringify({
    flow_id: flowId,
    chunk_type: 'error',
    chunk: 'the run was lost: its events could not all be stored',
    done: true,
    metadata: {},
  });
}

/**
 * Consecutive frames from seq `from` on (at most `max`) out of `entries`, each seq once: entries can
 * arrive twice (the tailer reads from the slowest follower's cursor). `empty` is an empty slice's firstSeq.
 */
export function sliceFrames(
  entries: readonly LogEntry[],
  from: number,
  max: number,
  empty: number,
): LoggedFrames {
  const frames: string[] = [];
  let firstSeq = empty;
  let next = from;
  for (const entry of entries) {
    for (let i = 0; i < entry.frames.length && frames.length < max; i++) {
      const seq = entry.firstSeq + i;
      if (seq < next) continue;
      // A hole (trimmed frames) is only allowed before the first frame: the reader checks seqs.
      if (frames.length > 0 && seq !== next) return { firstSeq, frames };
      if (frames.length === 0) firstSeq = seq;
      frames.push(entry.frames[i] as string);
      next = seq + 1;
    }
  }
  return { firstSeq, frames };
}
