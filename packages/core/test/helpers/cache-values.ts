import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const WORKER = fileURLToPath(new URL('./cache-worker.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** A value whose completeness can be checked: `pad` is exactly `size` characters. */
export function bigValue(
  writer: string,
  round: number,
): { writer: string; round: number; size: number; pad: string } {
  const size = 20_000 + ((round * 7919) % 5_000);
  return { writer, round, size, pad: writer.repeat(size).slice(0, size) };
}

/** Whether a loaded value is a whole {@link bigValue}. */
export function isWhole(value: unknown): boolean {
  const v = value as ReturnType<typeof bigValue> | undefined;
  return typeof v?.pad === 'string' && v.pad.length === v.size;
}

/** How many `.json` files in `dir` (entries and metadata.json) are not complete JSON. */
export function unparsableFiles(dir: string): number {
  let bad = 0;
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.json')) continue;
    let text: string;
    try {
      text = readFileSync(join(dir, name), 'utf8');
    } catch {
      continue; // removed since the listing
    }
    try {
      JSON.parse(text);
    } catch {
      bad++;
    }
  }
  return bad;
}

/** Runs test/helpers/cache-worker.ts in a new Node process; resolves its JSON report. */
export function runCacheWorker(args: string[]): Promise<unknown> {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, ...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (data: Buffer) => {
    stdout += data.toString();
  });
  child.stderr.on('data', (data: Buffer) => {
    stderr += data.toString();
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(JSON.parse(stdout));
      else reject(new Error(`cache worker exited with ${code}: ${stderr}`));
    });
  });
}
