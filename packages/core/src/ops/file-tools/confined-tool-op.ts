import { errorMessage, FlowllmError } from '../../errors.js';
import { BaseToolOp } from '../../op/base-tool-op.js';
import { confinePath } from './sandbox-root.js';
import { type WalkResult, walkFiles } from './walk-files.js';

/**
 * The base of the file-tool and skill ops: every path is confined to a root directory (each
 * subclass says which, in `resolveRoot`), work is bounded, and a failure that is not a refusal
 * becomes FlowLLM's text (`Failed to …: reason`) as the tool's result, as FlowLLM's
 * `async_default_execute` does. Refusals (a path outside the root, a capability that is off, a bound
 * hit) are exposed errors: an agent sends their message back to the model.
 *
 * Options: `max_file_bytes` (10 MiB: larger files are not read), `max_files` (1000: entries listed,
 * files matched or read), `max_walk_entries` (50 000: directory entries one recursive search
 * visits), `max_output_chars` (100 000: longer results are cut, with a note).
 *
 * @example
 * class CountLinesOp extends ConfinedToolOp {
 *   describeTool() { return { description: 'Counts lines.', input_schema: { path: { type: 'string' as const } } }; }
 *   protected resolveRoot() { return resolveSandboxRoot('/srv/data'); }
 *   protected failurePrefix() { return 'Failed to count lines'; }
 *   protected async work() {
 *     return String((await readFile(await this.confine(this.input.path, 'path'), 'utf8')).split('\n').length);
 *   }
 * }
 */
export abstract class ConfinedToolOp extends BaseToolOp {
  static override options: Record<string, unknown> = {
    max_file_bytes: 10 * 1024 * 1024,
    max_files: 1000,
    max_walk_entries: 50_000,
    max_output_chars: 100_000,
  };

  /** The real path of the root for this run (set before `work`). */
  protected root = '';

  /** The real path of the directory this run is confined to (see `resolveSandboxRoot`). */
  protected abstract resolveRoot(): Promise<string>;

  /**
   * Does the op's work and returns its result: text (cut at `max_output_chars`) or a JSON value;
   * throw a refusal, or any other error for FlowLLM's failure text.
   */
  protected abstract work(): Promise<unknown>;

  /** FlowLLM's failure text before the reason, e.g. `Failed to read file "a.txt"`. */
  protected abstract failurePrefix(): string;

  async execute(): Promise<void> {
    this.root = await this.resolveRoot();
    let result: unknown;
    try {
      result = await this.work();
    } catch (error) {
      if (this.signal.aborted || FlowllmError.isInstance(error)) throw error;
      result = `${this.failurePrefix()}: ${errorMessage(error)}`;
    }
    this.setOutput(
      typeof result === 'string' ? capText(result, this.option<number>('max_output_chars')) : result,
    );
  }

  /** `requested` as a real path inside the root, or a refusal (see `confinePath`). */
  protected confine(requested: unknown, field: string): Promise<string> {
    return confinePath(this.root, requested, field);
  }

  /** The files under `dir` (a confined path) that `keep` accepts, visiting at most `max_walk_entries`. */
  protected walk(dir: string, keep: (relative: string) => boolean): Promise<WalkResult> {
    return walkFiles(this.root, dir, {
      maxEntries: this.option<number>('max_walk_entries'),
      signal: this.signal,
      keep,
    });
  }

  /** The text input `name`, trimmed ('' when missing). */
  protected text(name: string): string {
    const value = this.input[name];
    return typeof value === 'string' ? value.trim() : '';
  }

  /** The text input `name`, trimmed; a missing or empty one fails with FlowLLM's message. */
  protected requiredText(name: string): string {
    const value = this.text(name);
    if (!value) throw new ToolFailure(`The '${name}' parameter cannot be empty.`);
    return value;
  }

  /** A string field of `describeTool()`'s input schema, described by the prompt of the same name. */
  protected stringField(name: string, required = true) {
    return { type: 'string' as const, description: this.prompt(name), required };
  }
}

/**
 * `text` cut to `max` characters, with a note saying so.
 *
 * @example
 * capText('abcdef', 3); // 'abc\n[output truncated at 3 characters]'
 */
export function capText(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}\n[output truncated at ${max} characters]`;
}

/**
 * An ordinary failure (a missing file, a bad argument): not a refusal, so it becomes the tool's
 * failure text.
 *
 * @example
 * throw new ToolFailure('Directory not found: /srv/project/nope');
 */
export class ToolFailure extends Error {}
