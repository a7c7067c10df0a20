// CodeAnalyseOp: walks a confined code directory, asks the model about each file (a bounded number at
// once) and writes Markdown analyses — only with allow_write, only inside root_dir.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FlowllmConfigInput } from '../../src/config/config-input.js';
import { createFlowApp } from '../../src/create-flow-app.js';
import { FlowllmError } from '../../src/errors.js';
import type { BackendDefinition } from '../../src/models/backend-registry.js';
import type { AssistantMessage, Llm, Message } from '../../src/models/types.js';

const RELEVANT = '### think\nIt parses.\n### result\ntrue\n### explanation\nThe parser lives here.';
const IRRELEVANT = '### think\nUnrelated.\n### result\nfalse';
const EXPLAINED = '### think\nPlan.\n### explanation\nIt exports one function.';

/** A model that records prompts and how many calls overlap; calls wait until `overlap` are running. */
class GatedLlm implements Llm {
  readonly backend = 'gated';
  readonly modelName = 'gated';
  prompts: string[] = [];
  active = 0;
  maxActive = 0;
  private waiting: (() => void)[] = [];
  constructor(
    private readonly overlap: number,
    private readonly total: number,
  ) {}

  async chat(messages: Message[]): Promise<AssistantMessage> {
    const prompt = messages.at(-1)?.content ?? '';
    this.prompts.push(prompt);
    this.active++;
    this.maxActive = Math.max(this.maxActive, this.active);
    await new Promise<void>((resolve) => {
      this.waiting.push(resolve);
      // Everyone goes once `overlap` calls run together, or once no more will start.
      if (this.active >= this.overlap || this.prompts.length === this.total)
        for (const go of this.waiting.splice(0)) go();
    });
    this.active--;
    const [code = '', question] = prompt.split('# Question');
    const content = question === undefined ? EXPLAINED : code.includes('parseThing') ? RELEVANT : IRRELEVANT;
    return { role: 'assistant', content };
  }

  // biome-ignore lint/correctness/useYield: never streamed by CodeAnalyseOp
  async *stream(): AsyncGenerator<never> {
    throw new Error('not used');
  }
}

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function project(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'flowllm-code-analyse-'));
  roots.push(root);
  const files: Record<string, string> = {
    'src/parser.ts': 'export function parseThing() {}',
    'src/format.ts': 'export const format = 1;',
    'src/parser.test.ts': 'test("parseThing")',
    'src/ui/view.tsx': 'export const View = () => null;',
    'src/notes.md': '# notes',
  };
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
  return root;
}

function analyseApp(root: string, kwargs: string, llm: GatedLlm) {
  const backend: BackendDefinition<'llm'> = { kind: 'llm', name: 'gated', keys: {}, create: () => llm };
  return createFlowApp({
    env: {},
    backends: [backend],
    // A backend of this test's own, not declared to the config type.
    config: {
      llm: { default: { backend: 'gated' } },
      flow: { analyse: { flow_content: `CodeAnalyseOp(root_dir="${root}"${kwargs})` } },
    } as unknown as FlowllmConfigInput,
  });
}

const input = { code_dir: 'src', file_suffix: 'ts, tsx', exclude_suffix: 'test.ts', output_dir: 'analysis' };

describe('CodeAnalyseOp', () => {
  it('without allow_write refuses, reads nothing and writes nothing', async () => {
    const root = project();
    const llm = new GatedLlm(1, 1);
    const failure = await analyseApp(root, '', llm)
      .run('analyse', input)
      .catch((error: unknown) => error);
    expect(FlowllmError.isInstance(failure) && failure.expose).toBe(true);
    expect((failure as Error).message).toContain('CodeAnalyseOp is off: set allow_write=True');
    expect(llm.prompts).toHaveLength(0);
    expect(existsSync(path.join(root, 'analysis'))).toBe(false);
  });

  it('with a query writes an analysis of each relevant file, at most max_parallel_cnt model calls at once', async () => {
    const root = project();
    const llm = new GatedLlm(2, 3);
    const response = await analyseApp(root, ', allow_write=True, max_parallel_cnt=2', llm).run('analyse', {
      ...input,
      query: 'where is parseThing?',
    });
    // parser.ts, format.ts and ui/view.tsx: the test file and the .md are left out.
    expect(llm.prompts).toHaveLength(3);
    expect(llm.maxActive).toBe(2);
    expect(readdirSync(path.join(root, 'analysis'), { recursive: true })).toEqual(['parser.md']);
    const analysis = readFileSync(path.join(root, 'analysis', 'parser.md'), 'utf8');
    expect(analysis).toBe(`${path.join(root, 'src', 'parser.ts')}\n\nThe parser lives here.`);
    expect(String(response.answer)).toContain('Analysed 3 file(s)');
    expect(String(response.answer)).toContain(`- ${path.join('analysis', 'parser.md')}`);
  });

  it('without a query explains every file, keeping the folder layout, and cuts files at max_chars_per_file', async () => {
    const root = project();
    const llm = new GatedLlm(4, 3);
    await analyseApp(root, ', allow_write=True, max_chars_per_file=10', llm).run('analyse', input);
    expect(readdirSync(path.join(root, 'analysis'), { recursive: true }).sort()).toEqual([
      'format.md',
      'parser.md',
      'ui',
      path.join('ui', 'view.md'),
    ]);
    expect(readFileSync(path.join(root, 'analysis', 'ui', 'view.md'), 'utf8')).toContain(
      'It exports one function.',
    );
    const parserPrompt = llm.prompts.find((prompt) => prompt.includes('parser.ts')) ?? '';
    expect(parserPrompt).toContain('cut short: yes');
    expect(parserPrompt).toContain('```ts\nexport fun\n```');
  });

  it.each([
    ['code_dir', { code_dir: '..' }],
    ['output_dir', { output_dir: '../elsewhere' }],
  ])('refuses a %s outside root_dir', async (_field, change) => {
    const root = project();
    const llm = new GatedLlm(1, 1);
    const failure = await analyseApp(root, ', allow_write=True', llm)
      .run('analyse', { ...input, ...change })
      .catch((error: unknown) => error);
    expect((failure as Error).message).toContain('is outside the directory this tool may use');
    expect(llm.prompts).toHaveLength(0);
    expect(existsSync(path.join(path.dirname(root), 'elsewhere'))).toBe(false);
  });

  it("answers FlowLLM's text for a code_dir that is not a directory", async () => {
    const root = project();
    const response = await analyseApp(root, ', allow_write=True', new GatedLlm(1, 1)).run('analyse', {
      ...input,
      code_dir: 'missing',
    });
    expect(response.answer).toBe(
      `code_dir does not exist or is not a directory: ${path.join(root, 'missing')}`,
    );
  });
});
