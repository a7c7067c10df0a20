import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SIZE } from './sizes.js';

/**
 * Saves the figures of one part of the suite for RELIABILITY.md. Only when the runner set
 * `RELIABILITY_RESULTS` (a directory): the CI-size `test` script records nothing.
 */
export function record(section: string, key: string, figures: Record<string, unknown>): void {
  const dir = process.env.RELIABILITY_RESULTS;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  const file = `${section}--${key}`.replace(/[^a-z0-9-]+/gi, '_');
  writeFileSync(
    join(dir, `${file}.json`),
    JSON.stringify({ section, key, size: SIZE.name, ...figures }, null, 2),
  );
}

/** Rejections nobody handled in this process (the servers run in the test's process). */
const key = Symbol.for('flowllm.reliability.unhandled');
const state = globalThis as { [key]?: unknown[] };
if (!state[key]) {
  const seen: unknown[] = [];
  state[key] = seen;
  process.on('unhandledRejection', (reason) => seen.push(reason));
}
export const unhandledRejections: unknown[] = state[key];
