import type { IncomingHttpHeaders } from 'node:http';
import { exchange } from './http-client.js';

/**
 * Headers a stream must never carry: Node's HTTP/2 layer throws on `transfer-encoding`/`keep-alive` and
 * drops `connection`, Safari drops h2 streams that carry it, and Node's HTTP/1.1 server frames itself.
 */
export const FORBIDDEN_HEADERS = [
  'connection',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'proxy-connection',
];

/** What one sequence-numbered stream delivered, checked chunk by chunk. */
export interface SeqTally {
  status: number;
  headers: IncomingHttpHeaders;
  /** Chunks received in order, with the right tag. */
  inOrder: number;
  /** Sequence numbers never received. */
  lost: number;
  /** Sequence numbers received more than once. */
  duplicated: number;
  /** Chunks that arrived after a higher sequence number. */
  reordered: number;
  /** Chunks of another stream (wrong tag) or unparseable events. */
  foreign: number;
  /** Error chunks. */
  errors: string[];
  /** The stream ended with `data:[DONE]`. */
  done: boolean;
  /** The response ended normally (not cut). */
  complete: boolean;
  /** Heartbeat comments seen. */
  pings: number;
  /** ms from request to the first chunk, and to the end. */
  firstChunkMs: number | undefined;
  endMs: number;
  /** A transport error (connection refused, reset…). */
  failure?: string;
  /** The body, when it was not an event stream (an HTTP error). */
  body?: string;
}

/**
 * Checks the events of a FlowLLM stream whose answer chunks are `<tag>:<seq>[:pad]`, seq 0..count-1.
 * Feed it text as it arrives; it keeps only the unfinished event.
 */
export class SeqChecker {
  private buffer = '';
  private readonly seen: Uint8Array;
  private next = 0;
  private max = -1;
  readonly tally: Omit<SeqTally, 'status' | 'headers' | 'complete' | 'firstChunkMs' | 'endMs'> = {
    inOrder: 0,
    lost: 0,
    duplicated: 0,
    reordered: 0,
    foreign: 0,
    errors: [],
    done: false,
    pings: 0,
  };
  firstChunkAt: number | undefined;
  private readonly prefix: string;

  constructor(
    tag: string,
    private readonly count: number,
  ) {
    this.seen = new Uint8Array(count);
    this.prefix = `${tag}:`;
  }

  feed(text: string): void {
    this.buffer += text;
    let start = 0;
    for (;;) {
      const end = this.buffer.indexOf('\n\n', start);
      if (end === -1) break;
      this.event(this.buffer.slice(start, end));
      start = end + 2;
    }
    if (start > 0) this.buffer = this.buffer.slice(start);
  }

  private event(text: string): void {
    for (const line of text.split('\n')) {
      if (line.startsWith(':')) {
        this.tally.pings++;
        continue;
      }
      if (!line.startsWith('data:')) continue;
      const data = line.slice(5);
      if (data === '[DONE]') {
        this.tally.done = true;
        continue;
      }
      this.firstChunkAt ??= performance.now();
      let chunk: { chunk_type?: string; chunk?: unknown };
      try {
        chunk = JSON.parse(data) as typeof chunk;
      } catch {
        this.tally.foreign++;
        continue;
      }
      if (chunk.chunk_type === 'error') {
        this.tally.errors.push(String(chunk.chunk));
        continue;
      }
      const content = typeof chunk.chunk === 'string' ? chunk.chunk : '';
      if (chunk.chunk_type !== 'answer' || !content.startsWith(this.prefix)) {
        this.tally.foreign++;
        continue;
      }
      const seq = Number.parseInt(content.slice(this.prefix.length), 10);
      if (!(seq >= 0 && seq < this.count)) {
        this.tally.foreign++;
        continue;
      }
      if (this.seen[seq]) this.tally.duplicated++;
      else {
        this.seen[seq] = 1;
        if (seq < this.max) this.tally.reordered++;
        else if (seq === this.next) this.tally.inOrder++;
      }
      this.max = Math.max(this.max, seq);
      this.next = seq + 1;
    }
  }

  /** Counts what never came. */
  finish(): void {
    let lost = 0;
    for (let i = 0; i < this.count; i++) if (!this.seen[i]) lost++;
    this.tally.lost = lost;
  }
}

export interface SeqStreamOptions {
  /** Sent as the query; the chunks must echo it. */
  tag: string;
  /** How many sequence-numbered chunks the flow streams. */
  count: number;
  method?: string;
  headers?: Record<string, string>;
  /** Give up (destroy) after this long. */
  timeoutMs: number;
}

/** POSTs `{query: tag}` to a stream flow over a fresh connection and checks every chunk. */
export async function runSeqStream(base: string, path: string, options: SeqStreamOptions): Promise<SeqTally> {
  const { tag, count } = options;
  const started = performance.now();
  const checker = new SeqChecker(tag, count);
  // A body that is not SSE (an error JSON) is kept as text for the assertion message.
  let text: string | undefined;
  const ended = await exchange(
    `${base}${path}`,
    {
      method: options.method ?? 'POST',
      headers: { 'content-type': 'application/json', ...options.headers },
      body: JSON.stringify({ query: tag }),
      timeoutMs: options.timeoutMs,
    },
    (res) => {
      if (String(res.headers['content-type']).startsWith('text/event-stream'))
        return (part) => checker.feed(part);
      text = '';
      return (part) => {
        text += part;
      };
    },
  );
  checker.finish();
  return {
    ...checker.tally,
    status: ended.status,
    headers: ended.headers,
    complete: ended.complete,
    failure: ended.failure,
    body: text,
    firstChunkMs: checker.firstChunkAt === undefined ? undefined : checker.firstChunkAt - started,
    endMs: ended.endAt - started,
  };
}

/** A short text for a failed tally, for assertion messages. */
export function describeTally(tag: string, tally: SeqTally): string {
  const { status, inOrder, lost, duplicated, reordered, foreign, errors, done, complete, failure } = tally;
  return `${tag}: status ${status}, inOrder ${inOrder}, lost ${lost}, dup ${duplicated}, reordered ${reordered}, foreign ${foreign}, errors ${JSON.stringify(errors)}, done ${done}, complete ${complete}${failure ? `, failure ${failure}` : ''}${tally.body ? `, body ${tally.body.slice(0, 300)}` : ''}`;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `condition` every `everyMs` (10 ms); fails with `what` after `timeoutMs`. */
export async function waitFor(
  condition: () => boolean,
  timeoutMs: number,
  what: string | (() => string),
  { everyMs = 10 }: { everyMs?: number } = {},
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}`,
      );
    await sleep(everyMs);
  }
}
