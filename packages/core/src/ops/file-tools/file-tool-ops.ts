import type { OpClass } from '../../op/base-op.js';
import { EditOp } from './edit-op.js';
import { ExitPlanModeOp } from './exit-plan-mode-op.js';
import { GlobOp } from './glob-op.js';
import { GrepOp } from './grep-op.js';
import { LSOp } from './ls-op.js';
import { ReadFileOp } from './read-file-op.js';
import { ReadManyFilesOp } from './read-many-files-op.js';
import { RipGrepOp } from './rip-grep-op.js';
import { ShellOp } from './shell-op.js';
import { SmartEditOp } from './smart-edit-op.js';
import { TaskOp } from './task-op.js';
import { WriteFileOp } from './write-file-op.js';
import { WriteTodosOp } from './write-todos-op.js';

/**
 * FlowLLM's `file_tool` extension ops, under FlowLLM's class names: the read-only ones work inside
 * `root_dir`; `WriteFileOp`, `EditOp`, `SmartEditOp` need `allow_write=True` and `ShellOp`
 * `allow_shell=True`.
 *
 * @example
 * FILE_TOOL_OPS.map((op) => op.name); // ['LSOp', 'GlobOp', …]
 */
export const FILE_TOOL_OPS: readonly OpClass[] = [
  LSOp,
  GlobOp,
  GrepOp,
  RipGrepOp,
  ReadFileOp,
  ReadManyFilesOp,
  WriteFileOp,
  EditOp,
  SmartEditOp,
  ShellOp,
  WriteTodosOp,
  ExitPlanModeOp,
  TaskOp,
];
