import { BaseToolOp, type ToolDescriptionInput } from '../../op/base-tool-op.js';
import { fencedBlock } from '../conversation.js';

/**
 * FlowLLM's `MockSearchOp`: asks its model to make up 0–5 search results (`snippet`, `title`, `url`,
 * `hostname`, `hostlogo`) for the query and answers them as a JSON array. It runs offline on the mock
 * model, and — unlike FlowLLM's — it is also a tool (`mock_search`), so an offline agent has a
 * search tool. `num_results=N` fixes the count (FlowLLM always draws it at random).
 *
 * @example
 * // flow_content: ReactAgentOp() << [MockSearchOp(), ThinkToolOp()]
 */
export class MockSearchOp extends BaseToolOp {
  static override options = { num_results: null };
  static override prompts = {
    mock_search_op_prompt: [
      '# Task',
      'Make up {num_results} realistic web search results for the query: "{query}".',
      '',
      '# Each result',
      'A JSON object with these fields:',
      '- snippet: a summary of two or three sentences',
      '- title: the page title',
      '- url: a plausible URL, such as https://example.com/articles/some-title',
      '- hostname: the domain, such as example.com',
      '- hostlogo: a logo URL, such as https://example.com/logo.png, or ""',
      '',
      '# Rules',
      '- Every result is relevant to the query',
      '- Use varied, believable sources',
      '- URLs are well formed',
      '- With nothing relevant, return an empty array',
      '',
      '# Output',
      'First think briefly about good sources and angles:',
      '```think',
      'your reasoning',
      '```',
      'Then write only the JSON array, in a json code block:',
      '```json',
      '[{{"snippet": "...", "title": "...", "url": "...", "hostname": "...", "hostlogo": "..."}}]',
      '```',
    ].join('\n'),
  };

  describeTool(): ToolDescriptionInput {
    return {
      description: 'Searches the web for a query and returns the results as a JSON array.',
      input_schema: { query: { type: 'string', description: 'what to search for', required: true } },
    };
  }

  async execute(): Promise<void> {
    const query = String(this.input.query ?? '').trim();
    if (query === '') {
      this.setOutput('No results found.');
      return;
    }
    const fixed = this.option<number | null>('num_results');
    const numResults = typeof fixed === 'number' ? fixed : Math.floor(Math.random() * 6);
    const reply = await this.llm.chat(
      [
        { role: 'system', content: 'You make up realistic web search results, written as JSON.' },
        { role: 'user', content: this.prompt('mock_search_op_prompt', { query, num_results: numResults }) },
      ],
      { signal: this.signal, params: this.params },
    );
    this.setOutput(JSON.stringify(parseResults(reply.content), null, 2));
  }
}

/** The JSON array in the reply's json block (or the whole reply); anything else counts as no results. */
function parseResults(content: string): unknown[] {
  try {
    const parsed: unknown = JSON.parse(fencedBlock(content, 'json') ?? content);
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
}
