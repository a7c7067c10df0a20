import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { isInsideRoot } from './file-tools/sandbox-root.js';
import { WritingFileToolOp } from './file-tools/writing-file-tool-op.js';

const SHARED_USER_PROMPT = [
  '# File',
  '{file_path} (relative: {relative_path})',
  '',
  '# Code (cut short: {truncated_flag})',
  '```{code_language}',
  '{code_content}',
  '```',
];
const SHARED_USER_PROMPT_ZH = [
  '# 文件',
  '{file_path}（相对路径：{relative_path}）',
  '',
  '# 代码（是否截断：{truncated_flag}）',
  '```{code_language}',
  '{code_content}',
  '```',
];

/**
 * FlowLLM's `CodeAnalyseOp` (tool `code_analyse`): walks `code_dir` for files ending in `file_suffix`
 * (comma-separated, e.g. `ts,tsx`; minus names ending in `exclude_suffix`), asks the model about each
 * (at most `max_parallel_cnt` at once, the first `max_chars_per_file` characters of each) and writes
 * one Markdown analysis per file into `output_dir`, at the file's relative path with `.md` as its
 * extension. With a `query` the model first judges whether the file bears on it, and only relevant
 * files get an analysis; without, every file is explained.
 *
 * It reads a directory tree and writes files, so it is confined like the file tools: `code_dir` and
 * `output_dir` must lie inside `root_dir` (default: the working directory), and it does nothing
 * unless the flow sets `allow_write=True` (otherwise the refusal is the tool's answer). Unlike
 * FlowLLM's, which answers nothing on success, its result lists what it wrote. Files over
 * `max_file_bytes` are skipped; at most `max_files` files are analysed.
 *
 * @example
 * // flow_content: CodeAnalyseOp(root_dir="./repo", allow_write=True, max_parallel_cnt=2)
 * // input: {"code_dir": "src", "file_suffix": "ts", "exclude_suffix": "test.ts", "output_dir": "analysis"}
 */
export class CodeAnalyseOp extends WritingFileToolOp {
  // allow_write repeats the base's default: its static type wants the key listed.
  static override options = { allow_write: false, max_chars_per_file: 30000, max_parallel_cnt: 4 };
  static override prompts = {
    code_judge_system_prompt:
      'You are an experienced software engineer who reviews source code. You decide whether a file helps answer a question and, when it does, explain how, with the concrete functions, data structures and logic involved. Be precise and objective, answer in the language of the question, and use exactly the Markdown headings asked for.',
    code_judge_user_prompt: [
      ...SHARED_USER_PROMPT,
      '',
      '# Question',
      '{query}',
      '',
      '# What to write',
      'Under "### think", reason briefly about whether this code bears on the question.',
      'Under "### result", write only true or false.',
      'Only when the result is true, add "### explanation": how the code answers the question, naming the key functions, data structures and logic.',
      'Write nothing else.',
    ].join('\n'),
    code_analyse_system_prompt:
      'You are an experienced software engineer who explains source code: what it does, its key functions and data structures, and how control and data flow through it. Be precise and clear, and use exactly the Markdown headings asked for.',
    code_analyse_user_prompt: [
      ...SHARED_USER_PROMPT,
      '',
      '# What to write',
      'Under "### think", plan briefly how to explain this file.',
      'Under "### explanation", explain the code in detail.',
      'Write nothing else.',
    ].join('\n'),
    code_judge_system_prompt_zh:
      '你是一名有经验的软件工程师，负责审阅源代码：判断一个文件能否帮助回答问题，能的话说明如何回答，指出涉及的具体函数、数据结构和逻辑。要准确、客观，用提问所用的语言回答，并严格使用要求的 Markdown 标题。',
    code_judge_user_prompt_zh: [
      ...SHARED_USER_PROMPT_ZH,
      '',
      '# 问题',
      '{query}',
      '',
      '# 输出要求',
      '在 "### think" 下简要思考这段代码与问题是否相关。',
      '在 "### result" 下只写 true 或 false。',
      '只有结果为 true 时，再写 "### explanation"：代码如何回答问题，指出关键的函数、数据结构和逻辑。',
      '不要写其他内容。',
    ].join('\n'),
    code_analyse_system_prompt_zh:
      '你是一名有经验的软件工程师，负责讲解源代码：它做什么、关键函数和数据结构、控制流和数据流。要准确、清楚，并严格使用要求的 Markdown 标题。',
    code_analyse_user_prompt_zh: [
      ...SHARED_USER_PROMPT_ZH,
      '',
      '# 输出要求',
      '在 "### think" 下简要规划如何讲解这个文件。',
      '在 "### explanation" 下详细讲解代码。',
      '不要写其他内容。',
    ].join('\n'),
  };

