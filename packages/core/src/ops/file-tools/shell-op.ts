import { FileToolOp } from './file-tool-op.js';
import { searchDir } from './search-dir.js';
import { requireShell, runShellFor, SHELL_OPTIONS, shellNotes, startShellFor } from './shell-capability.js';

/**
 * FlowLLM's `ShellOp` (tool `ExecuteShell`): runs a shell command and answers its output, errors
 * and exit code (`Command: … / Directory: … / Output: … / Error: … / Exit Code: …`), or starts it in
 * the background and answers its pid. Off unless `allow_shell=True`; the command starts in
 * `directory` (inside `root_dir`, default the root), is killed with its process group after
 * `timeout_seconds` or when the flow is aborted, and sees only a basic environment (no secrets).
 *
 * @example
 * // flow_content: ReactAgentOp() << ShellOp(root_dir="./sandbox", allow_shell=True, timeout_seconds=30)
 */
export class ShellOp extends FileToolOp {
  static override options = { ...SHELL_OPTIONS };
  static override prompts = {
    tool_desc:
      'Runs a shell command (`sh -c <command>`) and returns its output, error output and exit code. With is_background=true it is started in the background instead — for servers or watchers — and only its process id is returned.',
    command: 'The exact shell command to run.',
    is_background:
      'Whether to start the command in the background (default false), for long-running processes.',
    description: 'Optional: one short sentence telling the user what the command does.',
    directory:
      'Optional: the absolute path of an existing directory to run the command in; by default the allowed directory itself.',
  };

  describeTool() {
    return {
      name: 'ExecuteShell',
      description: `${this.prompt('tool_desc')}\n${this.rootNote()}`,
      input_schema: {
        command: this.stringField('command'),
        is_background: {
          type: 'boolean' as const,
          description: this.prompt('is_background'),
          required: true,
        },
        description: this.stringField('description', false),
        directory: this.stringField('directory', false),
      },
    };
  }

  protected failurePrefix(): string {
    return `Failed to execute shell command "${this.text('command')}"`;
  }

  protected async work(): Promise<string> {
    requireShell(this);
    let command = this.requiredText('command');
    const description = this.text('description');
    const directory = this.text('directory');
    const cwd = await searchDir(this.root, directory, (p) => this.confine(p, 'directory'));
    if (this.input.is_background === true) {
      if (!command.endsWith('&')) command = `${command} &`;
      const pid = startShellFor(this, command, cwd);
      return `Command started in background (PID: ${pid})${description ? `: ${description}` : ''}\nCommand: ${command}\nDirectory: ${cwd}`;
    }
    const result = await runShellFor(this, command, cwd);
    const lines = [
      `Command: ${command}`,
      ...(description ? [`Description: ${description}`] : []),
      `Directory: ${directory || '(current)'}`,
      `Output: ${result.stdout || '(empty)'}`,
      `Error: ${result.stderr || '(none)'}`,
      `Exit Code: ${result.exitCode ?? '(none)'}`,
    ];
    return `${lines.join('\n')}${shellNotes(result, this.option<number>('timeout_seconds'))}`;
  }
}
