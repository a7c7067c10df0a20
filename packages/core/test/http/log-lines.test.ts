import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createChunk } from '../../src/chunk.js';
import { terminalPrinter } from '../../src/cli/terminal-printer.js';
import { escapeControl, escapeTerminal, logLine } from '../../src/http/log-line.js';
import { removeTempDirs, tempDir } from '../config/fixtures/test-backends.js';
import { runCli } from '../helpers/run-cli.js';

const SERVER = fileURLToPath(new URL('../fixtures/log-server/serve.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
// A request trying to forge a log entry, clear the screen, recolour it, and break lines every other way.
const FORGED = 'boom\n[flowllm] fake entry: admin logged in\u001b[2J\u001b[31m\r\u2028\u0085\u202edone';
const ESCAPED =
  'boom\\n[flowllm] fake entry: admin logged in\\u001b[2J\\u001b[31m\\r\\u2028\\u0085\\u202edone';
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e]/;

/** Starts the fixture server in its own process; resolves with its port and its stderr so far. */
async function startServer() {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = { stdout: '', stderr: '' };
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    output.stderr += text;
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      output.stdout += text;
      if (output.stdout.includes('\n')) resolve(Number(output.stdout.trim()));
    });
    child.once('exit', (code) => reject(new Error(`the server exited (${code}): ${output.stderr}`)));
  });
  /** Resolves once stderr holds `text` followed by the end of its line. */
  const logged = (text: string) =>
    new Promise<void>((resolve) => {
      const check = () => {
        const at = output.stderr.indexOf(text);
        if (at >= 0 && output.stderr.indexOf('\n', at) >= 0) resolve();
        else child.stderr.once('data', check);
      };
      check();
    });
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill();
      await once(child, 'exit');
    }
  };
  return { port, output, logged, stop };
}

describe('log entries cannot be forged', () => {
  it('an error message with a newline, a fake [flowllm] entry and ESC sequences is one escaped stderr line (real server process)', async () => {
    const server = await startServer();
    try {
      const reply = await fetch(`http://127.0.0.1:${server.port}/fail`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: FORGED }),
      });
      expect(reply.status).toBe(500);
      await reply.text();
      await server.logged('done');
      const lines = server.output.stderr.split('\n').filter((line) => line !== '');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^\[flowllm\] flow 'fail' failed: EchoFailOp failed: /);
      expect(lines[0]).toContain(ESCAPED);
      expect(server.output.stderr).not.toMatch(RAW_CONTROL);
    } finally {
      await server.stop();
    }
    // Starting a process that compiles the sources takes seconds; the bound only catches a hang.
  }, 120_000);

  it('details are one-line JSON: a stack stays on the entry line, escaped', () => {
    const error = new Error(FORGED);
    const line = logLine(`flow failed: ${FORGED}`, { flow_id: 'f1', stack: error.stack });
    expect(line.split('\n')).toHaveLength(1);
    expect(line).not.toMatch(RAW_CONTROL);
    expect(line.startsWith(`[flowllm] flow failed: ${ESCAPED} {"flow_id":"f1","stack":"Error: boom\\n`)).toBe(
      true,
    );
    expect(line).toMatch(/\\n {4}at /);
  });

  it('details that JSON cannot hold (a circular value, a bigint) still give one line', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(logLine('m', { circular })).toBe('[flowllm] m {"details":"not serializable"}');
    expect(logLine('m', { size: 10n })).toBe('[flowllm] m {"size":"10"}');
    expect(logLine('m', {})).toBe('[flowllm] m');
  });

  it('escapeControl leaves ordinary text, backslashes and non-Latin scripts alone', () => {
    expect(escapeControl('C:\\path é 東京 🙂')).toBe('C:\\path é 東京 🙂');
    expect(escapeControl('a\tb\u0000c\u007f')).toBe('a\\tb\\u0000c\\u007f');
  });

  it("the CLI prints an error chunk on one line, without the provider's control sequences", () => {
    let stderr = '';
    const print = terminalPrinter({
      stdout: { write: () => true },
      stderr: { write: (text: string) => (stderr += text) },
      color: false,
    });
    print(createChunk('f1', 'error', FORGED, { done: true }));
    expect(stderr).toBe(`\n[error] ${ESCAPED}\n`);
  });

  it('the CLI keeps model text to its lines: no escape sequences reach the terminal', () => {
    let stdout = '';
    let stderr = '';
    const print = terminalPrinter({
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
      color: false,
    });
    print(createChunk('f1', 'think', 'plan\u001b[31m red'));
    print(createChunk('f1', 'answer', 'line 1\n\tline 2\u001b]0;TITLE\u0007\u001b[2J'));
    expect(stderr).toBe('[think] plan\\u001b[31m red\n');
    expect(stdout).toBe('line 1\n\tline 2\\u001b]0;TITLE\\u0007\\u001b[2J');
    expect(escapeTerminal('a\u2028b')).toBe('a\\u2028b');
  });

  it('the built CLI: a YAML key cannot forge a warning line, a model cannot send escape sequences', async () => {
    const cwd = tempDir({
      'forge.yaml': [
        '"x\\n[flowllm] forged": 1',
        'llm:',
        '  default: { backend: mock, answer: "hi\\e]0;TITLE\\a there" }',
        'flow:',
        '  f: { flow_content: ChatOp() }',
        '',
      ].join('\n'),
    });
    try {
      const run = runCli(['config=./forge.yaml', 'backend=cmd', 'cmd.flow=f', 'cmd.params.query=q'], cwd);
      const { code, stdout, stderr } = await run.result;
      expect(code, stderr).toBe(0);
      expect(stdout + stderr).not.toContain('\u001b');
      expect(stdout).toContain('hi\\u001b]0;TITLE\\u0007 there');
      const forged = stderr.split('\n').filter((line) => line.includes('forged'));
      expect(forged).toEqual([expect.stringMatching(/^warning: .*x\\n\[flowllm\] forged/)]);
    } finally {
      removeTempDirs();
    }
  }, 60_000);
});
