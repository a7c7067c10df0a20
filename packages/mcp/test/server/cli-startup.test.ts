// How `flowllm backend=mcp` starts and stops: stdout kept for the stdio protocol, exit when the client
// closes stdin, @flowllm/mcp found from the working directory or a clear message when it is missing,
// and an unset transport refused.
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  CLI,
  captureOutput,
  cliArgs,
  cliEnv,
  flowConfig,
  projectDir,
  runCliOnce,
  settles,
  spawnUntilServing,
  startCliServer,
} from './helpers.js';

const CORE_DIR = fileURLToPath(new URL('../../../core', import.meta.url));
const MCP_DIR = fileURLToPath(new URL('../..', import.meta.url));

/** A copy of a built package (`items`), its dependencies linked but no @flowllm package beside it. */
function copyPackage(from: string, to: string, items: string[]): void {
  for (const item of items) cpSync(join(from, item), join(to, item), { recursive: true });
  mkdirSync(join(to, 'node_modules'), { recursive: true });
  for (const name of readdirSync(join(from, 'node_modules'))) {
    if (name !== '@flowllm' && name !== '.bin')
      symlinkSync(join(from, 'node_modules', name), join(to, 'node_modules', name));
  }
}

/**
 * Installs outside the workspace (which links @flowllm/mcp into core's node_modules): a copy of the built
 * @flowllm/core with nothing beside it, and a project whose own node_modules hold that same core (a link,
 * as pnpm makes) and a copy of @flowllm/mcp — flowllm must find that one from the working directory.
 */
function installs(): { cli: string; project: string } {
  const root = mkdtempSync(join(tmpdir(), 'flowllm-installs-'));
  const core = join(root, 'core');
  copyPackage(CORE_DIR, core, ['dist', 'configs', 'package.json']);
  const project = projectDir(flowConfig('http://127.0.0.1:9/v1'), { withMcp: false });
  mkdirSync(join(project, 'node_modules', '@flowllm'), { recursive: true });
  symlinkSync(core, join(project, 'node_modules', '@flowllm', 'core'));
  copyPackage(MCP_DIR, join(project, 'node_modules', '@flowllm', 'mcp'), ['dist', 'package.json']);
  return { cli: join(core, 'dist', 'cli.js'), project };
}

describe('flowllm backend=mcp', () => {
  it('stdio: stdout carries only JSON-RPC, the banner goes to stderr, closing stdin ends the process', async () => {
    const cwd = projectDir(flowConfig('http://127.0.0.1:9/v1'));
    const child = spawn(process.execPath, [CLI, ...cliArgs('stdio')], { cwd, env: cliEnv(), stdio: 'pipe' });
    const captured = captureOutput(child);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const send = (message: unknown) => child.stdin.write(`${JSON.stringify(message)}\n`);
    send({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
    });
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    send({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
    await settles(
      new Promise<void>((resolve) => {
        const check = () => (captured.stdout().includes('"id":2') ? resolve() : setTimeout(check, 5));
        check();
      }),
      'the tools/list answer',
    );
    child.stdin.end();
    expect(await settles(exited, 'the process to exit after stdin closed')).toBe(0);
    const lines = captured.stdout().trim().split('\n');
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(JSON.parse(line)).toMatchObject({ jsonrpc: '2.0' });
    expect(JSON.parse(lines[1] ?? '').result.tools.map((tool: { name: string }) => tool.name)).toContain(
      'ask_stream',
    );
    expect(captured.stderr()).toMatch(/serving FlowLLM as MCP tools over stdio {2}\(stdio\)/);
  });

  it("prints each notice once, in the banner (FlowLLM's default flows without an API key)", async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'mcp-notice-'));
    const env = { PATH: process.env.PATH ?? '', NO_COLOR: '1' };
    const run = await spawnUntilServing(
      CLI,
      cwd,
      ['backend=mcp', 'mcp.transport=streamable-http', 'mcp.host=127.0.0.1', 'mcp.port=0'],
      env,
    );
    run.child.kill('SIGINT');
    expect(await settles(run.exited, 'flowllm to exit')).toBe(0);
    expect(run.output().match(/^notice: llm 'default' .*no API key/gm)).toHaveLength(1);
  });

  it('says how to install @flowllm/mcp when it is not installed (exit 2)', async () => {
    const { cli } = installs();
    const cwd = projectDir(flowConfig('http://127.0.0.1:9/v1'), { withMcp: false });
    const run = await spawnUntilServing(cli, cwd, cliArgs('streamable-http'));
    expect(await settles(run.exited, 'flowllm to exit')).toBe(2);
    expect(run.output()).toBe('flowllm: backend=mcp needs @flowllm/mcp: npm install @flowllm/mcp\n');
  });

  it('finds @flowllm/mcp installed in the working directory when it is not beside core', async () => {
    const { cli, project } = installs();
    const run = await spawnUntilServing(cli, project, cliArgs('streamable-http'));
    expect(run.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    run.child.kill('SIGINT');
    expect(await settles(run.exited, 'flowllm to exit')).toBe(0);
  });

  it("refuses a working directory's @flowllm/mcp built on another copy of @flowllm/core (exit 2)", async () => {
    const { cli } = installs();
    // This project links the workspace's @flowllm/mcp, whose core is the workspace's, not the copy's.
    const cwd = projectDir(flowConfig('http://127.0.0.1:9/v1'));
    const run = await spawnUntilServing(cli, cwd, cliArgs('streamable-http'));
    expect(await settles(run.exited, 'flowllm to exit')).toBe(2);
    expect(run.output()).toMatch(
      /uses another copy of @flowllm\/core than this flowllm .*run the project's own flowllm/,
    );
  });

  it('refuses an unset mcp.transport (FlowLLM\'s "" default) with exit 2', async () => {
    const cwd = projectDir(flowConfig('http://127.0.0.1:9/v1'));
    const { code, stderr } = await runCliOnce(cwd, ['config=mcp_test', 'backend=mcp', 'mcp.transport=']);
    expect(code).toBe(2);
    expect(stderr).toContain('backend=mcp needs mcp.transport: sse, streamable-http (or http) or stdio');
  });

  it('reports a port in use (exit 1)', async () => {
    const cwd = projectDir(flowConfig('http://127.0.0.1:9/v1'));
    const first = await startCliServer(cwd, cliArgs('sse'));
    const port = new URL(first.url).port;
    const { code, stderr } = await runCliOnce(cwd, [...cliArgs('sse'), `mcp.port=${port}`]);
    expect(code).toBe(1);
    expect(stderr).toContain(`flowllm: cannot serve MCP on 127.0.0.1:${port}: listen EADDRINUSE`);
    first.child.kill('SIGINT');
    expect(await settles(first.exited, 'flowllm to exit')).toBe(0);
  });
});
