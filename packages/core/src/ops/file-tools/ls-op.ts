import { opendir, stat } from 'node:fs/promises';
import path from 'node:path';
import { ToolFailure } from './confined-tool-op.js';
import { FileToolOp } from './file-tool-op.js';
import { fnmatch } from './fnmatch.js';

/**
 * FlowLLM's `LSOp` (tool `ListDirectory`): the entries directly inside a directory, directories
 * first (`[DIR] name`), then files, each group by name; `ignore` drops names matching fnmatch
 * patterns. Confined to `root_dir`; at most `max_files` entries are listed.
 *
 * @example
 * // flow_content: ReactAgentOp() << [LSOp(root_dir="./docs"), ReadFileOp(root_dir="./docs")]
 */
export class LSOp extends FileToolOp {
  static override prompts = {
    tool_desc:
      'Lists what a directory directly contains: its files and subdirectories (not recursively). Entries whose name matches one of the optional glob patterns in `ignore` are left out.',
    path: 'The directory to list, e.g. "/home/user/project/src".',
    ignore: 'Optional: glob patterns of names to leave out, e.g. ["*.pyc", "__pycache__"].',
  };

  describeTool() {
    return {
      name: 'ListDirectory',
      description: `${this.prompt('tool_desc')}\n${this.rootNote()}`,
      input_schema: {
        path: this.stringField('path'),
        ignore: {
          type: 'array' as const,
          items: { type: 'string' as const },
          description: this.prompt('ignore'),
          required: false,
        },
      },
    };
  }

  protected failurePrefix(): string {
    return `Failed to list directory "${this.text('path')}"`;
  }

  protected async work(): Promise<string> {
    const requested = this.requiredText('path');
    const dir = await this.confine(requested, 'path');
    const info = await stat(dir).catch(() => undefined);
    if (!info) throw new ToolFailure(`Directory not found: ${dir}`);
    if (!info.isDirectory()) throw new ToolFailure(`Path is not a directory: ${dir}`);
    const ignore = Array.isArray(this.input.ignore) ? this.input.ignore.map(String) : [];
    const max = this.option<number>('max_files');
    const entries: { name: string; isDirectory: boolean }[] = [];
    for (const name of await entryNames(dir, this.option<number>('max_walk_entries'))) {
      if (ignore.some((pattern) => fnmatch(name, pattern))) continue;
      const entryInfo = await stat(path.join(dir, name)).catch(() => undefined);
      // Entries that cannot be read (a dangling link) are skipped, as FlowLLM does.
      if (entryInfo) entries.push({ name, isDirectory: entryInfo.isDirectory() });
    }
    if (entries.length === 0) return `Directory ${dir} is empty.`;
    entries.sort((a, b) => Number(b.isDirectory) - Number(a.isDirectory) || compare(a.name, b.name));
    const shown = entries
      .slice(0, max)
      .map((entry) => (entry.isDirectory ? `[DIR] ${entry.name}` : entry.name));
    const more =
      entries.length > max ? `\n[${entries.length - max} more entries not listed: max_files is ${max}]` : '';
    return `Directory listing for ${dir}:\n${shown.join('\n')}${more}`;
  }
}

// At most `limit` names, so a huge directory costs bounded work.
async function entryNames(dir: string, limit: number): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of await opendir(dir)) {
    names.push(entry.name);
    if (names.length >= limit) break;
  }
  return names;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
