// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests are about literal ${VAR} text
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, formatIssue } from '../../src/config/config-error.js';
import { interpolate, typePlainScalar } from '../../src/config/interpolate.js';
import { loadConfig } from '../../src/config/load.js';
import { removeTempDirs, tempDir, testBackends, thrown } from './fixtures/test-backends.js';

afterAll(removeTempDirs);

const loadWith = (yaml: string, env: Record<string, string | undefined>) =>
  loadConfig({
    backends: testBackends,
    dotenv: false,
    env,
    cwd: tempDir({ 'c.yaml': yaml }),
    configs: ['c'],
  });

describe('interpolate', () => {
  it('reads own variables only: ${toString} is missing, not Object.prototype.toString', () => {
    expect(interpolate('${toString}${constructor:-x}', {})).toMatchObject({
      value: 'x',
      missing: ['toString'],
    });
    expect(interpolate('${toString}', { toString: 'set' } as Record<string, string>).value).toBe('set');
  });

  it('replaces ${VAR} and ${VAR:-default}', () => {
    expect(interpolate('http://${HOST}:${PORT:-8002}/v1', { HOST: 'example.com' }).value).toBe(
      'http://example.com:8002/v1',
    );
    expect(interpolate('${A:-x}${B:-y}', { A: '', B: 'set' }).value).toBe('xset');
    expect(interpolate('${EMPTY}|', { EMPTY: '' }).value).toBe('|');
    expect(interpolate('${A:-}', {}).value).toBe('');
  });

  it('writes a literal ${ for $${ and leaves other dollars alone', () => {
    const result = interpolate('cost $5, $${NOT_A_VAR}, $$ and $HOME', { NOT_A_VAR: 'no' });
    expect(result).toEqual({
      value: 'cost $5, ${NOT_A_VAR}, $$ and $HOME',
      substituted: false,
      missing: [],
      malformed: false,
    });
  });

  it('reports unset variables and malformed references', () => {
    expect(interpolate('${A}-${B}-${C:-c}', {})).toMatchObject({ value: '--c', missing: ['A', 'B'] });
    expect(interpolate('${not valid}', {}).malformed).toBe(true);
    expect(interpolate('${OPEN', {}).malformed).toBe(true);
  });

  it('types an unquoted scalar like YAML would', () => {
    expect(typePlainScalar('8002')).toBe(8002);
    expect(typePlainScalar('-2.5e1')).toBe(-25);
    expect(typePlainScalar('True')).toBe(true);
    expect(typePlainScalar('null')).toBeNull();
    expect(typePlainScalar('')).toBe('');
    expect(typePlainScalar('12345678901234567890')).toBe('12345678901234567890');
    expect(typePlainScalar('sk-1')).toBe('sk-1');
  });
});

describe('${VAR} in config files', () => {
  it('fills string values from the environment, typing unquoted ones, keeping quoted ones strings', () => {
    const { config } = loadWith(
      [
        'app_name: "${NAME}"',
        'http:',
        '  host: ${HOST:-localhost}',
        '  port: ${PORT}',
        'language: "${PORT}"',
        'llm: { default: { params: { base: "${BASE:-http://x}/v1", literal: "$${KEEP}" } } }',
      ].join('\n'),
      { NAME: 'Demo', PORT: '9000' },
    );
    expect(config.app_name).toBe('Demo');
    expect(config.http).toMatchObject({ host: 'localhost', port: 9000 });
    expect(config.language).toBe('9000');
    expect(config.llm.default?.params).toEqual({ base: 'http://x/v1', literal: '${KEEP}' });
  });

  it('interpolates after parsing, so a value cannot inject YAML', () => {
    const { config } = loadWith('language: ${LANG_VALUE}\n', { LANG_VALUE: 'zh\nhttp: { port: 1 }' });
    expect(config.language).toBe('zh\nhttp: { port: 1 }');
    expect(config.http.port).toBe(8002);
  });

  it('does not touch keys, numbers or config objects and overrides', () => {
    const { config } = loadConfig({
      backends: testBackends,
      dotenv: false,
      env: { X: 'no' },
      cwd: tempDir(),
      configs: [{ metadata: { a: '${X}' } }],
      overrides: ['metadata.b=${X}'],
    });
    expect(config.metadata).toEqual({ a: '${X}', b: '${X}' });
  });

  it('names the key path and the variable of an unset variable, never a value', () => {
    const error = thrown(() =>
      loadWith('http:\n  host: ${MISSING_HOST}\nmetadata: { key: "${API_TOKEN}-${SET}" }\n', {
        SET: 'sk-FAKE-visible',
      }),
    ) as ConfigError;
    expect(ConfigError.isInstance(error)).toBe(true);
    expect(error.issues.map(formatIssue)).toEqual([
      'c.yaml:2:9: http.host: environment variable MISSING_HOST is not set (write ${MISSING_HOST:-default} to give a default)',
      'c.yaml:3:18: metadata.key: environment variable API_TOKEN is not set (write ${API_TOKEN:-default} to give a default)',
    ]);
    expect(error.message).not.toContain('sk-FAKE-visible');
  });

  it('rejects a malformed reference and says how to escape', () => {
    const error = thrown(() => loadWith('language: "${bad name}"\n', {})) as ConfigError;
    expect(error.message).toBe(
      'c.yaml:1:11: language: a `${` that is not a `${VAR}` reference; write `$${` for a literal `${`',
    );
  });
});
