import { utimes } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowApp } from '../../src/engine/flow-app.js';
import { makeTree, removeTree, runTool, toolApp } from './helpers/file-tree.js';

let root: string;
let app: FlowApp;

beforeAll(async () => {
  root = await makeTree({
    'a.txt': 'hello\nworld\n',
    'src/main.ts': 'const x = 1;\n// Hello there\n',
    'src/util.ts': 'export {};\n',
    'src/lib/deep.ts': 'deep\n',
    'docs/readme.md': '# Docs\n',
    '.hidden/s.txt': 'hello hidden\n',
    'bin.dat': 'hello\u0000binary',
  });
  // Old files sort by path, recent ones first by time: make util.ts the only recent .ts file.
  const old = new Date('2020-01-01T00:00:00Z');
  for (const file of ['src/main.ts', 'src/lib/deep.ts']) await utimes(path.join(root, file), old, old);
  const r = `root_dir="${root}"`;
  app = toolApp({
    ls: `LSOp(${r})`,
    glob: `GlobOp(${r})`,
    glob_ignoring: `GlobOp(${r}, gitignore_patterns=["lib/"])`,
    grep: `GrepOp(${r})`,
    rg: `RipGrepOp(${r})`,
    read: `ReadFileOp(${r})`,
    many: `ReadManyFilesOp(${r})`,
  });
});

afterAll(() => removeTree(root));

describe('LSOp (ListDirectory)', () => {
  it('lists directories first, then files, and leaves out ignored names', async () => {
    expect(await runTool(app, 'ls', { path: root, ignore: ['*.dat'] })).toBe(
      `Directory listing for ${root}:\n[DIR] .hidden\n[DIR] docs\n[DIR] src\na.txt`,
    );
  });

  it('says when a directory is empty, and answers FlowLLM failure text for a missing one', async () => {
    expect(await runTool(app, 'ls', { path: 'docs', ignore: ['*'] })).toBe(
      `Directory ${root}/docs is empty.`,
    );
    expect(await runTool(app, 'ls', { path: 'nope' })).toBe(
      `Failed to list directory "nope": Directory not found: ${root}/nope`,
    );
  });
});

describe('GlobOp (FindFiles)', () => {
  it('lists recent files newest first, then older ones by path', async () => {
    expect(await runTool(app, 'glob', { pattern: 'src/**/*.ts' })).toBe(
      'Found 3 file(s) matching "src/**/*.ts", sorted by modification time (newest first):\n' +
        [`${root}/src/util.ts`, `${root}/src/lib/deep.ts`, `${root}/src/main.ts`].join('\n'),
    );
  });

  it('matches case-insensitively unless asked, honours gitignore_patterns, and says when nothing matched', async () => {
    expect(await runTool(app, 'glob', { pattern: '*.MD' })).toContain(`${root}/docs/readme.md`);
    expect(await runTool(app, 'glob', { pattern: '*.MD', case_sensitive: true })).toBe(
      'No files found matching pattern "*.MD"',
    );
    expect(await runTool(app, 'glob_ignoring', { pattern: '**/*.ts', dir_path: 'src' })).toBe(
      `Found 2 file(s) matching "**/*.ts" within ${root}/src (1 additional files were ignored), sorted by modification time (newest first):\n${root}/src/util.ts\n${root}/src/main.ts`,
    );
  });
});

