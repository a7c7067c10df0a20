import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile, symlink } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exposedRefusal } from '../helpers/failures.js';
import { waitUntil } from '../helpers/wait.js';
import { agentMessages, makeTree, removeTree, runTool, toolApp } from './helpers/file-tree.js';

let base: string;
let root: string;

beforeAll(async () => {
  base = await makeTree({ 'root/notes.txt': 'alpha\n  beta = 1\ngamma\n', 'outside/keep.txt': 'keep\n' });
  root = path.join(base, 'root');
  await symlink(path.join(base, 'outside'), path.join(root, 'dir-out'));
  // Points outside at a file that does not exist yet: writing through it would create that file.
  await symlink(path.join(base, 'outside', 'made-by-link.txt'), path.join(root, 'dangling'));
});

afterAll(() => removeTree(base));

describe('ops that write or run commands are off by default', () => {
  it.each([
    ['WriteFileOp', 'allow_write', { file_path: 'new.txt', content: 'x' }],
    ['EditOp', 'allow_write', { file_path: 'notes.txt', old_string: 'alpha', new_string: 'omega' }],
    [
      'SmartEditOp',
      'allow_write',
      { file_path: 'notes.txt', old_string: 'alpha', new_string: 'omega', instruction: 'rename' },
    ],
    ['ShellOp', 'allow_shell', { command: 'touch made-by-shell', is_background: false }],
  ])('%s refuses, naming %s, and changes nothing', async (op, flag, input) => {
    const app = toolApp({ tool: `${op}(root_dir="${root}")` });
    expect(await exposedRefusal(app.run('tool', input))).toBe(
      `${op} is off: set ${flag}=True on it in the flow (${op}(${flag}=True)) to let it ${flag === 'allow_write' ? 'write files' : 'run shell commands'}.`,
    );
    expect(await readFile(path.join(root, 'notes.txt'), 'utf8')).toBe('alpha\n  beta = 1\ngamma\n');
    await expect(readFile(path.join(root, 'new.txt'))).rejects.toThrow();
    await expect(readFile(path.join(root, 'made-by-shell'))).rejects.toThrow();
  });

  it('the refusal reaches the model as the tool result inside an agent', async () => {
    const app = toolApp(
      { agent: `ReactAgentOp(tool_call_interval=0, max_steps=1) << WriteFileOp(root_dir="${root}")` },
      [{ match: '.', tool_calls: [{ name: 'WriteFile', arguments: { file_path: 'x.txt', content: 'x' } }] }],
    );
    const response = await app.run('agent', { query: 'write it' });
    const messages = agentMessages(response);
    expect(messages.at(-1)).toMatchObject({ role: 'tool' });
    expect(messages.at(-1)?.content).toContain('WriteFileOp is off: set allow_write=True');
  });
});

describe('with allow_write=True', () => {
  const writer = () =>
    toolApp({
      write: `WriteFileOp(root_dir="${root}", allow_write=True)`,
      edit: `EditOp(root_dir="${root}", allow_write=True)`,
      smart: `SmartEditOp(root_dir="${root}", allow_write=True)`,
    });

  it('WriteFileOp creates folders and files inside the root, and overwrites', async () => {
    const app = writer();
    expect(await runTool(app, 'write', { file_path: 'made/deep/new.txt', content: 'one' })).toBe(
      `Successfully created and wrote to new file: ${root}/made/deep/new.txt`,
    );
    expect(await runTool(app, 'write', { file_path: `${root}/made/deep/new.txt`, content: 'two' })).toBe(
      `Successfully overwrote file: ${root}/made/deep/new.txt`,
    );
    expect(await readFile(path.join(root, 'made/deep/new.txt'), 'utf8')).toBe('two');
  });

  it('still refuses to write outside the root, also through a symlinked folder', async () => {
    const app = writer();
    expect(
      await exposedRefusal(app.run('write', { file_path: '../outside/evil.txt', content: 'x' })),
    ).toMatch(/outside/);
    expect(await exposedRefusal(app.run('write', { file_path: 'dir-out/evil.txt', content: 'x' }))).toMatch(
      /outside/,
    );
    await expect(readFile(path.join(base, 'outside', 'evil.txt'))).rejects.toThrow();
  });

  it('refuses a dangling symlink that points outside (writing would create its target)', async () => {
    const app = writer();
    expect(await exposedRefusal(app.run('write', { file_path: 'dangling', content: 'pwned' }))).toMatch(
      /outside the directory this tool may use/,
    );
    await expect(readFile(path.join(base, 'outside', 'made-by-link.txt'))).rejects.toThrow();
  });

  it('EditOp replaces the expected number of exact occurrences, or fails with FlowLLM text', async () => {
    const app = writer();
    expect(
      await runTool(app, 'edit', { file_path: 'notes.txt', old_string: 'gamma', new_string: 'delta' }),
    ).toBe(`Successfully modified file: ${root}/notes.txt (1 replacements).`);
    expect(await runTool(app, 'edit', { file_path: 'notes.txt', old_string: 'zzz', new_string: 'y' })).toBe(
      `Failed to edit file "notes.txt": Failed to edit, could not find the string to replace. 0 occurrences found for old_string in ${root}/notes.txt.`,
    );
    expect(await readFile(path.join(root, 'notes.txt'), 'utf8')).toBe('alpha\n  beta = 1\ndelta\n');
  });

  it('SmartEditOp falls back to indentation-blind and whitespace-tolerant matching', async () => {
    const app = writer();
    const input = { file_path: 'notes.txt', instruction: 'bump beta' };
    expect(
      await runTool(app, 'smart', { ...input, old_string: 'beta   =   1', new_string: 'beta = 2' }),
    ).toBe(`Successfully modified file: ${root}/notes.txt (1 replacement).`);
    expect(await readFile(path.join(root, 'notes.txt'), 'utf8')).toBe('alpha\n  beta = 2\ndelta\n');
  });
});

