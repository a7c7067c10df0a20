import type { BaseOp } from '../../op/base-op.js';
import { runShell, type ShellResult, shellEnv, startInBackground } from './run-shell.js';
import { requireCapability } from './sandbox-root.js';
import { stringList } from './search-dir.js';

/**
 * The options of every op that runs shell commands (`ShellOp`, `RunShellCommandOp`): `allow_shell`
 * (false: every call is refused with a message the model reads), `timeout_seconds` (60: then the
 * command's whole process group is killed), `max_output_bytes` (100 000 kept per stream),
 * `pass_env` (names of environment variables passed on beside the basic ones; see `SHELL_ENV_NAMES`).
 *
 * @example
 * class MyShellOp extends BaseToolOp { static override options = { ...SHELL_OPTIONS }; … }
 */
export const SHELL_OPTIONS = {
  allow_shell: false,
  timeout_seconds: 60,
  max_output_bytes: 100_000,
  pass_env: null,
};

/**
 * Runs `command` in `cwd` for `op` with its shell options: refused unless `allow_shell`, killed on
 * timeout or when the op's signal aborts. Note that `cwd` is only where the command starts: a shell
 * can reach anything the server's user can, so `allow_shell=True` trusts the model with that.
 *
 * @example
 * const result = await runShellFor(this, 'ls -la', this.root);
 */
export function runShellFor(op: BaseOp, command: string, cwd: string): Promise<ShellResult> {
  requireShell(op);
  return runShell({
    command,
    cwd,
    timeoutMs: op.option<number>('timeout_seconds') * 1000,
    maxOutputBytes: op.option<number>('max_output_bytes'),
    signal: op.signal,
    env: shellEnv(process.env, stringList(op.option('pass_env'))),
  });
}

/**
 * Starts `command` in the background for `op` (refused unless `allow_shell`); it is killed after
 * `timeout_seconds`, when the flow is aborted, or when the server exits. Answers the pid.
 *
 * @example
 * const pid = startShellFor(this, 'npm run dev', this.root);
 */
export function startShellFor(op: BaseOp, command: string, cwd: string): number | undefined {
  requireShell(op);
  return startInBackground({
    command,
    cwd,
    signal: op.signal,
    timeoutMs: op.option<number>('timeout_seconds') * 1000,
    env: shellEnv(process.env, stringList(op.option('pass_env'))),
  });
}

/**
 * Refuses unless the op's `allow_shell` option is on.
 *
 * @example
 * requireShell(this); // throws "ShellOp is off: set allow_shell=True …"
 */
export function requireShell(op: BaseOp): void {
  requireCapability(op.constructor.name, 'allow_shell', op.option('allow_shell'));
}

/**
 * Notes to add to a command's output: cut output, a timeout.
 *
 * @example
 * shellNotes({ timedOut: true, truncated: false }, 60); // '\n[killed after 60 s (timeout_seconds)]'
 */
export function shellNotes(
  result: Pick<ShellResult, 'timedOut' | 'truncated'>,
  timeoutSeconds: number,
): string {
  let notes = '';
  if (result.truncated) notes += '\n[output cut at max_output_bytes]';
  if (result.timedOut) notes += `\n[killed after ${timeoutSeconds} s (timeout_seconds)]`;
  return notes;
}
