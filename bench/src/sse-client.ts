// A lean HTTP/1.1 + SSE client on raw sockets: keep-alive, chunked bodies, and per-event latency from
// the `~<µs>~` timestamp the model put in each token. Cheap enough that the server, not the client,
// is what a load run measures.
import { connect, type Socket } from 'node:net';
import { nowUs } from './model.js';

/** Latency histogram: 10 µs buckets up to 2 s, the rest in the last bucket. */
export class Histogram {
  static readonly BUCKET_US = 10;
  readonly counts = new Uint32Array(200_000);
  total = 0;

  add(us: number): void {
    const bucket = us <= 0 ? 0 : Math.min(this.counts.length - 1, Math.floor(us / Histogram.BUCKET_US));
    this.counts[bucket]!++;
    this.total++;
  }

  /** The p-th percentile in microseconds (upper edge of its bucket); NaN when empty. */
  percentile(p: number): number {
    if (this.total === 0) return Number.NaN;
    const rank = Math.max(1, Math.ceil((p / 100) * this.total));
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return (i + 1) * Histogram.BUCKET_US;
    }
    return this.counts.length * Histogram.BUCKET_US;
  }

  reset(): void {
    this.counts.fill(0);
    this.total = 0;
  }
}

/** Counters shared by every connection of a client process. */
export interface ClientStats {
  /** Events that carried a model timestamp. */
  events: number;
  /** Per-event model → client latency, when measuring it. */
  latency: Histogram | undefined;
}

export interface StreamOptions {
  /** Destroy the socket once this many timestamped events arrived (a client that leaves). */
  leaveAfterEvents?: number;
  /** Called at the first timestamped event. */
  onFirstEvent?: () => void;
  /** Keep the response body (de-chunked) in the outcome, to check the bytes a server sent. */
  capture?: boolean;
}

export interface StreamOutcome {
  ok: boolean;
  status: number;
  /** Request written → first response byte, µs. */
  ttfbUs: number;
  events: number;
  /** When the client left (µs on the shared clock), for `leaveAfterEvents`. */
  leftAtUs?: number;
  /** The response body, with `capture`. */
  body?: Buffer;
  error?: string;
}

const HEAD = 0;
const SIZE = 1;
const DATA = 2;
const DATA_END = 3;
const TRAILER = 4;
const LENGTH = 5;
const TO_CLOSE = 6;
const IDLE = 7;

const CRLFCRLF = Buffer.from('\r\n\r\n');
const LF = 10;
const CR = 13;
const TILDE = 126;

/** One keep-alive connection; one stream at a time. */
export class SseConnection {
  private phase = IDLE;
  private head: Buffer | undefined;
  private left = 0;
  private keepAlive = true;
  private inExtension = false;
  // SSE scanner state (survives across reads and chunks).
  private prevLf = false;
  private inMark = false;
  private acc = 0;
  private mark = -1;
  // The stream in flight.
  private sentAt = 0;
  private outcome: StreamOutcome | undefined;
  private options: StreamOptions = {};
  private settle: ((outcome: StreamOutcome) => void) | undefined;
  private captured: Buffer[] | undefined;
  closed = false;

