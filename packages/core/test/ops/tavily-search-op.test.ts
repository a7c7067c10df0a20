// TavilySearchOp against a local fake of Tavily's search and extract API.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFlowApp } from '../../src/create-flow-app.js';
import { failureOf } from '../helpers/failures.js';
import { type FakeApi, startFakeTavily } from './helpers/search-api-fakes.js';

/** The apps' environment (`createFlowApp({ env })`): search ops read their keys from it, not process.env. */
const testEnv: Record<string, string> = {};

const KEY = 'tvly-0123456789abcdef';
let fake: FakeApi;

beforeEach(async () => {
  testEnv.TAVILY_API_KEY = KEY;
  fake = await startFakeTavily(KEY, (call) => script(call.path, call.body));
});
afterEach(async () => {
  for (const name of Object.keys(testEnv)) delete testEnv[name];
  await fake.close();
});

// Per test: the fake's answer to a path, or undefined for its normal one.
let script: (path: string, body: unknown) => { body: unknown } | undefined = () => undefined;
beforeEach(() => {
  script = () => undefined;
});

function searchApp(kwargs = '') {
  const options = [`base_url="${fake.url}"`, kwargs].filter(Boolean).join(', ');
  return createFlowApp({
    env: testEnv,
    config: { flow: { search: { flow_content: `TavilySearchOp(${options})` } } },
  });
}

describe('TavilySearchOp', () => {
  it('POSTs the query with the bearer key and answers the results by URL, indented as FlowLLM prints them', async () => {
    const response = await searchApp('max_results=2').run('search', { query: 'node streams' });
    expect(fake.calls.map((call) => [call.path, call.authorization])).toEqual([['/search', `Bearer ${KEY}`]]);
    expect(fake.calls[0]?.body).toEqual({ max_results: 2, query: 'node streams' });
    const text = String(response.answer);
    const parsed = JSON.parse(text) as Record<string, { title: string }>;
    expect(Object.keys(parsed)).toEqual(['https://example.com/1', 'https://example.com/2']);
    expect(parsed['https://example.com/1']?.title).toBe('Result 1 for node streams');
    expect(text).toBe(JSON.stringify(parsed, null, 2));
  });

  it('fails with an exposed error when Tavily finds nothing', async () => {
    script = () => ({ body: { query: 'q', results: [] } });
    const failure = await failureOf(searchApp().run('search', { query: 'q' }));
    expect(failure.message).toContain('Tavily found no results');
    expect(failure.expose).toBe(true);
  });

  it('with enable_extract=True adds each page text, cut to item_max_char_count and all_max_char_count', async () => {
    script = (path, body) =>
      path === '/extract'
        ? {
            body: {
              results: (body as { urls: string[] }).urls.map((url) => ({
                url,
                raw_content: `${url} `.repeat(10),
              })),
            },
          }
        : undefined;
    const response = await searchApp(
      'enable_extract=True, item_max_char_count=30, all_max_char_count=40',
    ).run('search', { query: 'q' });
    expect(fake.calls.map((call) => call.path)).toEqual(['/search', '/extract']);
    expect(fake.calls[1]?.body).toEqual({ urls: ['https://example.com/1', 'https://example.com/2'] });
    const parsed = JSON.parse(String(response.answer)) as Record<
      string,
      { raw_content: string; title: string }
    >;
    expect(parsed['https://example.com/1']?.raw_content).toHaveLength(30);
    expect(parsed['https://example.com/1']?.title).toBe('Result 1 for q');
    expect(parsed['https://example.com/2']?.raw_content).toHaveLength(10);
  });

  it('drops pages without text, and fails when none has any', async () => {
    script = (path, body) =>
      path === '/extract'
        ? { body: { results: (body as { urls: string[] }).urls.map((url) => ({ url, raw_content: '' })) } }
        : undefined;
    const failure = await failureOf(searchApp('enable_extract=True').run('search', { query: 'q' }));
    expect(failure.message).toContain('Tavily extracted no page text');
  });
});
