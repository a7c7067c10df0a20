import { stat } from 'node:fs/promises';
import path from 'node:path';
import { errorMessage } from '../../errors.js';
import { ToolFailure } from './confined-tool-op.js';
import { FileToolOp } from './file-tool-op.js';
import { matchesGlob } from './fnmatch.js';
import { readTextFile } from './read-text.js';
import { compareText, exactFile, searchDir, stringList, walkNote } from './search-dir.js';

/**
 * FlowLLM's `ReadManyFilesOp` (tool `ReadManyFiles`): the text of every file matching `paths` and
 * `include` (globs or plain paths; a directory stands for everything in it — FlowLLM matches nothing
 * there) and none of `exclude`, in path order, each after a `--- <path> ---` line, then
 * `--- End of content ---`, and a list of files that could not be read. Confined to `root_dir`; at
 * most `max_files` files are read, and larger ones than `max_file_bytes` are skipped.
 *
 * @example
 * // flow_content: ReactAgentOp() << ReadManyFilesOp(max_files=50)
 */
export class ReadManyFilesOp extends FileToolOp {
  static override prompts = {
    tool_desc:
      'Reads several files at once — given as paths or glob patterns — and returns their texts one after the other, each introduced by a "--- <file path> ---" line. Handy for a whole folder, every file of a kind, or a set of config files.',
    paths:
      "Required: glob patterns or paths to read, relative to the search directory, e.g. ['src/**/*.ts'], ['README.md', 'docs/'].",
    include: "Optional: more glob patterns to read, added to 'paths', e.g. ['*.test.ts'].",
    exclude: "Optional: glob patterns of files to leave out, e.g. ['**/*.log', 'temp/'].",
    dir_path: 'Optional: the directory the patterns start from; by default the whole allowed directory.',
  };

  describeTool() {
    const list = (name: string, required: boolean) => ({
      type: 'array' as const,
      items: { type: 'string' as const },
      description: this.prompt(name),
      required,
    });
    return {
      name: 'ReadManyFiles',
      description: `${this.prompt('tool_desc')}\n${this.rootNote()}`,
      input_schema: {
        paths: list('paths', true),
        include: list('include', false),
        exclude: list('exclude', false),
        dir_path: this.stringField('dir_path', false),
      },
    };
  }

  protected failurePrefix(): string {
    return `Failed to read files matching patterns ${JSON.stringify(stringList(this.input.paths))}`;
  }

  protected async work(): Promise<string> {
    const paths = stringList(this.input.paths);
    if (paths.length === 0) throw new ToolFailure("The 'paths' parameter cannot be empty.");
    const dir = await searchDir(this.root, this.input.dir_path, (p) => this.confine(p, 'dir_path'));
    const exclude = stringList(this.input.exclude);
    const { files, truncated } = await this.matchingFiles(dir, [...paths, ...stringList(this.input.include)]);
    const kept = files.filter(
      (file) => !exclude.some((pattern) => matchesGlob(file.relative, pattern, false)),
    );
    if (kept.length === 0) return `No files found matching the specified patterns.${walkNote(truncated)}`;
    const sorted = [...new Set(kept.map((file) => file.path))].sort(compareText);
    const max = this.option<number>('max_files');
    const parts: string[] = [];
    const skipped: [string, string][] = sorted.slice(max).map((file) => [file, `over max_files (${max})`]);
    for (const file of sorted.slice(0, max)) {
      try {
        const content = await readTextFile(file, this.option<number>('max_file_bytes'), 'ReadManyFiles');
        parts.push(`--- ${file} ---\n\n${content}\n\n`);
      } catch (error) {
        skipped.push([file, errorMessage(error)]);
      }
    }
    let result =
      parts.length > 0 ? `${parts.join('')}\n--- End of content ---` : 'No files could be read successfully.';
    if (skipped.length > 0) {
      result += `\n\nSkipped ${skipped.length} file(s):\n`;
      for (const [file, reason] of skipped.slice(0, 5)) result += `- ${file} (Reason: ${reason})\n`;
      if (skipped.length > 5) result += `- ...and ${skipped.length - 5} more.\n`;
    }
    return `${result}${walkNote(truncated)}`;
  }

  // Plain paths (files, or directories meaning all below) are looked up; globs need one walk.
  private async matchingFiles(dir: string, patterns: string[]) {
    const found: { path: string; relative: string }[] = [];
    const globs: string[] = [];
    for (const pattern of patterns) {
      const exact = await exactFile(dir, pattern, (p) => this.confine(p, 'paths'));
      if (exact) found.push(...exact);
      else if (await this.isDirectory(dir, pattern)) globs.push(`${pattern.replace(/[\\/]+$/, '')}/**`);
      else globs.push(pattern);
    }
    if (globs.length === 0) return { files: found, truncated: false };
    const walked = await this.walk(dir, (relative) =>
      globs.some((glob) => matchesGlob(relative, glob, false)),
    );
    return { files: [...found, ...walked.files], truncated: walked.truncated };
  }

  private async isDirectory(dir: string, pattern: string): Promise<boolean> {
    if (/[*?[{]/.test(pattern)) return false;
    const target = await this.confine(path.resolve(dir, pattern), 'paths');
    return (await stat(target).catch(() => undefined))?.isDirectory() === true;
  }
}
