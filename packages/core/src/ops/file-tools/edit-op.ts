import { ToolFailure } from './confined-tool-op.js';
import { readTextFile } from './read-text.js';
import { WritingFileToolOp } from './writing-file-tool-op.js';

/**
 * FlowLLM's `EditOp` (tool `Edit`): replaces an exact text in a file — exactly
 * `expected_replacements` (default 1) occurrences of it, or the edit fails — or, with an empty
 * `old_string`, creates a new file. Off unless `allow_write=True`; confined to `root_dir`.
 *
 * @example
 * // flow_content: ReactAgentOp() << [ReadFileOp(), EditOp(allow_write=True)]
 */
export class EditOp extends WritingFileToolOp {
  static override prompts = {
    tool_desc: [
      'Replaces text in a file: one occurrence by default, or `expected_replacements` occurrences. Read the file with the ReadFile tool first.',
      '- `file_path`: the file to change.',
      '- `old_string`: the exact text to replace, with its whitespace, indentation and line breaks, unescaped. For a single replacement include about three lines before and after the change so that it matches only once.',
      '- `new_string`: the exact text to put in its place, unescaped, leaving the code correct.',
      'The edit fails when `old_string` does not match exactly, or matches a different number of times than expected. An empty `old_string` creates a new file holding `new_string`.',
    ].join('\n'),
    file_path: 'The file to change.',
    old_string:
      'The exact text to replace (unescaped), with enough surrounding lines to match only where intended.',
    new_string: 'The exact text to put in place of old_string (unescaped).',
    expected_replacements: 'Optional: how many occurrences to replace (default 1).',
  };

  describeTool() {
    return {
      name: 'Edit',
      description: `${this.prompt('tool_desc')}\n${this.rootNote()}`,
      input_schema: {
        file_path: this.stringField('file_path'),
        old_string: this.stringField('old_string'),
        new_string: this.stringField('new_string'),
        expected_replacements: {
          type: 'number' as const,
          description: this.prompt('expected_replacements'),
          required: false,
        },
      },
    };
  }

  protected failurePrefix(): string {
    return `Failed to edit file "${this.text('file_path')}"`;
  }

  protected async work(): Promise<string> {
    this.requireWrite();
    const requested = this.requiredText('file_path');
    const oldString = String(this.input.old_string ?? '');
    const newString = String(this.input.new_string ?? '');
    const expected = this.input.expected_replacements == null ? 1 : Number(this.input.expected_replacements);
    if (!(expected >= 1)) throw new ToolFailure("The 'expected_replacements' parameter must be at least 1.");
    const { file, created } = await this.openForEdit(requested, oldString, newString);
    if (created) return `Created new file: ${file}`;
    const current = await readTextFile(file, this.option<number>('max_file_bytes'), 'Edit');
    const occurrences = current.split(oldString).length - 1;
    if (occurrences === 0) {
      throw new ToolFailure(
        `Failed to edit, could not find the string to replace. 0 occurrences found for old_string in ${file}.`,
      );
    }
    if (occurrences !== expected) {
      throw new ToolFailure(
        `Failed to edit, expected ${expected} ${expected === 1 ? 'occurrence' : 'occurrences'} but found ${occurrences} for old_string in ${file}.`,
      );
    }
    if (oldString === newString) {
      throw new ToolFailure(`No changes to apply. The old_string and new_string are identical in ${file}.`);
    }
    await this.writeConfined(file, current.split(oldString).join(newString));
    return `Successfully modified file: ${file} (${occurrences} replacements).`;
  }
}
