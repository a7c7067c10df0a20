// DashscopeSearchOp against a local fake of DashScope's text-generation API.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFlowApp } from '../../src/create-flow-app.js';
import { type FakeApi, startFakeDashscope } from './helpers/search-api-fakes.js';

/** The apps' environment (`createFlowApp({ env })`): search ops read their keys from it, not process.env. */
const testEnv: Record<string, string> = {};

const KEY = 'sk-dash-0123456789abcdef';
let fake: FakeApi;

beforeEach(async () => {
  testEnv.DASHSCOPE_API_KEY = KEY;
  fake = await startFakeDashscope(KEY);
});
afterEach(async () => {
  for (const name of Object.keys(testEnv)) delete testEnv[name];
  await fake.close();
});

function searchApp(kwargs = '', extra: Record<string, unknown> = {}) {
  const options = [`base_url="${fake.url}"`, kwargs].filter(Boolean).join(', ');
  return createFlowApp({
    env: testEnv,
    config: { language: '', ...extra, flow: { search: { flow_content: `DashscopeSearchOp(${options})` } } },
  });
}

describe('DashscopeSearchOp', () => {
  it("sends FlowLLM's request (forced web search, role prompt, bearer key) and answers the model's content", async () => {
    const response = await searchApp().run('search', { query: 'flowllm release' });
    expect(fake.calls).toHaveLength(1);
    const call = fake.calls[0]!;
    expect(call.authorization).toBe(`Bearer ${KEY}`);
    expect(call.body).toMatchObject({
      model: 'qwen-plus',
      parameters: {
        result_format: 'message',
        enable_search: true,
        search_options: {
          forced_search: true,
          enable_source: true,
          enable_citation: false,
          search_strategy: 'max',
        },
      },
    });
    const [message] = (call.body as { input: { messages: { role: string; content: string }[] } }).input
      .messages;
    expect(message?.role).toBe('user');
    expect(message?.content).toContain('flowllm release');
    expect(message?.content).not.toBe('flowllm release');
    expect(response.answer).toBe(`Found on the web for: ${message?.content}`);
  });

  it('sends the bare query with enable_role_prompt=False, and its options and extra kwargs', async () => {
    await searchApp(
      'enable_role_prompt=False, model="qwen-max", search_strategy="turbo", temperature=0.1',
    ).run('search', { query: 'weather in Hangzhou' });
    expect(fake.calls[0]?.body).toMatchObject({
      model: 'qwen-max',
      input: { messages: [{ role: 'user', content: 'weather in Hangzhou' }] },
      parameters: { temperature: 0.1, enable_search: true, search_options: { search_strategy: 'turbo' } },
    });
  });

  it('uses the Chinese role prompt with language zh', async () => {
    await searchApp('', { language: 'zh' }).run('search', { query: '杭州天气' });
    const body = fake.calls[0]?.body as { input: { messages: { content: string }[] } };
    expect(body.input.messages[0]?.content).toMatch(/杭州天气[\s\S]*任务/);
  });

  it('DASHSCOPE_HTTP_BASE_URL points it elsewhere when base_url is not given', async () => {
    testEnv.DASHSCOPE_HTTP_BASE_URL = fake.url;
    const app = createFlowApp({
      env: testEnv,
      config: { flow: { search: { flow_content: 'DashscopeSearchOp()' } } },
    });
    await app.run('search', { query: 'q' });
    expect(fake.calls).toHaveLength(1);
  });

  it('with enable_cache=True a repeated query is answered from the cache', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowllm-dashscope-cache-'));
    const app = searchApp(`enable_cache=True, cache_path="${dir}"`);
    const first = await app.run('search', { query: 'cached question' });
    const second = await app.run('search', { query: 'cached question' });
    expect(second.answer).toBe(first.answer);
    expect(fake.calls).toHaveLength(1);
    await app.run('search', { query: 'another question' });
    expect(fake.calls).toHaveLength(2);
  });

  it('refuses a base_url that is not an http(s) URL at load', () => {
    expect(() =>
      createFlowApp({
        env: testEnv,
        config: { flow: { search: { flow_content: 'DashscopeSearchOp(base_url="file:///etc")' } } },
      }),
    ).toThrow(/option 'base_url' must be an http\(s\) URL/);
  });
});
