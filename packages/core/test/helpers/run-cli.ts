import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

export interface CliRun {
  child: ChildProcess;
  /** Resolves when the process exits, with everything it printed. */
  result: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/** Starts the built `flowllm` command (run `pnpm build` first; turbo's test task does). */
export function runCli(args: string[], cwd: string, env: Record<string, string> = {}): CliRun {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build @flowllm/core first`);
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = captureOutput(child);
  const result = new Promise<Awaited<CliRun['result']>>((resolve) => {
    child.on('close', (code) => resolve({ code, stdout: output.stdout(), stderr: output.stderr() }));
  });
  return { child, result };
}

/** What a child process printed so far, both streams. */
export interface CapturedOutput {
  stdout(): string;
  stderr(): string;
}

/** Collects a child's stdout and stderr as they arrive. */
export function captureOutput(child: ChildProcess): CapturedOutput {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (data: Buffer) => {
    stdout += data.toString();
  });
  child.stderr?.on('data', (data: Buffer) => {
    stderr += data.toString();
  });
  return { stdout: () => stdout, stderr: () => stderr };
}

/** A fresh temporary directory holding `files` (paths may name sub-folders), to run the CLI in. */
export function tempDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'flowllm-cli-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

/** Starts `flowllm <args>` as a server; resolves with its URL once the banner names it. */
export async function startCliServer(
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<{ run: CliRun; url: string; banner: () => string }> {
  const run = runCli(args, cwd, env);
  let banner = '';
  const url = await new Promise<string>((resolve, reject) => {
    run.child.stdout?.on('data', (data: Buffer) => {
      banner += data.toString();
      const match = /serving .* at (http:\/\/[^\s]+)/.exec(banner);
      if (match?.[1]) resolve(match[1]);
    });
    run.child.once('exit', () => reject(new Error(`the server exited: ${banner}`)));
  });
  return { run, url, banner: () => banner };
}
