import { searchAnswerError } from './search-api.js';
import { WebSearchApiOp } from './web-search-api-op.js';

type TavilyItem = Record<string, unknown> & { url: string };

/**
 * FlowLLM's `TavilySearchOp`: a web search tool (`tavily_search`, input `query`) on Tavily's search
 * API (`POST /search`, `TAVILY_API_KEY` as a bearer token; `base_url=` points it elsewhere). The result
 * is a JSON object of the results by URL (`title`, `url`, `content`, `score`, …), indented as FlowLLM
 * prints it; no results fail the call, as FlowLLM's. With `enable_cache=True` results are cached by
 * query.
 *
 * Options: `enable_extract` (false: true also fetches each page's text with `POST /extract` and keeps
 * the pages that have some, as `raw_content`), `item_max_char_count` (20000 characters per page),
 * `all_max_char_count` (50000 in all), and those of {@link WebSearchApiOp}. Other kwargs
 * (`max_results=3`, `search_depth="advanced"`, `topic="news"`) go into the search request.
 *
 * @example
 * // flow_content: ReactAgentOp() << TavilySearchOp(max_results=3)
 */
export class TavilySearchOp extends WebSearchApiOp {
  static override options = { enable_extract: false, item_max_char_count: 20000, all_max_char_count: 50000 };

  readonly service = 'Tavily';
  readonly keyVariable = 'TAVILY_API_KEY';

  defaultBaseUrl(): string {
    return 'https://api.tavily.com';
  }

  describeTool() {
    return {
      description: 'Searches the internet for a keyword and returns the relevant results.',
      input_schema: { query: { type: 'string' as const, description: 'the search keyword', required: true } },
    };
  }

  async execute(): Promise<void> {
    const query = String(this.input.query ?? '');
    const found = await this.cache(query, () => this.search(query));
    this.setOutput(JSON.stringify(found, null, 2));
  }

  private async search(query: string): Promise<Record<string, TavilyItem>> {
    const answer = await this.post('/search', { ...this.params, query });
    const items = itemsOf(answer);
    if (items.length === 0) throw searchAnswerError(this.service, 'found no results');
    const byUrl = Object.fromEntries(items.map((item) => [item.url, item]));
    return this.option<boolean>('enable_extract') ? this.withPageText(byUrl) : byUrl;
  }

  /** The results whose page text Tavily extracted, each with `raw_content` cut to the limits. */
  private async withPageText(byUrl: Record<string, TavilyItem>): Promise<Record<string, TavilyItem>> {
    const pages = itemsOf(await this.post('/extract', { urls: Object.keys(byUrl) }));
    const perItem = this.option<number>('item_max_char_count');
    let left = this.option<number>('all_max_char_count');
    const kept: Record<string, TavilyItem> = {};
    for (const page of pages) {
      const text = clip(
        typeof page.raw_content === 'string' ? page.raw_content : '',
        Math.min(perItem, left),
      );
      if (text === '') continue;
      kept[page.url] = { ...(byUrl[page.url] ?? { url: page.url }), raw_content: text };
      left -= [...text].length;
    }
    if (Object.keys(kept).length === 0) throw searchAnswerError(this.service, 'extracted no page text');
    return kept;
  }
}

/** The `results` of a Tavily answer that have a URL. */
function itemsOf(answer: unknown): TavilyItem[] {
  const results = (answer as { results?: unknown } | null)?.results;
  if (!Array.isArray(results)) return [];
  return results.filter(
    (item): item is TavilyItem => typeof item === 'object' && item !== null && typeof item.url === 'string',
  );
}

/** The first `max` characters (code points, as Python counts them). */
function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  return [...text].slice(0, max).join('');
}
