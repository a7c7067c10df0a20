import { Worker } from 'node:worker_threads';

/**
 * A hang detector for synchronous code: a worker thread watches a counter in shared memory that the main
 * thread bumps before each call. If it stays still for `limitMs` (the main thread is stuck in a loop, so
 * no timer of the test can fire), the worker prints the input being processed and kills the process, so
 * the run fails loudly instead of hanging CI.
 */
export interface Watchdog {
  /** Call before each input: names what is being tried. */
  beat(label: string, input: string): void;
  stop(): Promise<void>;
}

const INPUT_BYTES = 16 * 1024;

const WORKER = `
const { workerData } = require('node:worker_threads');
const { writeSync } = require('node:fs');
const { counter, text, limitMs } = workerData;
const beats = new Int32Array(counter);
const bytes = new Uint8Array(text);
let last = Atomics.load(beats, 0);
let since = Date.now();
setInterval(() => {
  if (Atomics.load(beats, 1) === 1) process.exit(0);
  const now = Atomics.load(beats, 0);
  if (now !== last) { last = now; since = Date.now(); return; }
  if (Date.now() - since < limitMs) return;
  const length = Atomics.load(beats, 2);
  const input = new TextDecoder().decode(bytes.slice(0, length));
  writeSync(2, '\\n[reliability watchdog] no progress for ' + limitMs + ' ms: a hang on input ' + JSON.stringify(input) + '\\n');
  process.kill(process.pid, 'SIGKILL');
}, 50);
`;

export function startWatchdog(limitMs: number): Watchdog {
  const counter = new SharedArrayBuffer(12);
  const text = new SharedArrayBuffer(INPUT_BYTES);
  const beats = new Int32Array(counter);
  const bytes = new Uint8Array(text);
  const encoder = new TextEncoder();
  const worker = new Worker(WORKER, { eval: true, workerData: { counter, text, limitMs } });
  worker.unref();
  return {
    beat(label, input) {
      const { written } = encoder.encodeInto(`${label}: ${input.slice(0, INPUT_BYTES / 3)}`, bytes);
      Atomics.store(beats, 2, written);
      Atomics.add(beats, 0, 1);
    },
    async stop() {
      Atomics.store(beats, 1, 1);
      await new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    },
  };
}
