import { spawn } from 'node:child_process';

/**
 * The environment variables a shell tool's command sees: only these are passed on, so API keys and
 * other secrets in the server's environment never reach a command (or the model reading its
 * output). More can be named with the op option `pass_env=["NAME", …]`.
 *
 * @example
 * SHELL_ENV_NAMES.includes('PATH'); // true
 */
export const SHELL_ENV_NAMES: readonly string[] = [
  'PATH',
  'HOME',
  'LANG',
  'LC_ALL',
  'LC_CTYPE',
  'TERM',
  'TMPDIR',
  'TZ',
  'USER',
  'LOGNAME',
  'SHELL',
];

/**
 * One command to run.
 *
 * @example
 * const run: ShellRun = { command: 'ls', cwd: '/srv/p', timeoutMs: 60_000, maxOutputBytes: 100_000, signal, env: {} };
 */
export interface ShellRun {
  command: string;
  cwd: string;
  timeoutMs: number;
  /** Kept per stream; the rest is read and dropped. */
  maxOutputBytes: number;
  signal: AbortSignal;
  env: Record<string, string>;
}

/**
 * How a command ended: its output (each stream cut at `maxOutputBytes`), its exit code (null when
 * it was killed) and whether it ran out of time.
 *
 * @example
 * if (result.timedOut) console.log('killed after the timeout');
 */
export interface ShellResult {
  stdout: string;
  stderr: string;
  exitCode: number | null;
  timedOut: boolean;
  truncated: boolean;
}

/**
 * The environment for a command: {@link SHELL_ENV_NAMES} plus `extra` names, from `source`.
 *
 * @example
 * shellEnv(process.env, ['MY_TOOL_HOME']);
 */
export function shellEnv(
  source: Record<string, string | undefined>,
  extra: readonly string[] = [],
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of [...SHELL_ENV_NAMES, ...extra]) {
    const value = source[name];
    if (value !== undefined) env[name] = value;
  }
  return env;
}

/**
 * Runs `command` with `sh -c` in its own process group, in `cwd`. The whole group (the command and
 * everything it started) is killed when the timeout passes (the result says `timedOut`) or when
 * `signal` aborts (the promise rejects with the abort reason).
 *
 * @example
 * const result = await runShell({ command: 'echo hi', cwd: root, timeoutMs: 60_000, maxOutputBytes: 100_000, signal, env: shellEnv(process.env) });
 */
export function runShell(run: ShellRun): Promise<ShellResult> {
  run.signal.throwIfAborted();
  return new Promise<ShellResult>((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', run.command], {
      cwd: run.cwd,
      env: run.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out = collector(run.maxOutputBytes);
    const err = collector(run.maxOutputBytes);
    child.stdout.on('data', out.add);
    child.stderr.on('data', err.add);
    let timedOut = false;
    const killGroup = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, run.timeoutMs);
    const onAbort = () => killGroup();
    run.signal.addEventListener('abort', onAbort, { once: true });
    const done = () => {
      clearTimeout(timer);
      run.signal.removeEventListener('abort', onAbort);
    };
    child.once('error', (error) => {
      done();
      reject(error);
    });
    child.once('close', (code) => {
      done();
      if (run.signal.aborted) {
        reject(run.signal.reason);
        return;
      }
      resolve({
        stdout: out.text(),
        stderr: err.text(),
        exitCode: code,
        timedOut,
        truncated: out.truncated() || err.truncated(),
      });
    });
  });
}

/**
 * Starts `command` in the background (own process group, output discarded) and answers its pid. The
 * group is killed when `timeoutMs` passes, when `signal` aborts (the client left), and when this
 * process exits — a background job never outlives the server.
 *
 * @example
 * const pid = startInBackground({ command: 'sleep 5', cwd: root, timeoutMs: 60_000, env: {}, signal });
 */
export function startInBackground(run: Omit<ShellRun, 'maxOutputBytes'>): number | undefined {
  const child = spawn('/bin/sh', ['-c', run.command], {
    cwd: run.cwd,
    env: run.env,
    detached: true,
    stdio: 'ignore',
  });
  child.once('error', () => {});
  const pid = child.pid;
  child.unref();
  if (pid === undefined) return undefined;
  backgroundGroups.add(pid);
  const stop = () => {
    clearTimeout(timer);
    run.signal.removeEventListener('abort', stop);
    killGroup(pid);
  };
  const timer = setTimeout(stop, run.timeoutMs);
  timer.unref();
  run.signal.addEventListener('abort', stop, { once: true });
  child.once('exit', () => {
    clearTimeout(timer);
    run.signal.removeEventListener('abort', stop);
    backgroundGroups.delete(pid);
  });
  return pid;
}

// Process groups of background jobs still running; killed when this process exits.
const backgroundGroups = new Set<number>();
process.once('exit', () => {
  for (const pid of backgroundGroups) killGroup(pid);
});

function killGroup(pid: number): void {
  backgroundGroups.delete(pid);
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

function collector(max: number) {
  const chunks: Buffer[] = [];
  let kept = 0;
  let dropped = false;
  return {
    add: (chunk: Buffer) => {
      if (kept >= max) {
        dropped = true;
        return;
      }
      const part = chunk.subarray(0, max - kept);
      if (part.length < chunk.length) dropped = true;
      chunks.push(part);
      kept += part.length;
    },
    text: () => Buffer.concat(chunks).toString('utf8'),
    truncated: () => dropped,
  };
}
