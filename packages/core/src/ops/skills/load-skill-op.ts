import path from 'node:path';
import { readTextFile } from '../file-tools/read-text.js';
import { SkillToolOp } from './skill-tool-op.js';

/**
 * FlowLLM's `LoadSkillOp` (tool `load_skill`): the SKILL.md of a skill named in the context's
 * `skill_metadata_dict` (which `SkillAgentOp` passes to its tool calls), or `❌ Skill 'x' not found`.
 * Confined as every skill tool (see `SkillToolOp`).
 *
 * @example
 * // flow_content: SkillAgentOp() << [LoadSkillOp(), ReadReferenceFileOp(), RunShellCommandOp()]
 */
export class LoadSkillOp extends SkillToolOp {
  describeTool() {
    return {
      name: 'load_skill',
      description: "Loads a skill's instructions (its SKILL.md).",
      input_schema: {
        skill_name: { type: 'string' as const, description: 'the skill to load', required: true },
      },
    };
  }

  protected failurePrefix(): string {
    return `Failed to load skill '${this.text('skill_name')}'`;
  }

  protected async work(): Promise<string> {
    const name = this.text('skill_name');
    const dir = await this.skillDir(name);
    if (!dir) return this.notFound(name);
    const file = await this.confine(path.join(dir, 'SKILL.md'), 'skill_name');
    try {
      return await readTextFile(file, this.option<number>('max_file_bytes'), 'load_skill');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return this.notFound(name);
      throw error;
    }
  }
}
