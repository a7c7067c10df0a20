import path from 'node:path';
import { ConfinedToolOp } from './confined-tool-op.js';
import { resolveSandboxRoot } from './sandbox-root.js';

/**
 * The base of FlowLLM's file tools (`flowllm/extensions/file_tool`): a {@link ConfinedToolOp} whose
 * root is the op option `root_dir` — by default the app's working directory, which is safe for the
 * read-only tools; the tools that write or run commands are off until `allow_write` / `allow_shell`.
 *
 * @example
 * // flow_content: ReactAgentOp() << [LSOp(root_dir="./docs"), ReadFileOp(root_dir="./docs")]
 */
export abstract class FileToolOp extends ConfinedToolOp {
  static override options: Record<string, unknown> = { root_dir: null };

  protected resolveRoot(): Promise<string> {
    return resolveSandboxRoot(this.option('root_dir'), 'root_dir');
  }

  /** A sentence for tool descriptions telling the model where paths may point. */
  protected rootNote(): string {
    const configured = this.option<string | null>('root_dir');
    const root = path.resolve(
      typeof configured === 'string' && configured !== '' ? configured : process.cwd(),
    );
    return `Only paths inside ${root} can be used; a relative path starts there.`;
  }
}
