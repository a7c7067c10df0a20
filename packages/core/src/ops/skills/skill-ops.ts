import type { OpClass } from '../../op/base-op.js';
import { LoadSkillMetadataOp } from './load-skill-metadata-op.js';
import { LoadSkillOp } from './load-skill-op.js';
import { ReadReferenceFileOp } from './read-reference-file-op.js';
import { RunShellCommandOp } from './run-shell-command-op.js';
import { SkillAgentOp } from './skill-agent-op.js';

/**
 * FlowLLM's `skills` extension ops: `SkillAgentOp` and its skill tools (`RunShellCommandOp` needs
 * `allow_shell=True`).
 *
 * @example
 * SKILL_OPS.map((op) => op.name); // ['LoadSkillMetadataOp', 'LoadSkillOp', …]
 */
export const SKILL_OPS: readonly OpClass[] = [
  LoadSkillMetadataOp,
  LoadSkillOp,
  ReadReferenceFileOp,
  RunShellCommandOp,
  SkillAgentOp,
];
