import { ToolFailure } from '../file-tools/confined-tool-op.js';
import { confinePath } from '../file-tools/sandbox-root.js';
import { SkillCatalog } from './skill-catalog.js';
import { SkillToolOp } from './skill-tool-op.js';

/**
 * FlowLLM's `LoadSkillMetadataOp` (tool `load_skill_metadata`): scans the context's `skill_dir`
 * (or the op's `skill_dir` option) for SKILL.md files and answers
 * `{name: {description, skill_dir}}` (as JSON text to a model). The folder must lie inside the
 * op's `skill_dir` option (default: the working directory).
 *
 * @example
 * // flow_content: LoadSkillMetadataOp(skill_dir="./skills")
 */
export class LoadSkillMetadataOp extends SkillToolOp {
  describeTool() {
    return {
      name: 'load_skill_metadata',
      description: 'Lists every available skill — its name and description — from the skills folder.',
      input_schema: {},
    };
  }

  protected failurePrefix(): string {
    return 'Failed to load skill metadata';
  }

  protected async work(): Promise<unknown> {
    const requested = this.context.get('skill_dir');
    const dir =
      typeof requested === 'string' && requested.trim() !== ''
        ? await confinePath(this.root, requested, 'skill_dir')
        : this.root;
    const catalog = await SkillCatalog.scan(this.root, dir, this.signal);
    if (Object.keys(catalog.skills).length === 0)
      throw new ToolFailure(`No SKILL.md files found in skills directory ${dir}`);
    return catalog.skills;
  }
}
