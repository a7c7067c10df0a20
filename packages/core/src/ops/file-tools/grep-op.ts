import { expandBraces, fnmatch } from './fnmatch.js';
import type { GrepMatch } from './grep-search.js';
import { RegexSearchOp } from './regex-search-op.js';
import { compareText, searchDir } from './search-dir.js';

/**
 * FlowLLM's `GrepOp` (tool `Grep`): the lines matching a regular expression (case-insensitive) in
 * the files under a directory, optionally only files whose relative path matches `glob`, grouped by
 * file (`File: a.ts`, then `L3: text`). Confined to `root_dir` and bounded (see `RegexSearchOp`).
 *
 * @example
 * // flow_content: ReactAgentOp() << [GrepOp(), ReadFileOp()]
 */
export class GrepOp extends RegexSearchOp {
  static override prompts = {
    tool_desc:
      'Searches file contents for a regular expression (case-insensitive), e.g. "log.*Error" or "function\\s+\\w+", optionally only in files matching a glob and up to a number of matching lines. Answers the matching lines with their file and line number.',
    path: 'Optional: the directory to search in; by default the whole allowed directory.',
    glob: 'Optional: only search files whose path matches this glob, e.g. "*.js" or "*.{{ts,tsx}}".',
  };

  protected readonly toolName = 'Grep';

  protected async work(): Promise<string> {
    const pattern = this.pattern();
    const dir = await searchDir(this.root, this.input.path, (p) => this.confine(p, 'path'));
    const globs = expandBraces(this.text('glob').replaceAll('\\', '/').toLowerCase()).filter(Boolean);
    const walked = await this.walk(
      dir,
      (relative) => globs.length === 0 || globs.some((glob) => fnmatch(relative.toLowerCase(), glob)),
    );
    const outcome = await this.search(walked.files, pattern, this.limit());
    const notes = this.omissions(outcome, walked.truncated);
    if (outcome.matches.length === 0)
      return `No matches found for pattern "${pattern}" ${this.where()}.${notes}`;
    const byFile = new Map<string, GrepMatch[]>();
    for (const match of outcome.matches)
      byFile.set(match.relative, [...(byFile.get(match.relative) ?? []), match]);
    const count = outcome.matches.length;
    const lines = [
      `Found ${count} ${count === 1 ? 'match' : 'matches'} for pattern "${pattern}" ${this.where()}:\n---`,
    ];
    for (const file of [...byFile.keys()].sort(compareText)) {
      lines.push(`File: ${file}`);
      for (const match of byFile.get(file) ?? [])
        lines.push(`L${match.line}: ${match.text.trim()}${match.cut ? ' …' : ''}`);
      lines.push('---');
    }
    return `${lines.join('\n')}${notes}`;
  }
}
