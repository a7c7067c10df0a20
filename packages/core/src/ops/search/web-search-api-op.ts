import { BaseToolOp } from '../../op/base-tool-op.js';
import { OpConfigError } from '../../op/op-errors.js';
import { postSearchJson, searchApiKey, searchBaseUrl } from './search-api.js';

/**
 * The base of the search ops that call a web search service over HTTP (`DashscopeSearchOp`,
 * `TavilySearchOp`): the API key from the environment, the base URL, and the limits of one call.
 *
 * Options: `base_url` (the service's address, e.g. a local fake or a proxy; default: the subclass's),
 * `timeout` (seconds for the whole call, 60), `max_response_bytes` (the largest answer read, 8 MiB).
 *
 * @example
 * class MySearchOp extends WebSearchApiOp {
 *   readonly service = 'MySearch';
 *   readonly keyVariable = 'MY_SEARCH_API_KEY';
 *   defaultBaseUrl() { return 'https://search.example.com'; }
 *   describeTool() { return { description: 'Searches the web.', input_schema: { query: { type: 'string' as const } } }; }
 *   async execute() { this.setOutput(JSON.stringify(await this.post('/search', { q: this.input.query }))); }
 * }
 */
export abstract class WebSearchApiOp extends BaseToolOp {
  static override options: Record<string, unknown> = {
    base_url: null,
    timeout: 60,
    max_response_bytes: 8 * 1024 * 1024,
  };

  /** The service's name, for messages ("Tavily"). */
  abstract readonly service: string;
  /** The environment variable holding the API key (as FlowLLM names it). */
  abstract readonly keyVariable: string;
  /** The service's address when no `base_url` is given. */
  abstract defaultBaseUrl(): string;

  constructor(kwargs: Record<string, unknown> = {}) {
    super(kwargs);
    const name = this.constructor.name;
    const configured = this.option<string | null>('base_url');
    if (configured !== null) searchBaseUrl(name, configured, configured);
    for (const key of ['timeout', 'max_response_bytes']) {
      if (!(this.option<number>(key) > 0))
        throw new OpConfigError(`${name}: option '${key}' must be more than 0`);
    }
  }

  /** POSTs `body` to `path` under the base URL, with the API key; see `postSearchJson` for failures. */
  protected post(path: string, body: unknown): Promise<unknown> {
    const name = this.constructor.name;
    const base = searchBaseUrl(name, this.option<string | null>('base_url'), this.defaultBaseUrl());
    return postSearchJson({
      service: this.service,
      url: `${base}${path}`,
      apiKey: searchApiKey(name, this.keyVariable, this.context.resources.env),
      body,
      signal: this.signal,
      timeoutSeconds: this.option<number>('timeout'),
      maxBytes: this.option<number>('max_response_bytes'),
    });
  }
}