describe('ShellOp with allow_shell=True', () => {
  it('runs in the root with a basic environment and answers FlowLLM fields', async () => {
    process.env.FLOWLLM_TEST_SECRET_KEY = 'sk-test-secret';
    try {
      const app = toolApp({ shell: `ShellOp(root_dir="${root}", allow_shell=True)` });
      const result = await runTool(app, 'shell', {
        command: 'pwd; echo "key=$FLOWLLM_TEST_SECRET_KEY"; echo oops >&2; exit 3',
        is_background: false,
      });
      expect(result).toBe(
        `Command: pwd; echo "key=$FLOWLLM_TEST_SECRET_KEY"; echo oops >&2; exit 3\nDirectory: (current)\nOutput: ${root}\nkey=\n\nError: oops\n\nExit Code: 3`,
      );
    } finally {
      delete process.env.FLOWLLM_TEST_SECRET_KEY;
    }
  });

  it('kills the command at timeout_seconds and cuts output at max_output_bytes', async () => {
    const app = toolApp({
      slow: `ShellOp(root_dir="${root}", allow_shell=True, timeout_seconds=0.3)`,
      loud: `ShellOp(root_dir="${root}", allow_shell=True, max_output_bytes=10)`,
    });
    const slow = await runTool(app, 'slow', { command: 'sleep 30', is_background: false });
    expect(slow).toMatch(/Exit Code: \(none\)\n\[killed after 0.3 s \(timeout_seconds\)\]$/);
    const loud = await runTool(app, 'loud', { command: 'yes | head -c 100000', is_background: false });
    expect(loud).toContain('Output: y\ny\ny\ny\ny\n\n');
    expect(loud).toMatch(/\[output cut at max_output_bytes\]$/);
  });

  it('kills the whole process group when the flow is aborted', async () => {
    const app = toolApp({ shell: `ShellOp(root_dir="${root}", allow_shell=True)` });
    const controller = new AbortController();
    const pidFile = path.join(root, 'child.pid');
    const run = app.run(
      'shell',
      // The grandchild writes its pid, then the command waits on it: both must die on abort.
      { command: `sleep 30 & echo $! > ${pidFile}; wait`, is_background: false },
      { signal: controller.signal },
    );
    const pid = Number(await waitForFile(pidFile));
    controller.abort();
    await expect(run).rejects.toThrow();
    await waitUntil(() => !isAlive(pid));
    expect(isAlive(pid)).toBe(false);
  });

  it('a background job does not outlive the server process', async () => {
    const script = fileURLToPath(new URL('../fixtures/background-job/start-and-exit.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', script, root], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (data: Buffer) => {
      output += data.toString();
    });
    await new Promise((resolve) => child.once('close', resolve));
    const pid = Number(output);
    expect(pid).toBeGreaterThan(0);
    await waitUntil(() => !isAlive(pid));
    expect(isAlive(pid)).toBe(false);
  });

  it('a background job does not outlive timeout_seconds', async () => {
    const app = toolApp({ shell: `ShellOp(root_dir="${root}", allow_shell=True, timeout_seconds=1)` });
    const pidFile = path.join(root, 'background.pid');
    const started = await app.run('shell', {
      command: `sleep 30 & echo $! > ${pidFile}; wait`,
      is_background: true,
    });
    expect(String(started.answer)).toMatch(/^Command started in background \(PID: \d+\)/);
    const pid = Number(await waitForFile(pidFile));
    expect(isAlive(pid)).toBe(true);
    await waitUntil(() => !isAlive(pid));
    expect(isAlive(pid)).toBe(false);
  });
});

async function waitForFile(file: string): Promise<string> {
  for (;;) {
    const text = await readFile(file, 'utf8').catch(() => '');
    if (text.trim() !== '') return text.trim();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

// A killed process whose parent died stays a zombie until init reaps it: count zombies as dead.
function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}
