import { stat } from 'node:fs/promises';
import path from 'node:path';
import { ToolFailure } from './confined-tool-op.js';

/**
 * The directory a search starts from: `requested` confined by `confine`, or the root when empty;
 * fails (FlowLLM's wording) when it does not exist or is not a directory.
 *
 * @example
 * const dir = await searchDir(this.root, this.input.dir_path, (p) => this.confine(p, 'dir_path'));
 */
export async function searchDir(
  root: string,
  requested: unknown,
  confine: (requested: string) => Promise<string>,
): Promise<string> {
  if (typeof requested !== 'string' || requested.trim() === '') return root;
  const dir = await confine(requested.trim());
  const info = await stat(dir).catch(() => undefined);
  if (!info) throw new ToolFailure(`Search path does not exist: ${dir}`);
  if (!info.isDirectory()) throw new ToolFailure(`Search path is not a directory: ${dir}`);
  return dir;
}

/**
 * FlowLLM tries the pattern as a plain path first: the file itself when `dir/pattern` is one.
 *
 * @example
 * await exactFile('/srv/p', 'README.md', confine); // [{ path: '/srv/p/README.md', relative: 'README.md' }]
 */
export async function exactFile(
  dir: string,
  pattern: string,
  confine: (requested: string) => Promise<string>,
): Promise<{ path: string; relative: string }[] | undefined> {
  if (/[*?[{]/.test(pattern)) return undefined;
  const file = await confine(path.resolve(dir, pattern));
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) return undefined;
  return [{ path: file, relative: path.relative(dir, file).split(path.sep).join('/') }];
}

/**
 * A note for results of a walk that stopped at `max_walk_entries`.
 *
 * @example
 * walkNote(true); // '\n[the search stopped early: …]'
 */
export function walkNote(truncated: boolean): string {
  return truncated
    ? '\n[the search stopped early: the directory has more entries than max_walk_entries; narrow the directory or the pattern]'
    : '';
}

/**
 * A list option or input as strings (a single string is a one-item list; anything else, none).
 *
 * @example
 * stringList(['a', 1]); // ['a', '1']
 */
export function stringList(value: unknown): string[] {
  if (typeof value === 'string') return value === '' ? [] : [value];
  return Array.isArray(value) ? value.map(String) : [];
}

/**
 * Code-unit order of two strings (Python's default string sort).
 *
 * @example
 * ['b', 'B', 'a'].sort(compareText); // ['B', 'a', 'b']
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
