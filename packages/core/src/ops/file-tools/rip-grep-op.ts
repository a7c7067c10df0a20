import { stat } from 'node:fs/promises';
import path from 'node:path';
import { ToolFailure } from './confined-tool-op.js';
import { expandBraces, fnmatch } from './fnmatch.js';
import { RegexSearchOp } from './regex-search-op.js';
import type { WalkResult } from './walk-files.js';

/**
 * FlowLLM's `RipGrepOp` (tool `RipGrep`), in JavaScript — no `rg` binary: the matching lines of a
 * file or of the files under a directory as ripgrep prints them (`path:line:text`), case-insensitive,
 * with `limit` cutting the listing (`[N lines truncated] ...`). As ripgrep, hidden files and
 * directories are skipped and a `glob` without `/` matches file names at any depth; unlike it,
 * `.gitignore` files are not read. Confined to `root_dir` and bounded (see `RegexSearchOp`).
 *
 * @example
 * // flow_content: ReactAgentOp() << [RipGrepOp(), ReadFileOp()]
 */
export class RipGrepOp extends RegexSearchOp {
  static override prompts = {
    tool_desc:
      'Searches file contents for a regular expression (case-insensitive) in the style of ripgrep, e.g. "log.*Error" or "function\\s+\\w+", optionally only in files matching a glob and up to a number of lines. Answers `path:line:text` lines; hidden files are skipped.',
    path: 'Optional: the file or directory to search; by default the whole allowed directory.',
    glob: 'Optional: only search files matching this glob, e.g. "*.js" or "*.{{ts,tsx}}".',
  };

  protected readonly toolName = 'RipGrep';

  protected async work(): Promise<string> {
    const pattern = this.pattern();
    const requested = this.text('path');
    const target = requested ? await this.confine(requested, 'path') : this.root;
    const info = await stat(target).catch(() => undefined);
    if (!info) throw new ToolFailure(`Search path does not exist: ${target}`);
    const { files, truncated } = info.isDirectory()
      ? await this.filesUnder(target)
      : { files: [{ path: target, relative: path.basename(target) }], truncated: false };
    // Searched to max_matches, so the header counts every match as rg's would (up to that bound).
    const outcome = await this.search(files, pattern, 0);
    const notes = this.omissions(outcome, truncated);
    if (outcome.matches.length === 0)
      return `No matches found for pattern "${pattern}" ${this.where()}.${notes}`;
    const all = outcome.matches.map((match) => `${match.path}:${match.line}:${match.text}`);
    const total = all.length;
    const limit = this.limit();
    const shown = limit > 0 ? all.slice(0, limit) : all;
    let result = `Found ${total} ${total === 1 ? 'match' : 'matches'} for pattern "${pattern}" ${this.where()}:\n---\n${shown.join('\n')}`;
    const omitted = total - shown.length;
    if (omitted > 0) result += `\n---\n[${omitted} ${omitted === 1 ? 'line' : 'lines'} truncated] ...`;
    return `${result}${notes}`;
  }

  private filesUnder(dir: string): Promise<WalkResult> {
    const globs = expandBraces(this.text('glob').replaceAll('\\', '/')).filter(Boolean);
    return this.walk(
      dir,
      (relative) =>
        !isHidden(relative) && (globs.length === 0 || globs.some((glob) => ripGlob(relative, glob))),
    );
  }
}

function isHidden(relative: string): boolean {
  return relative.split('/').some((part) => part.startsWith('.'));
}

// ripgrep's --glob: without a `/` the glob matches the file name, with one the relative path.
function ripGlob(relative: string, glob: string): boolean {
  return glob.includes('/')
    ? fnmatch(relative, glob.replace(/^\//, ''))
    : fnmatch(path.posix.basename(relative), glob);
}
