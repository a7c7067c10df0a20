import { stat } from 'node:fs/promises';
import { FileToolOp } from './file-tool-op.js';
import { isGitIgnored, matchesGlob } from './fnmatch.js';
import { compareText, exactFile, searchDir, stringList, walkNote } from './search-dir.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * FlowLLM's `GlobOp` (tool `FindFiles`): files under a directory whose relative path matches a glob
 * (FlowLLM's matching: `*` crosses `/`; `prefix/**suffix`), recent files first (newest first, within
 * `recency_threshold_days`), then the rest by path. `gitignore_patterns=[…]` leaves files out.
 * Confined to `root_dir`; at most `max_files` paths are listed.
 *
 * @example
 * // flow_content: ReactAgentOp() << [GlobOp(gitignore_patterns=["node_modules/"]), ReadFileOp()]
 */
export class GlobOp extends FileToolOp {
  static override options = { gitignore_patterns: null, recency_threshold_days: 1 };
  static override prompts = {
    tool_desc:
      'Finds files whose path matches a glob pattern (e.g. `src/**/*.ts`, `**/*.md`) and returns their absolute paths, most recently changed first. Use it to locate files by name or folder structure.',
    pattern: "The glob pattern, e.g. '**/*.py' or 'docs/*.md'.",
    dir_path: 'Optional: the directory to search in; by default the whole allowed directory.',
    case_sensitive: 'Optional: match upper and lower case exactly (default false).',
  };

  describeTool() {
    return {
      name: 'FindFiles',
      description: `${this.prompt('tool_desc')}\n${this.rootNote()}`,
      input_schema: {
        pattern: this.stringField('pattern'),
        dir_path: this.stringField('dir_path', false),
        case_sensitive: {
          type: 'boolean' as const,
          description: this.prompt('case_sensitive'),
          required: false,
        },
      },
    };
  }

  protected failurePrefix(): string {
    return `Failed to search files matching pattern "${this.text('pattern')}"`;
  }

  protected async work(): Promise<string> {
    const pattern = this.text('pattern');
    if (!pattern) return "The 'pattern' parameter cannot be empty.";
    const dirGiven = this.text('dir_path') !== '';
    const dir = await searchDir(this.root, this.input.dir_path, (p) => this.confine(p, 'dir_path'));
    const ignorePatterns = stringList(this.option('gitignore_patterns'));
    const caseSensitive = this.input.case_sensitive === true;
    const within = dirGiven ? ` within ${dir}` : '';

    let candidates = await exactFile(dir, pattern, (p) => this.confine(p, 'pattern'));
    let truncated = false;
    if (!candidates) {
      const walked = await this.walk(dir, (relative) => matchesGlob(relative, pattern, caseSensitive));
      candidates = walked.files.map((file) => ({ path: file.path, relative: file.relative }));
      truncated = walked.truncated;
    }
    const kept = candidates.filter((file) => !isGitIgnored(file.relative, ignorePatterns));
    const ignored = candidates.length - kept.length;
    if (kept.length === 0) {
      const note = ignored > 0 ? ` (${ignored} files were ignored)` : '';
      return `No files found matching pattern "${pattern}"${within}${note}${walkNote(truncated)}`;
    }
    const sorted = await this.byRecency(kept.map((file) => file.path));
    const max = this.option<number>('max_files');
    const header =
      `Found ${sorted.length} file(s) matching "${pattern}"${within}` +
      `${ignored > 0 ? ` (${ignored} additional files were ignored)` : ''}` +
      ', sorted by modification time (newest first):\n';
    const more =
      sorted.length > max ? `\n[${sorted.length - max} more files not listed: max_files is ${max}]` : '';
    return `${header}${sorted.slice(0, max).join('\n')}${more}${walkNote(truncated)}`;
  }

  // FlowLLM's order: files changed within the threshold newest first, then the others by path.
  private async byRecency(paths: string[]): Promise<string[]> {
    const now = Date.now();
    const threshold = Number(this.option('recency_threshold_days')) * DAY_MS;
    const keyed = await Promise.all(
      paths.map(async (file) => ({ file, mtime: (await stat(file).catch(() => undefined))?.mtimeMs ?? 0 })),
    );
    const recent = keyed.filter((entry) => now - entry.mtime < threshold).sort((a, b) => b.mtime - a.mtime);
    const old = keyed
      .filter((entry) => now - entry.mtime >= threshold)
      .sort((a, b) => compareText(a.file, b.file));
    return [...recent, ...old].map((entry) => entry.file);
  }
}
