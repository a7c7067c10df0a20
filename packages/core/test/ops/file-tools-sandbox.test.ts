import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowApp } from '../../src/engine/flow-app.js';
import { confinePath, isInsideRoot } from '../../src/ops/file-tools/sandbox-root.js';
import { exposedRefusal } from '../helpers/failures.js';
import { makeTree, removeTree, runTool, toolApp } from './helpers/file-tree.js';

let base: string;
let root: string;
let app: FlowApp;

// base/root is the sandbox; base/outside holds a secret next to it, reachable only by escaping.
beforeAll(async () => {
  base = await makeTree({
    'root/inside.txt': 'inside\n',
    'outside/secret.txt': 'secret\n',
    'root-old/x.txt': 'x\n',
  });
  root = path.join(base, 'root');
  await symlink(path.join(base, 'outside', 'secret.txt'), path.join(root, 'link-out.txt'));
  await symlink(path.join(base, 'outside'), path.join(root, 'dir-out'));
  await symlink(path.join(root, 'inside.txt'), path.join(root, 'link-in.txt'));
  const r = `root_dir="${root}"`;
  app = toolApp({
    read: `ReadFileOp(${r})`,
    ls: `LSOp(${r})`,
    glob: `GlobOp(${r})`,
    grep: `GrepOp(${r})`,
    many: `ReadManyFilesOp(${r})`,
    slow_grep: `GrepOp(${r}, grep_timeout_seconds=0.3)`,
    small_read: `ReadFileOp(${r}, max_file_bytes=3)`,
    few_ls: `LSOp(${r}, max_files=2)`,
  });
});

afterAll(() => removeTree(base));

// The op failure wraps the exposed refusal an agent sends back to its model.
const refusal = (flow: string, input: Record<string, unknown>) => exposedRefusal(app.run(flow, input));

describe('path confinement', () => {
  // Functions of the root: it exists only once beforeAll ran.
  it.each([
    ['..', () => '..'],
    ['relative climb', () => '../outside/secret.txt'],
    ['absolute path elsewhere', () => '/etc/hostname'],
    ['absolute path through the root', () => `${root}/../outside/secret.txt`],
    ['sibling with the root as prefix', () => `${root}-old/x.txt`],
    ['Windows-style climb', () => '..\\outside\\secret.txt'],
    ['symlinked file pointing out', () => 'link-out.txt'],
    ['file below a symlinked directory pointing out', () => 'dir-out/secret.txt'],
  ])('refuses %s', async (_name, requested) => {
    expect(await refusal('read', { absolute_path: requested() })).toMatch(
      /is outside the directory this tool may use/,
    );
  });

  it('refuses NUL bytes', async () => {
    expect(await refusal('read', { absolute_path: 'inside.txt\u0000.png' })).toBe(
      "'absolute_path' contains a NUL byte.",
    );
  });

  it('allows absolute and relative paths inside, and symlinks whose target is inside', async () => {
    expect(await runTool(app, 'read', { absolute_path: `${root}/inside.txt` })).toBe('inside\n');
    expect(await runTool(app, 'read', { absolute_path: 'sub/../inside.txt' })).toBe('inside\n');
    expect(await runTool(app, 'read', { absolute_path: 'link-in.txt' })).toBe('inside\n');
  });

  it('refuses directory arguments outside the root for every searching tool', async () => {
    expect(await refusal('ls', { path: '..' })).toMatch(/outside/);
    expect(await refusal('glob', { pattern: '*', dir_path: 'dir-out' })).toMatch(/outside/);
    expect(await refusal('grep', { pattern: 'secret', path: '/' })).toMatch(/outside/);
    expect(await refusal('many', { paths: ['../outside/secret.txt'] })).toMatch(/outside/);
  });

  it('never lists or reads through symlinks that point outside while walking', async () => {
    const grepped = await runTool(app, 'grep', { pattern: 'secret|inside' });
    expect(grepped).toContain('File: inside.txt\nL1: inside');
    expect(grepped).not.toMatch(/L1: secret/);
    const found = await runTool(app, 'glob', { pattern: '**/*.txt' });
    expect(found).toContain(`${root}/inside.txt`);
    expect(found).not.toContain('secret');
    expect(await runTool(app, 'many', { paths: ['**/*.txt'] })).not.toContain('secret\n');
  });

  it('confinePath resolves to real paths and isInsideRoot does not confuse prefixes', async () => {
    expect(await confinePath(root, 'new/file.txt')).toBe(path.join(root, 'new', 'file.txt'));
    await expect(confinePath(root, 'dir-out/new.txt')).rejects.toThrow(/outside/);
    expect(isInsideRoot('/srv/p', '/srv/p')).toBe(true);
    expect(isInsideRoot('/srv/p', '/srv/p-old/a')).toBe(false);
    expect(isInsideRoot('/srv/p', '/srv/p/..a/b')).toBe(true);
  });
});

describe('bounded work', () => {
  it('stops a catastrophic regex at grep_timeout_seconds with a refusal', async () => {
    await mkdir(path.join(root, 'redos'), { recursive: true });
    await writeFile(path.join(root, 'redos', 'evil.txt'), `${'a'.repeat(48)}!\n`);
    expect(await refusal('slow_grep', { pattern: '(a+)+$', path: 'redos' })).toMatch(
      /The search was stopped after 0.3 s \(grep_timeout_seconds\)/,
    );
  });

  it('refuses files over max_file_bytes and cuts listings at max_files', async () => {
    expect(await refusal('small_read', { absolute_path: 'inside.txt' })).toMatch(
      /has 7 bytes; ReadFile reads files of at most 3 bytes \(max_file_bytes\)/,
    );
    expect(await runTool(app, 'few_ls', { path: '.' })).toMatch(
      /\n\[\d+ more entries not listed: max_files is 2\]$/,
    );
  });
});
