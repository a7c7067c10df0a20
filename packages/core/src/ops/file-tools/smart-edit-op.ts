import { ToolFailure } from './confined-tool-op.js';
import { exactReplacement, flexibleReplacement, regexReplacement } from './edit-replacements.js';
import { readTextFile } from './read-text.js';
import { WritingFileToolOp } from './writing-file-tool-op.js';

/**
 * FlowLLM's `SmartEditOp` (tool `SmartEdit`): replaces text in a file trying, in turn, an exact
 * match, a match that ignores indentation, and one that tolerates any whitespace between tokens; an
 * empty `old_string` creates a new file. Unlike FlowLLM's — which replaces the first of several
 * matches and reports them all — an `old_string` that matches more than one place fails, as the
 * tool's description promises. Off unless `allow_write=True`; confined to `root_dir`.
 *
 * @example
 * // flow_content: ReactAgentOp() << [ReadFileOp(), SmartEditOp(allow_write=True)]
 */
export class SmartEditOp extends WritingFileToolOp {
  static override prompts = {
    tool_desc: [
      'Replaces text in a file, matching `old_string` exactly, or ignoring indentation, or ignoring whitespace between tokens. Read the file with the ReadFile tool first.',
      '- `file_path`: the absolute path of the file to change.',
      '- `old_string`: the exact text to replace, with its whitespace and line breaks, unescaped, and about three lines of context before and after so that it matches one place only.',
      '- `new_string`: the exact text to put in its place, unescaped, leaving the code correct.',
      '- `instruction`: what the change does and why, specific enough for a reviewer.',
      'The edit fails when `old_string` matches nowhere or in more than one place. An empty `old_string` creates a new file holding `new_string`.',
    ].join('\n'),
    file_path: 'The absolute path of the file to change.',
    old_string: 'The exact text to replace (unescaped), with enough context to match one place only.',
    new_string: 'The exact text to put in place of old_string (unescaped).',
    instruction:
      'A self-contained description of the change: why it is needed, where it goes, what changes and what the result should be.',
  };

  describeTool() {
    return {
      name: 'SmartEdit',
      description: `${this.prompt('tool_desc')}\n${this.rootNote()}`,
      input_schema: {
        file_path: this.stringField('file_path'),
        old_string: this.stringField('old_string'),
        new_string: this.stringField('new_string'),
        instruction: this.stringField('instruction'),
      },
    };
  }

  protected failurePrefix(): string {
    return `Failed to edit file "${this.text('file_path')}"`;
  }

  protected async work(): Promise<string> {
    this.requireWrite();
    const requested = this.requiredText('file_path');
    this.requiredText('instruction');
    const oldString = String(this.input.old_string ?? '').replaceAll('\r\n', '\n');
    const newString = String(this.input.new_string ?? '').replaceAll('\r\n', '\n');
    const { file, created } = await this.openForEdit(requested, oldString, newString);
    if (created) return `Created new file: ${file}`;
    if (oldString === newString) {
      throw new ToolFailure(`No changes to apply. The old_string and new_string are identical in ${file}.`);
    }
    const current = await readTextFile(file, this.option<number>('max_file_bytes'), 'SmartEdit');
    const result =
      exactReplacement(current, oldString, newString) ??
      flexibleReplacement(current, oldString, newString) ??
      regexReplacement(current, oldString, newString);
    if (!result) {
      throw new ToolFailure(
        `Failed to edit, could not find the string to replace. 0 occurrences found for old_string in ${file}. Ensure you're not escaping content incorrectly and check whitespace, indentation, and context.`,
      );
    }
    const [content, matches] = result;
    if (matches > 1) {
      throw new ToolFailure(
        `Failed to edit, old_string matches ${matches} places in ${file}; add context so that it matches one only.`,
      );
    }
    await this.writeConfined(file, content);
    return `Successfully modified file: ${file} (1 replacement).`;
  }
}
