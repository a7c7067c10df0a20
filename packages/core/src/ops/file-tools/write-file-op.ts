import { WritingFileToolOp } from './writing-file-tool-op.js';

/**
 * FlowLLM's `WriteFileOp` (tool `WriteFile`): writes a file, creating it and its folders as needed
 * or replacing it. Off unless `allow_write=True`; confined to `root_dir`.
 *
 * @example
 * // flow_content: ReactAgentOp() << WriteFileOp(root_dir="./out", allow_write=True)
 */
export class WriteFileOp extends WritingFileToolOp {
  static override prompts = {
    tool_desc:
      'Writes text to a file, replacing what it held. A missing file is created, and so are missing parent folders.',
    file_path: "The file's absolute path, e.g. '/home/user/project/file.txt'.",
    content: 'The text to write.',
  };

  describeTool() {
    return {
      name: 'WriteFile',
      description: `${this.prompt('tool_desc')}\n${this.rootNote()}`,
      input_schema: {
        file_path: this.stringField('file_path'),
        content: this.stringField('content'),
      },
    };
  }

  protected failurePrefix(): string {
    return `Failed to write file "${this.text('file_path')}"`;
  }

  protected async work(): Promise<string> {
    this.requireWrite();
    const requested = this.requiredText('file_path');
    const file = await this.confine(requested, 'file_path');
    const existed = await this.isExistingFile(file);
    await this.writeConfined(file, typeof this.input.content === 'string' ? this.input.content : '');
    return existed
      ? `Successfully overwrote file: ${file}`
      : `Successfully created and wrote to new file: ${file}`;
  }
}
