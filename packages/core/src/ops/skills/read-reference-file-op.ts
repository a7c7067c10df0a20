import { readTextFile } from '../file-tools/read-text.js';
import { confinePath } from '../file-tools/sandbox-root.js';
import { SkillToolOp } from './skill-tool-op.js';

/**
 * FlowLLM's `ReadReferenceFileOp` (tool `read_reference_file`): a file of a skill's folder (e.g.
 * `forms.md`, `docs/reference.md`), or `File 'x' not found in skill 'y'`. The file must lie inside
 * that skill's own folder: `../other-skill/x` and symlinks out are refused.
 *
 * @example
 * // flow_content: SkillAgentOp() << [LoadSkillOp(), ReadReferenceFileOp()]
 */
export class ReadReferenceFileOp extends SkillToolOp {
  describeTool() {
    return {
      name: 'read_reference_file',
      description:
        "Reads a reference file that a skill's instructions mention, e.g. forms.md or reference.md.",
      input_schema: {
        skill_name: { type: 'string' as const, description: 'the skill the file belongs to', required: true },
        file_name: {
          type: 'string' as const,
          description: "the file's name or path inside the skill's folder",
          required: true,
        },
      },
    };
  }

  protected failurePrefix(): string {
    return `Failed to read file '${this.text('file_name')}' of skill '${this.text('skill_name')}'`;
  }

  protected async work(): Promise<string> {
    const name = this.text('skill_name');
    const fileName = String(this.input.file_name ?? '');
    const dir = await this.skillDir(name);
    if (!dir) return this.notFound(name);
    const file = await confinePath(dir, fileName, 'file_name');
    try {
      return await readTextFile(file, this.option<number>('max_file_bytes'), 'read_reference_file');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'EISDIR') return `File '${fileName}' not found in skill '${name}'`;
      throw error;
    }
  }
}