  private constructor(
    private readonly socket: Socket,
    private readonly stats: ClientStats,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (data: Buffer) => this.onData(data));
    socket.on('error', () => {});
    socket.on('close', () => {
      this.closed = true;
      if (this.phase === TO_CLOSE) this.finish(true);
      else if (this.outcome) this.finish(false, 'connection closed mid-response');
    });
  }

  static open(port: number, stats: ClientStats): Promise<SseConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host: '127.0.0.1' });
      const onError = (error: Error) => reject(error);
      socket.once('error', onError);
      socket.once('connect', () => {
        socket.off('error', onError);
        resolve(new SseConnection(socket, stats));
      });
    });
  }

  /** Sends one POST and resolves when its response ended (or the connection did). */
  stream(port: number, path: string, body: string, options: StreamOptions = {}): Promise<StreamOutcome> {
    if (this.outcome) throw new Error('one stream at a time');
    this.options = options;
    this.captured = options.capture ? [] : undefined;
    this.outcome = { ok: false, status: 0, ttfbUs: -1, events: 0 };
    this.phase = HEAD;
    this.head = undefined;
    this.prevLf = false;
    this.inMark = false;
    this.mark = -1;
    const promise = new Promise<StreamOutcome>((resolve) => {
      this.settle = resolve;
    });
    this.sentAt = nowUs();
    this.socket.write(
      `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept: text/event-stream\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
    return promise;
  }

  /** Whether another request may go on this connection. */
  get reusable(): boolean {
    return this.keepAlive && !this.closed;
  }

  destroy(): void {
    this.closed = true;
    this.socket.destroy();
  }

  private finish(ok: boolean, error?: string): void {
    const outcome = this.outcome;
    const settle = this.settle;
    if (!outcome || !settle) return;
    this.outcome = undefined;
    this.settle = undefined;
    this.phase = IDLE;
    outcome.ok = ok && outcome.status === 200;
    if (this.captured) outcome.body = Buffer.concat(this.captured);
    this.captured = undefined;
    if (error) outcome.error = error;
    else if (outcome.status !== 200) outcome.error = `HTTP ${outcome.status}`;
    settle(outcome);
  }

  private onData(data: Buffer): void {
    const outcome = this.outcome;
    if (!outcome) return;
    const now = nowUs();
    if (outcome.ttfbUs < 0) outcome.ttfbUs = now - this.sentAt;
    let i = 0;
    if (this.phase === HEAD) {
      const buffer = this.head ? Buffer.concat([this.head, data]) : data;
      const end = buffer.indexOf(CRLFCRLF);
      if (end === -1) {
        this.head = buffer;
        return;
      }
      this.head = undefined;
      this.parseHead(buffer.toString('latin1', 0, end), outcome);
      data = buffer;
      i = end + 4;
    }
    const length = data.length;
    while (i < length && this.outcome) {
      switch (this.phase) {
        case SIZE: {
          const c = data[i++]!;
          if (c === LF) {
            this.phase = this.left === 0 ? TRAILER : DATA;
            this.inExtension = false;
          } else if (c !== CR && !this.inExtension) {
            const digit = hexDigit(c);
            // A chunk extension (';…') ends the size.
            if (digit < 0) this.inExtension = true;
            else this.left = this.left * 16 + digit;
          }
          break;
        }
        case DATA:
          i = this.scanCounted(data, i, now);
          if (this.left === 0) this.phase = DATA_END;
          break;
        case DATA_END:
          if (data[i++] === LF) {
            this.phase = SIZE;
            this.left = 0;
          }
          break;
        case TRAILER:
          if (data[i++] === LF) this.finish(true);
          break;
        case LENGTH:
          i = this.scanCounted(data, i, now);
          if (this.left === 0) this.finish(true);
          break;
        case TO_CLOSE:
          this.scan(data, i, length, now);
          i = length;
          break;
        default:
          i = length;
      }
    }
  }

  /** Scans up to `left` bytes of `data` from `i` (a chunk's or a Content-Length body's); the next `i`. */
  private scanCounted(data: Buffer, i: number, now: number): number {
    const end = Math.min(data.length, i + this.left);
    this.scan(data, i, end, now);
    this.left -= end - i;
    return end;
  }

  private parseHead(head: string, outcome: StreamOutcome): void {
    outcome.status = Number(head.slice(9, 12));
    const lower = head.toLowerCase();
    this.keepAlive = !/\r\nconnection:\s*close/.test(lower);
    if (/\r\ntransfer-encoding:[^\r]*chunked/.test(lower)) {
      this.phase = SIZE;
      this.left = 0;
      return;
    }
    const length = /\r\ncontent-length:\s*(\d+)/.exec(lower);
    if (length) {
      this.left = Number(length[1]);
      this.phase = LENGTH;
      if (this.left === 0) this.finish(true);
      return;
    }
    this.keepAlive = false;
    this.phase = TO_CLOSE;
  }

  /** Counts complete events that carry a `~<µs>~` stamp and records their latency. */
  private scan(data: Buffer, start: number, end: number, now: number): void {
    // A copy: the socket may reuse its read buffer.
    if (this.captured && end > start) this.captured.push(Buffer.from(data.subarray(start, end)));
    let prevLf = this.prevLf;
    let inMark = this.inMark;
    let acc = this.acc;
    let mark = this.mark;
    for (let j = start; j < end; j++) {
      const c = data[j]!;
      if (c === LF) {
        if (prevLf) {
          prevLf = false;
          if (mark >= 0) {
            const stamped = mark;
            mark = -1;
            if (this.onEvent(now, stamped)) break;
          }
        } else prevLf = true;
      } else if (c !== CR) {
        prevLf = false;
        if (c === TILDE) {
          if (inMark) mark = acc;
          inMark = !inMark;
          acc = 0;
        } else if (inMark) {
          if (c >= 48 && c <= 57) acc = acc * 10 + (c - 48);
          else inMark = false;
        }
      }
    }
    this.prevLf = prevLf;
    this.inMark = inMark;
    this.acc = acc;
    this.mark = mark;
  }

  /** One timestamped event arrived; true when the client leaves now. */
  private onEvent(now: number, stampedUs: number): boolean {
    const outcome = this.outcome;
    if (!outcome) return true;
    outcome.events++;
    this.stats.events++;
    this.stats.latency?.add(now - stampedUs);
    if (outcome.events === 1) this.options.onFirstEvent?.();
    const leaveAfter = this.options.leaveAfterEvents;
    if (leaveAfter !== undefined && outcome.events >= leaveAfter) {
      outcome.leftAtUs = nowUs();
      this.destroy();
      this.finish(true);
      return true;
    }
    return false;
  }
}

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}
