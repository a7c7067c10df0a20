// `flowllm ops=…`: modules that add ops, imported before the config is checked (issue 15 item 8).
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/run-cli.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/cli-ops', import.meta.url));
const CORE = fileURLToPath(new URL('../..', import.meta.url));
const ECHO = join(FIXTURES, 'echo-ops.js');
const SHOUT = join(FIXTURES, 'shout-ops.js');

/** Installs this package as the project's own @flowllm/core, as `npm install @flowllm/core` would. */
function linkCore(dir: string): void {
  mkdirSync(join(dir, 'node_modules', '@flowllm'), { recursive: true });
  symlinkSync(CORE, join(dir, 'node_modules', '@flowllm', 'core'), 'dir');
}

/** The one line the CLI printed for a failed start: no stack trace after it. */
function expectOneLine(stderr: string): void {
  expect(stderr.trim().split('\n')).toHaveLength(1);
  expect(stderr).not.toMatch(/^\s+at /m);
}

describe('flowllm ops=: user op modules', () => {
  it('an op registered with registerOp by ops=./module runs as cmd.flow (and is unknown without it)', async () => {
    const args = ['backend=cmd', 'cmd.flow=MyEchoOp()', 'cmd.params.query=hi'];
    const run = await runCli([...args, 'ops=./echo-ops.js'], FIXTURES).result;
    expect(run.stdout.trim()).toBe('echo: hi');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);

    const without = await runCli(args, FIXTURES).result;
    expect(without.code).toBe(2);
    expect(without.stderr).toContain("unknown op 'MyEchoOp'");
  });

  it('exported op classes are registered, and a config file may name them: modules load before the config is checked', async () => {
    const dir = tempDir({
      'loud.yaml': 'flow:\n  loud:\n    flow_content: MyEchoOp() >> ShoutOp()\n',
    });
    const { code, stdout, stderr } = await runCli(
      [`ops=${ECHO},${SHOUT}`, 'config=loud', 'backend=cmd', 'cmd.flow=loud', 'cmd.params.query=hi'],
      dir,
    ).result;
    expect(stderr).toBe('');
    expect(stdout.trim()).toBe('ECHO: HI!');
    expect(code).toBe(0);
  });

  it('a package name is resolved from the working directory', async () => {
    const dir = tempDir({
      'node_modules/loud-ops/package.json': JSON.stringify({
        name: 'loud-ops',
        type: 'module',
        exports: './index.js',
      }),
      'node_modules/loud-ops/index.js': [
        "import { BaseOp } from '@flowllm/core';",
        'export class WhisperOp extends BaseOp {',
        "  async execute() { this.context.response.answer = '(' + this.context.get('query') + ')'; }",
        '}',
      ].join('\n'),
    });
    linkCore(dir);
    const { code, stdout } = await runCli(
      ['ops=loud-ops', 'backend=cmd', 'cmd.flow=WhisperOp()', 'cmd.params.query=psst'],
      dir,
    ).result;
    expect(stdout.trim()).toBe('(psst)');
    expect(code).toBe(0);
  });

  it('a module that adds no ops is a warning, and the run goes on', async () => {
    const dir = tempDir({ 'helpers.mjs': 'export const answer = 42;\n' });
    const { code, stdout, stderr } = await runCli(
      [
        'ops=./helpers.mjs',
        'backend=cmd',
        'cmd.flow=ChatOp()',
        'cmd.params.query=x',
        'llm.default.answer=still here',
      ],
      dir,
    ).result;
    expect(stderr).toContain("warning: ops module './helpers.mjs' added no ops");
    expect(stdout.trim()).toBe('still here');
    expect(code).toBe(0);
  });
});

describe('flowllm ops=: a module that cannot be used exits 2 with one line naming it', () => {
  it('a missing file names the path it looked at', async () => {
    const dir = tempDir({});
    const { code, stderr } = await runCli(['ops=./nope.js', 'backend=cmd', 'cmd.flow=ChatOp()'], dir).result;
    expect(code).toBe(2);
    expect(stderr).toBe(`flowllm: ops module './nope.js' not found: no file ${join(dir, 'nope.js')}\n`);
  });

  it('a missing package says so, and hints ./ when a file of that name is there', async () => {
    const dir = tempDir({ 'my_ops.js': 'export {};\n' });
    const { code, stderr } = await runCli(['ops=my_ops.js'], dir).result;
    expect(code).toBe(2);
    expect(stderr).toContain("flowllm: ops module 'my_ops.js' not found: no such package is installed in");
    expect(stderr).toContain('(for the file here, write ops=./my_ops.js)');
    expectOneLine(stderr);
  });

  it('a module that throws: its message and where it threw, no stack trace', async () => {
    const dir = tempDir({
      'setup.mjs': '// needs a database\nthrow new Error("DATABASE_URL is not set");\n',
    });
    const { code, stderr } = await runCli(['ops=./setup.mjs'], dir).result;
    expect(code).toBe(2);
    expect(stderr).toBe(
      `flowllm: cannot import ops module './setup.mjs': Error: DATABASE_URL is not set (at ${join(dir, 'setup.mjs')}:2:7)\n`,
    );
  });

  it('a syntax error says how to find the line', async () => {
    const dir = tempDir({ 'broken.mjs': 'export const a = ;\n' });
    const { code, stderr } = await runCli(['ops=./broken.mjs'], dir).result;
    expect(code).toBe(2);
    expect(stderr).toContain("flowllm: cannot import ops module './broken.mjs': SyntaxError:");
    expect(stderr).toContain(`node --check ${join(dir, 'broken.mjs')}`);
    expectOneLine(stderr);
  });

  it('an op class built on another copy of BaseOp is refused, naming the class', async () => {
    const dir = tempDir({ 'copy.mjs': 'class BaseOp {}\nexport class FakeOp extends BaseOp {}\n' });
    const { code, stderr } = await runCli(['ops=./copy.mjs'], dir).result;
    expect(code).toBe(2);
    expect(stderr).toContain(
      "flowllm: ops module './copy.mjs' exports FakeOp, which extends the BaseOp of another copy of @flowllm/core",
    );
    expectOneLine(stderr);
  });

  it('two modules exporting different op classes of one name are refused, naming both', async () => {
    const dir = tempDir({
      'first.mjs': `import { BaseOp } from '@flowllm/core';\nexport class TwinOp extends BaseOp { async execute() {} }\n`,
      'second.mjs': `import { BaseOp } from '@flowllm/core';\nexport class TwinOp extends BaseOp { async execute() {} }\n`,
    });
    linkCore(dir);
    const { code, stderr } = await runCli(['ops=./first.mjs,./second.mjs'], dir).result;
    expect(code).toBe(2);
    expect(stderr).toBe(
      "flowllm: ops modules './first.mjs' and './second.mjs' both export an op class named TwinOp\n",
    );
  });

  it('ops= naming no module shows the expected form', async () => {
    const { code, stderr } = await runCli(['ops=', 'backend=cmd'], tempDir({})).result;
    expect(code).toBe(2);
    expect(stderr).toContain("argument 'ops=': expected ops=<module>[,<module>…], e.g. ops=./my_ops.js");
  });
});
