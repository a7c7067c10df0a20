import { FileToolOp } from './file-tool-op.js';
import { compilePattern, type GrepOutcome, grepFiles } from './grep-search.js';
import type { WalkedFile } from './walk-files.js';

/**
 * The base of `GrepOp` and `RipGrepOp`: a case-insensitive regex search (JavaScript syntax, close
 * to Python's `re`) run on a worker thread with bounds.
 *
 * Options beside the file tools' own: `max_matches` (1000 matching lines), `max_line_length` (2000:
 * longer lines are searched and shown cut), `max_pattern_length` (1000), `max_grep_bytes` (100 MiB
 * read in all), `grep_timeout_seconds` (10: a slower search — a catastrophic pattern — is stopped
 * and refused).
 *
 * @example
 * // flow_content: ReactAgentOp() << GrepOp(grep_timeout_seconds=5)
 */
export abstract class RegexSearchOp extends FileToolOp {
  static override options = {
    max_matches: 1000,
    max_line_length: 2000,
    max_pattern_length: 1000,
    max_grep_bytes: 100 * 1024 * 1024,
    grep_timeout_seconds: 10,
  };
  // Each subclass adds `tool_desc`, `path` and `glob`, which word its own matching rules.
  static override prompts: Record<string, string> = {
    pattern: 'The regular expression to look for in file contents.',
    limit: 'Optional: the most matching lines to return; all by default.',
  };

  /** The tool's name as FlowLLM gives it (`Grep`, `RipGrep`). */
  protected abstract readonly toolName: string;

  describeTool() {
    return {
      name: this.toolName,
      description: `${this.prompt('tool_desc')}\n${this.rootNote()}`,
      input_schema: {
        pattern: this.stringField('pattern'),
        path: this.stringField('path', false),
        glob: this.stringField('glob', false),
        limit: { type: 'number' as const, description: this.prompt('limit'), required: false },
      },
    };
  }

  /** The `pattern` input, refused when empty. */
  protected pattern(): string {
    const pattern = this.requiredText('pattern');
    return pattern;
  }

  protected failurePrefix(): string {
    return `Failed to search for pattern "${this.text('pattern')}"`;
  }

  /** Searches `files` for `pattern`, stopping after `limit` matches when it is positive. */
  protected async search(files: WalkedFile[], pattern: string, limit: number): Promise<GrepOutcome> {
    const regex = compilePattern(pattern, 'i', this.option<number>('max_pattern_length'));
    const maxMatches = this.option<number>('max_matches');
    return grepFiles(
      {
        files,
        source: regex.source,
        flags: regex.flags,
        maxLineLength: this.option<number>('max_line_length'),
        maxMatches: limit > 0 ? Math.min(limit, maxMatches) : maxMatches,
        maxFileBytes: this.option<number>('max_file_bytes'),
        maxTotalBytes: this.option<number>('max_grep_bytes'),
      },
      { timeoutMs: this.option<number>('grep_timeout_seconds') * 1000, signal: this.signal },
    );
  }

  /** The `limit` input as a positive whole number, or 0 for none. */
  protected limit(): number {
    const limit = Math.floor(Number(this.input.limit ?? 0));
    return Number.isFinite(limit) && limit > 0 ? limit : 0;
  }

  /** FlowLLM's ` in path "…"` / ` (filter: "…")` wording. */
  protected where(): string {
    const path = this.text('path');
    const glob = this.text('glob');
    return `${path ? `in path "${path}"` : 'in the workspace directory'}${glob ? ` (filter: "${glob}")` : ''}`;
  }

  /** Notes on what a search left out, one line each (empty when nothing). */
  protected omissions(outcome: GrepOutcome, walkTruncated: boolean): string {
    const notes: string[] = [];
    if (outcome.stoppedAtMatches && this.limit() === 0) {
      notes.push(
        `[the search stopped at ${this.option<number>('max_matches')} matching lines (max_matches)]`,
      );
    }
    if (outcome.stoppedAtBytes) notes.push('[the search stopped early: it read max_grep_bytes bytes]');
    if (walkTruncated) notes.push('[the search stopped early: more files than max_walk_entries]');
    if (outcome.skippedLarge > 0)
      notes.push(`[${outcome.skippedLarge} files larger than max_file_bytes skipped]`);
    if (outcome.skippedBinary > 0) notes.push(`[${outcome.skippedBinary} binary files skipped]`);
    return notes.length > 0 ? `\n${notes.join('\n')}` : '';
  }
}
