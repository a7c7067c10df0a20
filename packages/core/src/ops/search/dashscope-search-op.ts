import { searchAnswerError } from './search-api.js';
import { WebSearchApiOp } from './web-search-api-op.js';

const GENERATION_PATH = '/services/aigc/text-generation/generation';

/**
 * What a DashScope search finds: the model's answer (the op's result) and the sources it read; the
 * op cache stores this whole record, as FlowLLM's.
 *
 * @example
 * const found: DashscopeSearchResult = { query: 'ai news', search_results: [], response_content: '…', model: 'qwen-plus', search_strategy: 'max' };
 */
export interface DashscopeSearchResult {
  query: string;
  /** DashScope's `search_info.search_results`: `{index, title, url, site_name, icon}` items. */
  search_results: unknown[];
  response_content: string;
  model: string;
  search_strategy: string;
}

/**
 * FlowLLM's `DashscopeSearchOp`: a web search tool (`dashscope_search`, input `query`) answered by a
 * DashScope model with web search forced on. The result is the model's answer, which quotes what it
 * found. It calls DashScope's text-generation HTTP API (what the `dashscope` SDK's `Generation.call`
 * sends) with `DASHSCOPE_API_KEY`; `DASHSCOPE_HTTP_BASE_URL` (the SDK's variable) or `base_url=`
 * points it elsewhere. With `enable_cache=True` results are cached by query.
 *
 * Options: `model` ("qwen-plus"), `search_strategy` ("max"), `enable_role_prompt` (true: the query is
 * wrapped in a prompt asking for the relevant passages), and those of {@link WebSearchApiOp}
 * (`timeout` 120 s here). Other kwargs (e.g. `temperature`) go into the request's `parameters`.
 *
 * @example
 * // flow_content: ReactAgentOp() << DashscopeSearchOp(search_strategy="turbo")
 */
export class DashscopeSearchOp extends WebSearchApiOp {
  static override options = {
    model: 'qwen-plus',
    search_strategy: 'max',
    enable_role_prompt: true,
    timeout: 120,
  };
  static override prompts = {
    role_prompt: [
      "# The user's question",
      '{query}',
      '',
      '# Task',
      'From the search results in your context, take the passages that bear on the question and give them as they are: accurate, close to the source, without rewriting or embellishing them.',
    ].join('\n'),
    role_prompt_zh: [
      '# 用户的问题',
      '{query}',
      '',
      '# 任务',
      '从上下文的搜索结果中找出与问题相关的段落，按原文给出：准确、贴近来源，不改写，不加工。',
    ].join('\n'),
  };

  readonly service = 'DashScope';
  readonly keyVariable = 'DASHSCOPE_API_KEY';

  defaultBaseUrl(): string {
    return (
      (this.context.resources.env ?? process.env).DASHSCOPE_HTTP_BASE_URL ||
      'https://dashscope.aliyuncs.com/api/v1'
    );
  }

  describeTool() {
    return {
      description:
        'Searches the internet for a keyword and returns the relevant information found. For several keywords, call this tool once for each.',
      input_schema: { query: { type: 'string' as const, description: 'the search keyword', required: true } },
    };
  }

  async execute(): Promise<void> {
    const query = String(this.input.query ?? '');
    const found = await this.cache(query, () => this.search(query));
    this.setOutput(found.response_content);
  }

  private async search(query: string): Promise<DashscopeSearchResult> {
    const model = this.option<string>('model');
    const strategy = this.option<string>('search_strategy');
    const content = this.option<boolean>('enable_role_prompt')
      ? this.prompt('role_prompt', { query })
      : query;
    const answer = await this.post(GENERATION_PATH, {
      model,
      input: { messages: [{ role: 'user', content }] },
      parameters: {
        ...this.params,
        result_format: 'message',
        enable_search: true,
        search_options: {
          forced_search: true,
          enable_source: true,
          enable_citation: false,
          search_strategy: strategy,
        },
      },
    });
    const output = (answer as { output?: unknown } | null)?.output as DashscopeOutput | undefined;
    if (typeof output !== 'object' || output === null)
      throw searchAnswerError(this.service, 'answered without an output');
    const results = output.search_info?.search_results;
    const reply = output.choices?.[0]?.message?.content;
    return {
      query,
      search_results: Array.isArray(results) ? results : [],
      response_content: typeof reply === 'string' ? reply : '',
      model,
      search_strategy: strategy,
    };
  }
}

/** The part of DashScope's answer the op reads. */
interface DashscopeOutput {
  choices?: { message?: { content?: unknown } }[];
  search_info?: { search_results?: unknown };
}