describe('GrepOp (Grep)', () => {
  it('groups matching lines by file, case-insensitively, skipping binary files', async () => {
    expect(await runTool(app, 'grep', { pattern: 'hel+o' })).toBe(
      [
        'Found 3 matches for pattern "hel+o" in the workspace directory:',
        '---',
        'File: .hidden/s.txt',
        'L1: hello hidden',
        '---',
        'File: a.txt',
        'L1: hello',
        '---',
        'File: src/main.ts',
        'L2: // Hello there',
        '---',
        '[1 binary files skipped]',
      ].join('\n'),
    );
  });

  it('filters by glob (with braces), stops at limit, and reports a bad pattern as failure text', async () => {
    expect(await runTool(app, 'grep', { pattern: 'hello', path: 'src', glob: '*.{ts,js}' })).toBe(
      'Found 1 match for pattern "hello" in path "src" (filter: "*.{ts,js}"):\n---\nFile: main.ts\nL2: // Hello there\n---',
    );
    expect(await runTool(app, 'grep', { pattern: 'e', glob: '*.txt', limit: 1 })).toMatch(
      /^Found 1 match for /,
    );
    expect(await runTool(app, 'grep', { pattern: 'nothing-like-this' })).toBe(
      'No matches found for pattern "nothing-like-this" in the workspace directory.\n[1 binary files skipped]',
    );
    expect(await runTool(app, 'grep', { pattern: '(' })).toMatch(
      /^Failed to search for pattern "\(": Invalid regular expression/,
    );
  });
});

describe('RipGrepOp (RipGrep)', () => {
  it('prints path:line:text, skips hidden files, and cuts the listing at limit', async () => {
    expect(await runTool(app, 'rg', { pattern: 'hello' })).toBe(
      `Found 2 matches for pattern "hello" in the workspace directory:\n---\n${root}/a.txt:1:hello\n${root}/src/main.ts:2:// Hello there\n[1 binary files skipped]`,
    );
    expect(await runTool(app, 'rg', { pattern: 'hello', limit: 1, glob: '*.{txt,ts}' })).toBe(
      `Found 2 matches for pattern "hello" in the workspace directory (filter: "*.{txt,ts}"):\n---\n${root}/a.txt:1:hello\n---\n[1 line truncated] ...`,
    );
  });

  it('searches a single file', async () => {
    expect(await runTool(app, 'rg', { pattern: 'world', path: 'a.txt' })).toBe(
      `Found 1 match for pattern "world" in path "a.txt":\n---\n${root}/a.txt:2:world`,
    );
  });
});

describe('ReadFileOp (ReadFile)', () => {
  it('reads a whole file, or a line range with a header when more lines follow', async () => {
    expect(await runTool(app, 'read', { absolute_path: `${root}/a.txt` })).toBe('hello\nworld\n');
    expect(await runTool(app, 'read', { absolute_path: 'a.txt', offset: 1, limit: 1 })).toBe(
      'Showing lines 1-1 of 3 total lines.\n\n---\n\nworld',
    );
    expect(await runTool(app, 'read', { absolute_path: 'a.txt', offset: 1 })).toBe('world\n');
  });

  it('answers FlowLLM failure text for a missing file and an offset past the end', async () => {
    expect(await runTool(app, 'read', { absolute_path: 'missing.txt' })).toBe(
      `Failed to read file "missing.txt": File not found: ${root}/missing.txt`,
    );
    expect(await runTool(app, 'read', { absolute_path: 'a.txt', offset: 9 })).toBe(
      'Failed to read file "a.txt": Offset 9 is beyond file length (3 lines)',
    );
  });
});

describe('ReadManyFilesOp (ReadManyFiles)', () => {
  it('concatenates matching files in path order between separators, a directory standing for its files', async () => {
    expect(await runTool(app, 'many', { paths: ['docs', 'a.txt'], exclude: ['*.dat'] })).toBe(
      `--- ${root}/a.txt ---\n\nhello\nworld\n\n\n--- ${root}/docs/readme.md ---\n\n# Docs\n\n\n\n--- End of content ---`,
    );
  });

  it('lists files it could not read, and says when nothing matched', async () => {
    const result = await runTool(app, 'many', { paths: ['bin.dat', 'src/lib/*.ts'] });
    expect(result).toBe(
      `--- ${root}/bin.dat ---\n\nhello\u0000binary\n\n--- ${root}/src/lib/deep.ts ---\n\ndeep\n\n\n\n--- End of content ---`,
    );
    expect(await runTool(app, 'many', { paths: ['*.nothing'] })).toBe(
      'No files found matching the specified patterns.',
    );
  });
});
