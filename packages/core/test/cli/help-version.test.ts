// `flowllm --help` and `flowllm --version` (issue 15 item 8), on the built command.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/run-cli.js';

const PACKAGE = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
  homepage: string;
};

describe('flowllm --help', () => {
  it.each(['--help', '-h', 'help'])('%s prints the usage to stdout and exits 0', async (flag) => {
    const { code, stdout, stderr } = await runCli([flag], tempDir({})).result;
    expect(code).toBe(0);
    expect(stderr).toBe('');
    for (const form of [
      'config=',
      'ops=',
      'backend=http',
      'backend=cmd',
      'cmd.flow=',
      'cmd.params.',
      'http.port=9000',
      'FLOW_LLM_API_KEY',
      'FLOW_LLM_BASE_URL',
      `Docs: ${PACKAGE.homepage}`,
    ]) {
      expect(stdout).toContain(form);
    }
  });

  it('wins over the other arguments, even bad ones: nothing is loaded or run', async () => {
    const { code, stdout } = await runCli(
      ['nonsense', 'ops=./missing.js', 'backend=cmd', '--help'],
      tempDir({}),
    ).result;
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: flowllm');
  });
});

describe('flowllm --version', () => {
  it.each(['--version', '-v', 'version'])("%s prints package.json's version and exits 0", async (flag) => {
    const { code, stdout, stderr } = await runCli([flag], tempDir({})).result;
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toBe(`${PACKAGE.version}\n`);
  });
});
