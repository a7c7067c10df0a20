import { ConfinedToolOp } from '../file-tools/confined-tool-op.js';
import { confinePath, resolveSandboxRoot } from '../file-tools/sandbox-root.js';
import { SKILL_CATALOG_KEY, SkillCatalog, type SkillMetadata } from './skill-catalog.js';

/**
 * The base of FlowLLM's skill tools (`load_skill`, `read_reference_file`, `run_shell_command`): a
 * skill's folder comes from `skill_metadata_dict` in the context, as FlowLLM's, and must lie inside
 * the root — the `SkillAgentOp`'s skills folder when the agent calls the tool, otherwise the op
 * option `skill_dir` (default: the app's working directory), so a request that brings its own
 * `skill_metadata_dict` cannot point a skill tool elsewhere.
 *
 * @example
 * // flow_content: SkillAgentOp(skill_dir="./skills") << [LoadSkillOp(), ReadReferenceFileOp()]
 */
export abstract class SkillToolOp extends ConfinedToolOp {
  static override options: Record<string, unknown> = { skill_dir: null };

  protected resolveRoot(): Promise<string> {
    const catalog = this.context.get(SKILL_CATALOG_KEY);
    if (catalog instanceof SkillCatalog) return Promise.resolve(catalog.root);
    return resolveSandboxRoot(this.option('skill_dir'), 'skill_dir');
  }

  /** The real path of skill `name`'s folder inside the root, or undefined for an unknown skill. */
  protected async skillDir(name: string): Promise<string | undefined> {
    const catalog = this.context.get(SKILL_CATALOG_KEY);
    const skills: Record<string, SkillMetadata | undefined> =
      catalog instanceof SkillCatalog ? catalog.skills : (this.context.get('skill_metadata_dict') ?? {});
    const entry = Object.hasOwn(skills, name) ? skills[name] : undefined;
    if (typeof entry?.skill_dir !== 'string') return undefined;
    return confinePath(this.root, entry.skill_dir, 'skill_dir');
  }

  /** FlowLLM's answer for an unknown skill. */
  protected notFound(name: string): string {
    return `❌ Skill '${name}' not found`;
  }
}
