import { requireShell, runShellFor, SHELL_OPTIONS, shellNotes } from '../file-tools/shell-capability.js';
import { SkillToolOp } from './skill-tool-op.js';

// Best effort, as FlowLLM: generate a requirements.txt with pipreqs (when installed) and install it.
const INSTALL_PYTHON_DEPS =
  'command -v pipreqs >/dev/null 2>&1 && pipreqs . --force && pip install -r requirements.txt';

/**
 * FlowLLM's `RunShellCommandOp` (tool `run_shell_command`): runs a shell command in a skill's
 * folder and answers its output and error output (`stdout\nstderr`, each trimmed). Off unless
 * `allow_shell=True`; bounded as `ShellOp` (timeout, output cap, process group killed on abort,
 * basic environment only). `auto_install_deps=True` first installs a Python script's imports with
 * pipreqs and pip when the command mentions `py`, as FlowLLM.
 *
 * @example
 * // flow_content: SkillAgentOp(skill_dir="./skills") << [LoadSkillOp(), RunShellCommandOp(allow_shell=True)]
 */
export class RunShellCommandOp extends SkillToolOp {
  static override options = { ...SHELL_OPTIONS, auto_install_deps: false };
  static override prompts = {
    tool_desc: [
      "Runs a shell command in a skill's folder, in a subprocess.",
      "Give the skill_name: the command starts in that skill's folder, so its scripts can be run by relative path (e.g. scripts/fill_form.py). Run `pwd` to see the absolute path.",
    ].join('\n'),
  };

  describeTool() {
    return {
      name: 'run_shell_command',
      description: this.prompt('tool_desc'),
      input_schema: {
        skill_name: {
          type: 'string' as const,
          description: 'the skill whose folder the command runs in',
          required: true,
        },
        command: { type: 'string' as const, description: 'the shell command', required: true },
      },
    };
  }

  protected failurePrefix(): string {
    return `Failed to run shell command "${this.text('command')}"`;
  }

  protected async work(): Promise<string> {
    requireShell(this);
    const name = this.text('skill_name');
    const command = String(this.input.command ?? '');
    const dir = await this.skillDir(name);
    if (!dir) return this.notFound(name);
    if (this.option('auto_install_deps') === true && command.includes('py')) {
      await runShellFor(this, INSTALL_PYTHON_DEPS, dir);
    }
    const result = await runShellFor(this, command, dir);
    return `${result.stdout.trim()}\n${result.stderr.trim()}${shellNotes(result, this.option<number>('timeout_seconds'))}`;
  }
}
