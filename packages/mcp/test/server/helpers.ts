// Shared by the server tests: a config whose flows call a local OpenAI-compatible upstream, the built
// `flowllm` command run with backend=mcp, and the SDK's own Client over each transport.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { HANG_MS, settles } from '../../../conformance/src/wait.js';
import { type CapturedOutput, captureOutput, runCli } from '../../../core/test/helpers/run-cli.js';

export { recordProgress } from '../../../conformance/src/mcp-progress.js';
export { HANG_MS, settles, waitFor } from '../../../conformance/src/wait.js';
export { type CapturedOutput, captureOutput };

/** The built `flowllm` command and the built @flowllm/mcp it loads (run both packages' `build` first). */
export const CLI = fileURLToPath(new URL('../../../core/dist/cli.js', import.meta.url));
const MCP_PACKAGE_DIR = fileURLToPath(new URL('../..', import.meta.url));

/** A key the upstream accepts and no result or log line may show. */
export const API_KEY = 'sk-mcp-test-0123456789-secret';

/** Long enough that a cancel lands mid-stream: 200 words, 20 ms apart (4 s). */
export const SLOW_WORDS = Array.from({ length: 200 }, (_, index) => `w${index} `);

/**
 * The flows under test: `ask` (sync chat), `ask_stream` (streaming chat), `pick` (a schema with an
 * enum, a list and an optional field, answered by the offline mock model).
 */
export function flowConfig(upstreamUrl: string): Record<string, unknown> {
  const query = { type: 'string', description: 'the question', required: true };
  return {
    llm: {
      default: {
        backend: 'openai_compatible',
        model_name: 'gpt-test',
        base_url: upstreamUrl,
        retry_delay: 0.01,
      },
      offline: { backend: 'mock' },
    },
    flow: {
      ask: { flow_content: 'ChatOp()', description: 'Ask the model.', input_schema: { query } },
      ask_stream: {
        flow_content: 'StreamChatOp()',
        stream: true,
        description: 'Ask the model, streaming.',
        input_schema: { query },
      },
      pick: {
        flow_content: "ChatOp(llm='offline')",
        description: 'Pick a colour.',
        input_schema: {
          query,
          colour: { type: 'string', enum: ['red', 'green'], description: 'a colour' },
          tags: { type: 'array', items: { type: 'string' }, required: false },
          top_k: { type: 'integer', required: false },
        },
      },
    },
  };
}

/**
 * A working directory for the command: the config as `mcp_test.yaml` (YAML is a superset of JSON) and
 * `node_modules/@flowllm/mcp` linked to this package, as an app that installed it has.
 */
export function projectDir(config: Record<string, unknown>, { withMcp = true } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'flowllm-mcp-'));
  writeFileSync(join(dir, 'mcp_test.yaml'), JSON.stringify(config));
  if (withMcp) {
    mkdirSync(join(dir, 'node_modules', '@flowllm'), { recursive: true });
    symlinkSync(MCP_PACKAGE_DIR, join(dir, 'node_modules', '@flowllm', 'mcp'), 'dir');
  }
  return dir;
}

function checkBuilt(): void {
  for (const file of [CLI, join(MCP_PACKAGE_DIR, 'dist', 'index.js')]) {
    if (!existsSync(file)) throw new Error(`${file} is missing: build @flowllm/core and @flowllm/mcp first`);
  }
}

/** `flowllm config=mcp_test backend=mcp mcp.host=127.0.0.1 mcp.port=0 <args>` in `cwd`. */
export function cliArgs(transport: string, extra: string[] = []): string[] {
  return [
    'config=mcp_test',
    'backend=mcp',
    `mcp.transport=${transport}`,
    'mcp.host=127.0.0.1',
    'mcp.port=0',
    ...extra,
  ];
}

/** The command's environment: only what it needs (no inherited keys). */
export function cliEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? '', NO_COLOR: '1', FLOW_LLM_API_KEY: API_KEY, ...extra };
}

/** A running `flowllm backend=mcp` over HTTP, with what it printed. */
export interface CliServer {
  child: ChildProcess;
  url: string;
  output: () => string;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
}

/**
 * Runs `node <cli> <args>` in `cwd` until its banner names the MCP URL (the real port) or it exits
 * (`url` undefined).
 */
export async function spawnUntilServing(
  cli: string,
  cwd: string,
  args: string[],
  env = cliEnv(),
): Promise<Omit<CliServer, 'url'> & { url: string | undefined }> {
  const child = spawn(process.execPath, [cli, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const captured = captureOutput(child);
  const output = () => captured.stdout() + captured.stderr();
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await settles(
    new Promise<string | undefined>((resolve) => {
      const onData = () => {
        const match = /as MCP tools at (http:\/\/\S+)/.exec(output());
        if (match?.[1]) resolve(match[1]);
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      void exited.then(() => resolve(undefined));
    }),
    'flowllm to serve or exit',
  );
  return { child, url, output, exited };
}

/** Starts the built command with an HTTP transport; resolves once the banner names the URL. */
export async function startCliServer(cwd: string, args: string[], env = cliEnv()): Promise<CliServer> {
  checkBuilt();
  const server = await spawnUntilServing(CLI, cwd, args, env);
  if (server.url === undefined) throw new Error(`flowllm exited before serving: ${server.output()}`);
  return { ...server, url: server.url };
}

/** Runs the command to its end (a start-up failure), with what it printed: core's own CLI runner. */
export function runCliOnce(
  cwd: string,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  checkBuilt();
  return runCli(args, cwd, { FLOW_LLM_API_KEY: API_KEY }).result;
}

/** The SDK's client transport for `kind`: HTTP ones at `url`, stdio running the command in `cwd`. */
export function clientTransport(
  kind: 'sse' | 'streamable-http' | 'stdio',
  target: { url?: string; cwd?: string },
): Transport {
  if (kind === 'sse') return new SSEClientTransport(new URL(target.url ?? ''));
  if (kind === 'streamable-http') return new StreamableHTTPClientTransport(new URL(target.url ?? ''));
  checkBuilt();
  return new StdioClientTransport({
    command: process.execPath,
    args: [CLI, ...cliArgs('stdio')],
    cwd: target.cwd,
    env: cliEnv(),
    stderr: 'pipe',
  });
}

/** A connected SDK `Client`. */
export async function connectClient(transport: Transport): Promise<Client> {
  const client = new Client({ name: 'flowllm-test', version: '1.0.0' });
  await client.connect(transport, { timeout: HANG_MS });
  return client;
}

/** The text of a tool result's first content item. */
export function textOf(result: Record<string, unknown>): string {
  const [first] = (result.content ?? []) as { type: string; text?: string }[];
  return first?.type === 'text' ? (first.text ?? '') : '';
}
