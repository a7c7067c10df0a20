// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests are about literal ${VAR} text
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDotEnv, parseDotEnv } from '../../src/config/dotenv.js';
import { loadConfig } from '../../src/config/load.js';
import { removeTempDirs, tempDir, testBackends } from './fixtures/test-backends.js';

afterAll(removeTempDirs);

describe('parseDotEnv', () => {
  it('parses assignments, export prefixes, comments and quotes', () => {
    const text = [
      '# a comment',
      '',
      'PLAIN=value',
      'export EXPORTED=yes',
      'SPACED = padded value   # trailing comment',
      'HASH=a#b',
      'EMPTY=',
      'ONLY_COMMENT= # nothing',
      "SINGLE='no $ escapes \\n here' # c",
      'DOUBLE="line1\\nline2\\t\\"q\\" \\\\"',
      'MULTI="first',
      'second"',
      'not an assignment',
      '=missing key',
    ].join('\n');
    expect(parseDotEnv(text)).toEqual({
      PLAIN: 'value',
      EXPORTED: 'yes',
      SPACED: 'padded value',
      HASH: 'a#b',
      EMPTY: '',
      ONLY_COMMENT: '',
      SINGLE: 'no $ escapes \\n here',
      DOUBLE: 'line1\nline2\t"q" \\',
      MULTI: 'first\nsecond',
    });
  });

  it('handles CRLF line ends and a byte order mark', () => {
    expect(parseDotEnv('\uFEFFA=1\r\nB="2"\r\n')).toEqual({ A: '1', B: '2' });
  });
});

describe('loadDotEnv', () => {
  it('finds .env in cwd first', () => {
    const root = tempDir({ '.env': 'WHERE=root\n', 'a/.env': 'WHERE=a\n' });
    const env: Record<string, string | undefined> = {};
    expect(loadDotEnv({ cwd: path.join(root, 'a'), env })).toBe(path.join(root, 'a', '.env'));
    expect(env.WHERE).toBe('a');
  });

  it('looks up to four parents, not five', () => {
    const root = tempDir({ '.env': 'FOUND=four-up\n' });
    const four = path.join(root, 'a', 'b', 'c', 'd');
    const five = path.join(four, 'e');
    mkdirSync(five, { recursive: true });
    const env: Record<string, string | undefined> = {};
    expect(loadDotEnv({ cwd: four, env })).toBe(path.join(root, '.env'));
    expect(env.FOUND).toBe('four-up');
    const far: Record<string, string | undefined> = {};
    // From five levels down, the four parents searched are all inside the temp dir: none has .env.
    expect(loadDotEnv({ cwd: five, env: far })).toBeUndefined();
    expect(far.FOUND).toBeUndefined();
  });

  it('does not override variables that are already set, even to empty', () => {
    const cwd = tempDir({ '.env': 'A=from-file\nB=from-file\nC=from-file\n' });
    const env: Record<string, string | undefined> = { A: 'from-env', B: '' };
    loadDotEnv({ cwd, env });
    expect(env).toEqual({ A: 'from-env', B: '', C: 'from-file' });
  });

  it('ignores a directory named .env', () => {
    const root = tempDir({ '.env': 'X=parent\n', 'child/.env/keep': '' });
    const env: Record<string, string | undefined> = {};
    expect(loadDotEnv({ cwd: path.join(root, 'child'), env })).toBe(path.join(root, '.env'));
    expect(env.X).toBe('parent');
  });

  it('is loaded by loadConfig before ${VAR} interpolation, and reported', () => {
    const cwd = tempDir({ '.env': 'APP=From Dotenv\n', 'c.yaml': 'app_name: ${APP}\n' });
    const env: Record<string, string | undefined> = {};
    const loaded = loadConfig({ backends: testBackends, env, cwd, configs: ['c'] });
    expect(loaded.config.app_name).toBe('From Dotenv');
    expect(loaded.envFile).toBe(path.join(cwd, '.env'));
    expect(env.APP).toBe('From Dotenv');
  });
});
