import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, formatIssue } from '../../src/config/config-error.js';
import { loadConfig } from '../../src/config/load.js';
import { parseYamlLayer } from '../../src/config/yaml-layer.js';
import { removeTempDirs, tempDir, testBackends, thrown } from './fixtures/test-backends.js';

afterAll(removeTempDirs);

const load = (options: Omit<Parameters<typeof loadConfig>[0], 'backends'>) =>
  loadConfig({ backends: testBackends, dotenv: false, env: {}, ...options });

const yamlIssues = (text: string) => {
  const error = thrown(() => parseYamlLayer(text, 'big.yaml', {}));
  expect(ConfigError.isInstance(error)).toBe(true);
  return (error as ConfigError).issues.map(formatIssue);
};

/** `a: &a [x × 10]`, then each level an anchored list of ten aliases to the level before. */
function billionLaughs(levels: number): string {
  const names = Array.from({ length: levels }, (_, i) => `l${i}`);
  const lines = [`${names[0]}: &${names[0]} [${Array(10).fill('lol').join(', ')}]`];
  for (let i = 1; i < levels; i++)
    lines.push(
      `${names[i]}: &${names[i]} [${Array(10)
        .fill(`*${names[i - 1]}`)
        .join(', ')}]`,
    );
  return `${lines.join('\n')}\n`;
}

describe('YAML aliases: bounded by the values they expand to', () => {
  it('refuses a billion-laughs file (10 levels of 10 aliases), naming the alias that blew the budget', () => {
    const text = billionLaughs(10);
    const issues = yamlIssues(text);
    // A value costs 1 and a string 1 per character: levels 0-2 cost 4,684 (each 'lol' 4); each alias of l3
    // adds 4,222, so its 2nd (l3.1) passes the budget of 10,000 + twice the text.
    expect(issues).toEqual([
      `big.yaml:4:15: l3.1: expanding the alias *l2 takes the file past ${10_000 + 2 * text.length} values and characters, ` +
        'the limit for its size: an alias may repeat a value, not multiply it without bound',
    ]);
  });

  it('refuses a file that repeats one big anchored list a hundred times (linear in its size)', () => {
    // The shape of a 400 KB file that would expand to gigabytes, at a tenth of the size.
    const big = `data: &big [${Array(13_000).fill('x').join(',')}]\n`;
    const text = `${big}copies: [${Array(100).fill('*big').join(', ')}]\n`;
    const issues = yamlIssues(text);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/^big\.yaml:2:\d+: copies\.\d+: expanding the alias \*big takes the file past/);
  });

  it('refuses a long string repeated by aliases (copying or serialising it would take gigabytes)', () => {
    // 100,000 characters named once, repeated 25,000 times: under 400 KB of YAML, 2.5 GB of text.
    const text = `description: &s "${'x'.repeat(100_000)}"\ndefault: [${Array(25_000).fill('*s').join(', ')}]\n`;
    const issues = yamlIssues(text);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/^big\.yaml:2:\d+: default\.\d+: expanding the alias \*s takes the file past/);
  });

  it('loads a file whose one long string has no alias: the budget grows with the file', () => {
    const text = `metadata:\n  note: "${'n'.repeat(500_000)}"\n  again: [${Array(1000).fill('short').join(', ')}]\n`;
    const { value } = parseYamlLayer(text, 'long.yaml', {});
    expect((value.metadata as { note: string }).note.length).toBe(500_000);
  });

  it('loads a file of 20,000 aliases to one small value: each costs one value', () => {
    const text = `one: &one 1\nmany: [${Array(20_000).fill('*one').join(',')}]\n`;
    const { value } = parseYamlLayer(text, 'many.yaml', {});
    expect((value.many as number[]).length).toBe(20_000);
    expect((value.many as number[]).every((item) => item === 1)).toBe(true);
  });

  it('refuses an alias inside the value it names, at the alias', () => {
    expect(yamlIssues('a: &a [1, *a]\n')).toEqual([
      'big.yaml:1:11: a.1.1: the alias *a is inside the value it names (a cycle)',
    ]);
  });

  it('still loads a normal config file with a few aliases', () => {
    const cwd = tempDir({
      'app.yaml': [
        'shared: &schema',
        '  query: { type: string, description: the question }',
        'flow:',
        '  ask: { flow_content: A(), input_schema: *schema }',
        '  ask_again: { flow_content: B(), input_schema: *schema, timeout: 30 }',
        'metadata: { owner: &owner team-a, reviewers: [*owner, *owner] }',
        '',
      ].join('\n'),
    });
    const { config } = load({ cwd, configs: ['app'] });
    expect(config.flow.ask?.input_schema.query?.description).toBe('the question');
    expect(config.flow.ask_again?.input_schema).toEqual(config.flow.ask?.input_schema);
    expect(config.flow.ask_again?.timeout).toBe(30);
    expect(config.metadata).toEqual({ owner: 'team-a', reviewers: ['team-a', 'team-a'] });
  });

  it('does not bound a config given as an object: it is already in memory', () => {
    const tags = Array.from({ length: 50_000 }, (_, i) => `tag-${i}`);
    const shared = { tags };
    const { config } = load({ cwd: tempDir(), configs: [{ metadata: { a: shared, b: shared, c: shared } }] });
    expect((config.metadata.c as { tags: string[] }).tags).toHaveLength(50_000);
  });
});
