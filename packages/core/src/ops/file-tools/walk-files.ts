import type { Dirent } from 'node:fs';
import { opendir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { isInsideRoot } from './sandbox-root.js';

/**
 * One regular file found by {@link walkFiles}: its real path and its path relative to the directory
 * walked, with `/` separators (what globs are matched against).
 *
 * @example
 * const file: WalkedFile = { path: '/srv/project/src/a.ts', relative: 'src/a.ts' };
 */
export interface WalkedFile {
  path: string;
  relative: string;
}

/**
 * What {@link walkFiles} found, and whether it stopped at its bound before seeing everything.
 *
 * @example
 * const { files, truncated } = await walkFiles(root, root, { maxEntries: 1000 });
 */
export interface WalkResult {
  files: WalkedFile[];
  truncated: boolean;
}

/**
 * Lists the regular files below `dir` (itself inside `root`), depth first in name order, visiting
 * at most `maxEntries` directory entries so a huge tree costs a bounded amount of work. Symlinked
 * directories are not entered (as Python's `rglob`); a symlinked file is listed (at its link's
 * relative path, with its target as `path`) only when its target is a file inside `root`. Entries that cannot be read are skipped.
 * `keep` filters the files (by relative path) without counting toward anything but `maxEntries`.
 *
 * @example
 * const { files } = await walkFiles(root, path.join(root, 'src'), { maxEntries: 50_000 });
 */
export async function walkFiles(
  root: string,
  dir: string,
  options: { maxEntries: number; signal?: AbortSignal; keep?: (relative: string) => boolean },
): Promise<WalkResult> {
  const files: WalkedFile[] = [];
  let visited = 0;
  const pending: string[] = [dir];
  while (pending.length > 0) {
    options.signal?.throwIfAborted();
    const current = pending.pop() as string;
    const entries = await readEntries(current);
    const subdirs: string[] = [];
    for (const entry of entries) {
      if (++visited > options.maxEntries) return { files, truncated: true };
      const full = path.join(current, entry.name);
      const relative = path.relative(dir, full).split(path.sep).join('/');
      if (entry.isDirectory()) subdirs.push(full);
      else if (!options.keep || options.keep(relative)) {
        const file = entry.isFile()
          ? full
          : entry.isSymbolicLink()
            ? await fileTargetInside(root, full)
            : undefined;
        if (file) files.push({ path: file, relative });
      }
    }
    pending.push(...subdirs.reverse());
  }
  return { files, truncated: false };
}

async function readEntries(dir: string): Promise<Dirent[]> {
  const entries: Dirent[] = [];
  try {
    for await (const entry of await opendir(dir)) entries.push(entry);
  } catch {
    return [];
  }
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

// A symlink's target when it is a regular file inside the root: the path to read instead of the link.
async function fileTargetInside(root: string, link: string): Promise<string | undefined> {
  try {
    const target = await realpath(link);
    return isInsideRoot(root, target) && (await stat(target)).isFile() ? target : undefined;
  } catch {
    return undefined;
  }
}
