import { mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ToolFailure } from './confined-tool-op.js';
import { FileToolOp } from './file-tool-op.js';
import { requireCapability, sandboxRefusal } from './sandbox-root.js';

/**
 * The base of the file tools that change files (`WriteFileOp`, `EditOp`, `SmartEditOp`): off until
 * the flow enables them with `allow_write=True` — until then every call is refused with a message
 * the model reads. When on, they write only inside `root_dir`, at most `max_file_bytes` per file.
 *
 * @example
 * // flow_content: ReactAgentOp() << [ReadFileOp(root_dir="./work"), WriteFileOp(root_dir="./work", allow_write=True)]
 */
export abstract class WritingFileToolOp extends FileToolOp {
  static override options = { allow_write: false };

  /** Refuses unless `allow_write` is on; call first in `work`. */
  protected requireWrite(): void {
    requireCapability(this.constructor.name, 'allow_write', this.option('allow_write'));
  }

  /**
   * Writes `content` to `file` (a confined path): creates missing parent folders, then checks the
   * folder again (a symlink swapped in meanwhile would be refused) before writing.
   */
  protected async writeConfined(file: string, content: string): Promise<void> {
    const max = this.option<number>('max_file_bytes');
    const size = Buffer.byteLength(content, 'utf8');
    if (size > max)
      throw sandboxRefusal(`The content has ${size} bytes; at most ${max} are written (max_file_bytes).`);
    const parent = path.dirname(file);
    await mkdir(parent, { recursive: true });
    const confinedParent = await this.confine(parent, 'file_path');
    await writeFile(path.join(confinedParent, path.basename(file)), content, 'utf8');
  }

  /**
   * The start FlowLLM's `EditOp` and `SmartEditOp` share: confines `requested`; with an empty
   * `oldString` and no file there, creates it holding `newString` (`created`); otherwise fails unless
   * the file exists and `oldString` is set.
   */
  protected async openForEdit(
    requested: string,
    oldString: string,
    newString: string,
  ): Promise<{ file: string; created: boolean }> {
    const file = await this.confine(requested, 'file_path');
    const exists = await this.isExistingFile(file);
    if (!oldString && !exists) {
      await this.writeConfined(file, newString);
      return { file, created: true };
    }
    if (!exists)
      throw new ToolFailure(`File not found: ${file}. Use an empty old_string to create a new file.`);
    if (!oldString)
      throw new ToolFailure(`Failed to edit. Attempted to create a file that already exists: ${file}`);
    return { file, created: false };
  }

  /** Whether `file` exists as a regular file; a directory there is a failure. */
  protected async isExistingFile(file: string): Promise<boolean> {
    const info = await stat(file).catch(() => undefined);
    if (info?.isDirectory()) throw new ToolFailure(`Path is a directory, not a file: ${file}`);
    return info?.isFile() === true;
  }
}
