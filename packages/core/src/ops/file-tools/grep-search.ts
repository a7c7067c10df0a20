import { Worker } from 'node:worker_threads';
import { sandboxRefusal } from './sandbox-root.js';
import type { WalkedFile } from './walk-files.js';

/**
 * One regex search over a list of (already confined) files, with its bounds.
 *
 * @example
 * const job: GrepJob = { files, source: 'TODO', flags: 'i', maxLineLength: 2000, maxMatches: 1000, maxFileBytes: 1 << 20, maxTotalBytes: 1 << 26 };
 */
export interface GrepJob {
  files: WalkedFile[];
  /** The regular expression's source and flags (compiled again in the worker). */
  source: string;
  flags: string;
  /** Only the first this many characters of a line are searched and shown. */
  maxLineLength: number;
  /** The search stops after this many matching lines. */
  maxMatches: number;
  /** Larger files are skipped. */
  maxFileBytes: number;
  /** The search stops before reading more than this many bytes in all. */
  maxTotalBytes: number;
}

/**
 * One matching line: 1-based number, text (cut to `maxLineLength`), and whether it was cut.
 *
 * @example
 * const match: GrepMatch = { path: '/srv/p/a.ts', relative: 'a.ts', line: 3, text: '// TODO', cut: false };
 */
export interface GrepMatch {
  path: string;
  relative: string;
  line: number;
  text: string;
  cut: boolean;
}

/**
 * What a search found, and what it left out.
 *
 * @example
 * if (outcome.stoppedAtBytes) console.log('searched only part of the files');
 */
export interface GrepOutcome {
  matches: GrepMatch[];
  skippedLarge: number;
  skippedBinary: number;
  stoppedAtBytes: boolean;
  stoppedAtMatches: boolean;
}

// Plain JavaScript run in a worker thread, so a catastrophic pattern can be stopped (terminate()):
// a regex cannot be interrupted on the thread that runs it.
const WORKER_SOURCE = `
const { parentPort, workerData: job } = require('node:worker_threads');
const fs = require('node:fs');
const regex = new RegExp(job.source, job.flags);
const out = { matches: [], skippedLarge: 0, skippedBinary: 0, stoppedAtBytes: false, stoppedAtMatches: false };
let total = 0;
search: for (const file of job.files) {
  let buffer;
  try {
    const size = fs.statSync(file.path).size;
    if (size > job.maxFileBytes) { out.skippedLarge++; continue; }
    if (total + size > job.maxTotalBytes) { out.stoppedAtBytes = true; break; }
    buffer = fs.readFileSync(file.path);
  } catch { continue; }
  total += buffer.length;
  if (buffer.subarray(0, 8192).includes(0)) { out.skippedBinary++; continue; }
  const lines = buffer.toString('utf8').split('\\n');
  for (let i = 0; i < lines.length; i++) {
    const cut = lines[i].length > job.maxLineLength;
    const text = cut ? lines[i].slice(0, job.maxLineLength) : lines[i];
    regex.lastIndex = 0;
    if (!regex.test(text)) continue;
    out.matches.push({ path: file.path, relative: file.relative, line: i + 1, text, cut });
    if (out.matches.length >= job.maxMatches) { out.stoppedAtMatches = true; break search; }
  }
}
parentPort.postMessage(out);
`;

/**
 * Runs a search on a worker thread and waits at most `timeoutMs`: a pattern that takes longer (a
 * catastrophic one such as `(a+)+$`) is stopped and refused, and so is the search when `signal`
 * aborts. Binary files (a NUL byte in the first 8 KiB) are skipped.
 *
 * @example
 * const outcome = await grepFiles(job, { timeoutMs: 10_000, signal });
 */
export function grepFiles(
  job: GrepJob,
  options: { timeoutMs: number; signal: AbortSignal },
): Promise<GrepOutcome> {
  const { timeoutMs, signal } = options;
  signal.throwIfAborted();
  return new Promise<GrepOutcome>((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: job });
    const finish = (settle: () => void) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      void worker.terminate();
      settle();
    };
    const onAbort = () => finish(() => reject(signal.reason));
    const timer = setTimeout(
      () =>
        finish(() =>
          reject(
            sandboxRefusal(
              `The search was stopped after ${timeoutMs / 1000} s (grep_timeout_seconds). Patterns with nested repetition such as (a+)+ can take exponential time: simplify the pattern or narrow the path or glob.`,
            ),
          ),
        ),
      timeoutMs,
    );
    signal.addEventListener('abort', onAbort, { once: true });
    worker.once('message', (outcome: GrepOutcome) => finish(() => resolve(outcome)));
    worker.once('error', (error) => finish(() => reject(error)));
  });
}

/**
 * The pattern compiled on this thread first (compiling is fast and safe), so a syntax error is a
 * plain failure; over-long patterns are refused.
 *
 * @example
 * const regex = compilePattern('log.*Error', 'i', 1000);
 */
export function compilePattern(pattern: string, flags: string, maxLength: number): RegExp {
  if (pattern.length > maxLength) {
    throw sandboxRefusal(
      `The pattern has ${pattern.length} characters; at most ${maxLength} are searched for.`,
    );
  }
  return new RegExp(pattern, flags);
}