  describeTool() {
    const text = (description: string, required: boolean) => ({
      type: 'string' as const,
      description,
      required,
    });
    return {
      description: `Walks code files, judges whether each bears on a query, and writes an explanation of each relevant one. ${this.rootNote()}`,
      input_schema: {
        query: text('The question or task the code should address; empty: explain every file.', false),
        code_dir: text('The directory of the code to read.', true),
        file_suffix: text("The file suffixes to include, comma-separated, e.g. 'py' or 'ts,tsx'.", true),
        exclude_suffix: text("Name endings to leave out, comma-separated, e.g. 'test.py'.", false),
        output_dir: text('The directory to write the analyses into.', true),
      },
    };
  }

  protected failurePrefix(): string {
    return 'Failed to analyse code';
  }

  protected async work(): Promise<string> {
    this.requireWrite();
    const suffixes = suffixSet(this.text('file_suffix'));
    if (suffixes.size === 0) return `file_suffix is empty or invalid: ${this.text('file_suffix')}`;
    const excluded = [...suffixSet(this.text('exclude_suffix'))];
    const codeDir = await this.confine(this.text('code_dir'), 'code_dir');
    const outputDir = await this.confine(this.text('output_dir'), 'output_dir');
    if (!(await stat(codeDir).catch(() => undefined))?.isDirectory()) {
      return `code_dir does not exist or is not a directory: ${codeDir}`;
    }
    const { files } = await this.walk(
      codeDir,
      (relative) =>
        suffixes.has(path.extname(relative)) &&
        !excluded.some((ending) => path.basename(relative).endsWith(ending)) &&
        !isInsideRoot(outputDir, path.join(codeDir, relative)),
    );
    const maxFiles = this.option<number>('max_files');
    const chosen = files.slice(0, maxFiles);
    const written: string[] = [];
    const query = this.text('query');
    await forEachLimited(chosen, Math.max(1, this.option<number>('max_parallel_cnt')), async (file) => {
      const explanation = await this.analyse(file.path, file.relative, query);
      if (explanation === undefined) return;
      const target = path.join(outputDir, `${file.relative.replace(/\.[^./]*$/, '')}.md`);
      await this.writeConfined(await this.confine(target, 'output_dir'), `${file.path}\n\n${explanation}`);
      written.push(path.relative(this.root, target));
    });
    const lines = [
      `Analysed ${chosen.length} file(s) in ${codeDir}; wrote ${written.length} analysis file(s) to ${outputDir}.`,
      ...written.sort().map((file) => `- ${file}`),
    ];
    if (files.length > chosen.length)
      lines.push(`Left out ${files.length - chosen.length} file(s) over max_files.`);
    return lines.join('\n');
  }

  /** The model's explanation of one file, or undefined when it is not relevant or too large to read. */
  private async analyse(file: string, relative: string, query: string): Promise<string | undefined> {
    if ((await stat(file)).size > this.option<number>('max_file_bytes')) return undefined;
    const source = (await readFile(file)).toString('utf8');
    const limit = this.option<number>('max_chars_per_file');
    const zh = this.language === 'zh';
    const kind = query ? 'code_judge' : 'code_analyse';
    const reply = await this.llm.chat(
      [
        { role: 'system', content: this.prompt(`${kind}_system_prompt`) },
        {
          role: 'user',
          content: this.prompt(`${kind}_user_prompt`, {
            query,
            file_path: file,
            relative_path: relative,
            truncated_flag: source.length > limit ? (zh ? '是' : 'yes') : zh ? '否' : 'no',
            code_language: path.extname(file).slice(1) || 'text',
            code_content: source.slice(0, limit),
          }),
        },
      ],
      { signal: this.signal, params: this.params },
    );
    const sections = sectionsByHeading(reply.content.trim(), ['### think', '### result', '### explanation']);
    if (query && !sections['### result']?.toLowerCase().includes('true')) return undefined;
    return sections['### explanation']?.trim() ?? '';
  }
}

/** `"ts, .tsx"` → `{'.ts', '.tsx'}`. */
function suffixSet(text: string): Set<string> {
  const tokens = text.split(',').map((token) => token.trim());
  return new Set(tokens.filter(Boolean).map((token) => (token.startsWith('.') ? token : `.${token}`)));
}

/** The text after each heading up to the next one found (FlowLLM's `parse_message_by_keys`). */
function sectionsByHeading(content: string, headings: string[]): Record<string, string> {
  const found = headings
    .map((heading) => ({ heading, at: content.indexOf(heading) }))
    .filter(({ at }) => at >= 0)
    .sort((a, b) => a.at - b.at);
  const sections: Record<string, string> = {};
  for (const [index, { heading, at }] of found.entries()) {
    sections[heading] = content.slice(at + heading.length, found[index + 1]?.at ?? content.length).trim();
  }
  return sections;
}

/** Runs `work` on every item, at most `limit` at once; the first failure stops new work and is thrown. */
async function forEachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const item = items[next++] as T;
      try {
        await work(item);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const results = await Promise.allSettled(Array.from({ length: Math.min(limit, items.length) }, worker));
  const rejection = results.find((result) => result.status === 'rejected');
  if (rejection) throw rejection.reason;
}
