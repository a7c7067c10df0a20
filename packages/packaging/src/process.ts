// Child processes for the checks: commands that must succeed, and servers that must come up.
import { type ChildProcess, spawn } from 'node:child_process';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface RunOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Milliseconds before the command is killed and fails. */
  timeoutMs?: number;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The environment for commands run in a temporary project: the caller's, without what the workspace's
 * tooling (pnpm, vitest) set for itself, so npm and node behave as on a user's machine.
 */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    const lower = key.toLowerCase();
    if (lower.startsWith('npm_') && lower !== 'npm_config_registry' && lower !== 'npm_config_userconfig')
      continue;
    if (key.startsWith('VITEST') || key.startsWith('TURBO_') || key.startsWith('PNPM_')) continue;
    if (['NODE_OPTIONS', 'NODE_ENV', 'NODE_PATH', 'INIT_CWD', 'TS_NODE_PROJECT'].includes(key)) continue;
    if (/^(FLOW_|ANTHROPIC_)/.test(key)) continue; // offline: no model keys reach the consumers
    env[key] = value;
  }
  return { ...env, NO_COLOR: '1', ...extra };
}

/** npm's cache for every temporary project, shared between runs so repeated installs are fast. */
export const NPM_CACHE =
  process.env.FLOWLLM_PACKAGING_NPM_CACHE ?? join(homedir(), '.cache', 'flowllm-packaging', 'npm');

/** Runs a command to its end; never throws for a non-zero exit (check `code`). */
export function run(command: string, args: string[], options: RunOptions): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? cleanEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (data: string) => {
      stdout += data;
    });
    child.stderr.setEncoding('utf8').on('data', (data: string) => {
      stderr += data;
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      stderr += `\n[killed after ${options.timeoutMs} ms]`;
    }, options.timeoutMs ?? 120_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Runs a command and throws, with its output, unless it exits with 0. */
export async function runOk(command: string, args: string[], options: RunOptions): Promise<RunResult> {
  const result = await run(command, args, options);
  if (result.code !== 0) {
    throw new Error(
      `\`${command} ${args.join(' ')}\` in ${options.cwd} exited with ${result.code}\n` +
        `--- stdout\n${result.stdout.slice(-4000)}\n--- stderr\n${result.stderr.slice(-4000)}`,
    );
  }
  return result;
}

/** The pnpm to run: the one running this test (`npm_execpath`), else `pnpm` on the PATH. */
export function pnpmCommand(): { command: string; prefix: string[] } {
  const execPath = process.env.npm_execpath;
  if (execPath && /pnpm/.test(execPath)) {
    return /\.(c|m)?js$/.test(execPath)
      ? { command: process.execPath, prefix: [execPath] }
      : { command: execPath, prefix: [] };
  }
  return { command: 'pnpm', prefix: [] };
}

export interface StartedProcess {
  child: ChildProcess;
  /** The port the process reported. */
  port: number;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts a process that prints `LISTENING <port>` on stdout once its server is up (the consumers do),
 * or reports the port over IPC as `{ listening: port }` (the docs-sample harness does).
 */
export function startServer(
  command: string,
  args: string[],
  options: RunOptions & { ipc?: boolean },
): Promise<StartedProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? cleanEnv(),
      stdio: options.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let settled = false;
    const exited = new Promise<void>((done) => child.once('close', () => done()));
    const started = (port: number) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({
        child,
        port,
        output: () => output,
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
          await exited;
          clearTimeout(killer);
        },
      });
    };
    const fail = (message: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(
        new Error(`${message}\n--- output of \`${[command, ...args].join(' ')}\`\n${output.slice(-4000)}`),
      );
    };
    child.stdout?.setEncoding('utf8').on('data', (data: string) => {
      output += data;
      const match = /^LISTENING (\d+)$/m.exec(output);
      if (match) started(Number(match[1]));
    });
    child.stderr?.setEncoding('utf8').on('data', (data: string) => {
      output += data;
    });
    child.on('message', (message: { listening?: number }) => {
      if (typeof message?.listening === 'number') started(message.listening);
    });
    child.on('error', (error) => fail(`could not start: ${error.message}`));
    child.on('close', (code, signal) => fail(`exited (${code ?? signal}) before it listened`));
    const timer = setTimeout(() => fail('did not listen within the time limit'), options.timeoutMs ?? 30_000);
  });
}
