import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFlowApp } from '../../src/create-flow-app.js';
import { formatPrompt } from '../../src/op/prompt-format.js';
import { PromptTemplates, promptFileBeside } from '../../src/op/prompt-templates.js';
import { GreetOp } from '../fixtures/prompt-op/greet_op.js';

const appWith = (flowContent: string, language = '') =>
  createFlowApp({
    config: { language, flow: { f: { flow_content: flowContent } } },
    ops: [GreetOp],
    env: {},
  });

describe('prompts', () => {
  it('loads the YAML file beside the op, keeps [flag] lines only when the flag is true', async () => {
    const app = appWith('GreetOp()');
    expect((await app.run('f', { query: 'Ada', polite: true })).answer).toBe(
      'Hello Ada!\nIt is a pleasure to meet you.\nBraces stay: {literal}',
    );
    expect((await app.run('f', { query: 'Ada' })).answer).toBe('Hello Ada!\nBraces stay: {literal}');
  });

  it('prefers name_<language> from the config language, or the op language kwarg', async () => {
    expect((await appWith('GreetOp()', 'zh').run('f', { query: 'Ada', polite: true })).answer).toBe(
      '你好 Ada!\n很高兴认识你。',
    );
    expect((await appWith('GreetOp(language="zh")').run('f', { query: 'Ada' })).answer).toBe('你好 Ada!');
    expect((await appWith('GreetOp(language="fr")').run('f', { query: 'Ada' })).answer).toContain(
      'Hello Ada!',
    );
  });

  it('prompt_path replaces the file; inline entries stay available', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowllm-prompt-'));
    const file = join(dir, 'custom.yaml');
    writeFileSync(file, 'greet: "Yo {who}"\n');
    const app = appWith(`GreetOp(prompt_path=${JSON.stringify(file)})`);
    expect((await app.run('f', { query: 'Ada' })).answer).toBe('Yo Ada');
    expect(
      PromptTemplates.fromFile(file)
        .merge(new PromptTemplates({ a: 'b' }))
        .names(),
    ).toEqual(['greet', 'a']);
  });

  it('a broken prompt file fails at start-up with the file name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowllm-prompt-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'greet: [unclosed\n');
    expect(() => appWith(`GreetOp(prompt_path=${JSON.stringify(file)})`)).toThrow(file);
    expect(() => appWith('GreetOp(prompt_path="/nope/missing.yaml")')).toThrow(
      'cannot read prompt file /nope/missing.yaml',
    );
  });

  it('derives the prompt file name from the op module', () => {
    expect(promptFileBeside('file:///a/b/gen_system_prompt_op.ts')).toBe(
      '/a/b/gen_system_prompt_prompt.yaml',
    );
    expect(promptFileBeside('file:///a/b/search.js')).toBe('/a/b/search_prompt.yaml');
  });

  it('formatPrompt: missing fields, unknown prompts and non-string values', () => {
    expect(() => formatPrompt('Hi {name}', {}, 'greet')).toThrow("prompt 'greet' needs a value for {name}");
    expect(formatPrompt('{a} {b} {c}', { a: 1, b: { x: 1 }, c: null })).toBe('1 {"x":1} ');
    expect(formatPrompt('[flag]kept as is', { other: true })).toBe('[flag]kept as is');
    expect(() => new PromptTemplates({ a: 'x' }).get('b')).toThrow("no prompt named 'b' (known prompts: a)");
  });
});
