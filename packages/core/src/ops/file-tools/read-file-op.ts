import { stat } from 'node:fs/promises';
import { ToolFailure } from './confined-tool-op.js';
import { FileToolOp } from './file-tool-op.js';
import { readTextFile } from './read-text.js';

/**
 * FlowLLM's `ReadFileOp` (tool `ReadFile`): a file's text, or the lines `offset` (0-based) to
 * `offset + limit` with a `Showing lines a-b of n total lines.` header when more follow. Confined to
 * `root_dir`; files over `max_file_bytes` are refused, longer results cut at `max_output_chars`.
 *
 * @example
 * // flow_content: ReactAgentOp() << [GlobOp(), ReadFileOp(max_file_bytes=1000000)]
 */
export class ReadFileOp extends FileToolOp {
  static override prompts = {
    tool_desc:
      "Returns the text of a file. For long files, read a range of lines with 'offset' and 'limit' and page through it.",
    absolute_path: "The file's absolute path, e.g. '/home/user/project/file.txt'.",
    offset: 'Optional: the 0-based line to start reading at; use it with limit to page through a long file.',
    limit: 'Optional: how many lines to read; with offset alone, reading goes on to the end of the file.',
  };

  describeTool() {
    return {
      name: 'ReadFile',
      description: `${this.prompt('tool_desc')}\n${this.rootNote()}`,
      input_schema: {
        absolute_path: this.stringField('absolute_path'),
        offset: { type: 'number' as const, description: this.prompt('offset'), required: false },
        limit: { type: 'number' as const, description: this.prompt('limit'), required: false },
      },
    };
  }

  protected failurePrefix(): string {
    return `Failed to read file "${this.text('absolute_path')}"`;
  }

  protected async work(): Promise<string> {
    const requested = this.requiredText('absolute_path');
    const file = await this.confine(requested, 'absolute_path');
    const info = await stat(file).catch(() => undefined);
    if (!info) throw new ToolFailure(`File not found: ${file}`);
    if (!info.isFile()) throw new ToolFailure(`Path is not a file: ${file}`);
    const content = await readTextFile(file, this.option<number>('max_file_bytes'), 'ReadFile');
    const { offset, limit } = this.input;
    if (offset == null && limit == null) return content;
    const lines = content.split('\n');
    const start = offset == null ? 0 : Math.floor(Number(offset));
    const count = limit == null ? lines.length : Math.floor(Number(limit));
    if (!(start >= 0)) throw new ToolFailure('Offset must be a non-negative number');
    if (!(count > 0)) throw new ToolFailure('Limit must be a positive number');
    if (start >= lines.length)
      throw new ToolFailure(`Offset ${start} is beyond file length (${lines.length} lines)`);
    const end = Math.min(start + count, lines.length);
    const selected = lines.slice(start, end).join('\n');
    return end < lines.length
      ? `Showing lines ${start}-${end - 1} of ${lines.length} total lines.\n\n---\n\n${selected}`
      : selected;
  }
}
