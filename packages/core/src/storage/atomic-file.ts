import { randomUUID } from 'node:crypto';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * The names {@link writeFileAtomic} gives its temporary files: `.<target name>.<uuid>.tmp`, beside the
 * target, so a sweep can tell them from entries.
 *
 * @example
 * TEMP_FILE.test('.metadata.json.0b3c9a4e-1f2d-4c5b-8a7e-6d5c4b3a2f10.tmp'); // true
 */
export const TEMP_FILE = /^\..+\.[0-9a-f-]{36}\.tmp$/;

/**
 * Writes `text` to a uniquely named temporary file beside `file`, syncs it to disk, then renames it over
 * `file`: readers (other processes too) and a crash see the old file or the new one, never half of one.
 *
 * @example
 * await writeFileAtomic('./cache/chat/metadata.json', JSON.stringify(index));
 */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temporary = join(dirname(file), `.${basename(file)}.${randomUUID()}.tmp`);
  try {
    const handle = await open(temporary, 'w');
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/**
 * Runs `fn` holding a lock shared by every process: the directory `lockDir`, made with `mkdir` (which
 * only one caller can win). A lock older than `staleMs` is taken to be left by a crashed process and
 * removed. Gives up (resolves `undefined`, `fn` not run) after `timeoutMs` of waiting.
 *
 * @example
 * await withDirLock('./cache/chat/.metadata.lock', () => rewriteIndex());
 */
export async function withDirLock<T>(
  lockDir: string,
  fn: () => Promise<T>,
  { timeoutMs = 10_000, staleMs = 30_000 } = {},
): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (let wait = 2; ; wait = Math.min(wait * 2, 50)) {
    try {
      await mkdir(lockDir);
      break;
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'EEXIST') throw error;
    }
    if (await isOlderThan(lockDir, staleMs)) {
      await rm(lockDir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) return undefined;
    await new Promise((resolve) => setTimeout(resolve, wait * (0.5 + Math.random())));
  }
  try {
    return await fn();
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}

/**
 * Whether `path` was last modified more than `ms` ago (false when it is gone).
 *
 * @example
 * if (await isOlderThan(lockDir, 30_000)) await rm(lockDir, { recursive: true, force: true });
 */
export async function isOlderThan(path: string, ms: number): Promise<boolean> {
  try {
    return Date.now() - (await stat(path)).mtimeMs > ms;
  } catch {
    return false;
  }
}
