import path from 'node:path';
import { readTextFile } from '../file-tools/read-text.js';
import { walkFiles } from '../file-tools/walk-files.js';

/**
 * One skill as FlowLLM's `skill_metadata_dict` holds it: the description from its SKILL.md and the
 * folder the SKILL.md is in.
 *
 * @example
 * const pdf: SkillMetadata = { description: 'Fill in PDF forms', skill_dir: '/srv/skills/pdf' };
 */
export interface SkillMetadata {
  description: string;
  skill_dir: string;
}

/**
 * Skills found by scanning a confined folder. Only code builds one — a request body is JSON and
 * cannot — so the skill tools trust its `root` as their confinement root when an agent passes it in
 * a tool call's context (under {@link SKILL_CATALOG_KEY}).
 *
 * @example
 * const catalog = await SkillCatalog.scan('/srv/skills', '/srv/skills');
 * Object.keys(catalog.skills); // ['pdf', 'xlsx']
 */
export class SkillCatalog {
  constructor(
    /** The real path every skill folder lies in. */
    readonly root: string,
    /** By skill name. */
    readonly skills: Record<string, SkillMetadata>,
  ) {}

  /**
   * Reads the name and description of every `SKILL.md` below `dir` (a confined folder inside
   * `root`), bounded like the file tools: at most 50 000 entries visited, SKILL.md files of at most
   * 1 MiB. A SKILL.md without both fields is skipped, as FlowLLM does.
   */
  static async scan(root: string, dir: string, signal?: AbortSignal): Promise<SkillCatalog> {
    const { files } = await walkFiles(root, dir, {
      maxEntries: 50_000,
      signal,
      keep: (relative) => path.posix.basename(relative) === 'SKILL.md',
    });
    const skills: Record<string, SkillMetadata> = {};
    for (const file of files) {
      const metadata = parseSkillFrontmatter(
        await readTextFile(file.path, 1024 * 1024, 'load_skill_metadata'),
      );
      if (metadata)
        skills[metadata.name] = { description: metadata.description, skill_dir: path.dirname(file.path) };
    }
    return new SkillCatalog(root, skills);
  }
}

/**
 * The context key under which an agent passes its {@link SkillCatalog} to skill tool calls.
 *
 * @example
 * child.get(SKILL_CATALOG_KEY) instanceof SkillCatalog; // true inside SkillAgentOp's tool calls
 */
export const SKILL_CATALOG_KEY = 'skill_catalog';

/**
 * FlowLLM's SKILL.md frontmatter reading: the text between the first two `---`, its `name:` and
 * `description:` lines (quotes around the value dropped). Undefined when either is missing.
 *
 * @example
 * parseSkillFrontmatter('---\nname: pdf\ndescription: "PDF forms"\n---\nSteps…'); // { name: 'pdf', description: 'PDF forms' }
 */
export function parseSkillFrontmatter(content: string): { name: string; description: string } | undefined {
  const parts = content.split('---');
  if (parts.length < 3) return undefined;
  let name = '';
  let description = '';
  for (const raw of (parts[1] as string).trim().split('\n')) {
    const line = raw.trim();
    if (line.startsWith('name:')) name = unquote(line.slice('name:'.length));
    else if (line.startsWith('description:')) description = unquote(line.slice('description:'.length));
  }
  return name && description ? { name, description } : undefined;
}

function unquote(value: string): string {
  return value.trim().replace(/^["']+|["']+$/g, '');
}
