import { readFile, stat } from 'node:fs/promises';
import { sandboxRefusal } from './sandbox-root.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A confined file's text as Python's `Path.read_text(encoding="utf-8")` gives it: strict UTF-8 (a
 * file that is not fails), a leading BOM kept as Python does, `\r\n` and `\r` read as `\n`. Files
 * over `maxBytes` are refused before they are read.
 *
 * @example
 * const text = await readTextFile('/srv/p/a.md', 10 * 1024 * 1024, 'ReadFile');
 */
export async function readTextFile(file: string, maxBytes: number, tool: string): Promise<string> {
  const { size } = await stat(file);
  if (size > maxBytes) {
    throw sandboxRefusal(
      `${file} has ${size} bytes; ${tool} reads files of at most ${maxBytes} bytes (max_file_bytes).`,
    );
  }
  return utf8.decode(await readFile(file)).replace(/\r\n?/g, '\n');
}
