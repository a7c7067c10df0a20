import { describe, expect, it } from 'vitest';
import type { FlowllmConfigInput } from '../../src/config/config-input.js';
import { createFlowApp } from '../../src/create-flow-app.js';

// Untyped on purpose: these tests feed wrong values to the runtime checks.
const llm = (entry: Record<string, unknown>) =>
  ({ llm: { default: entry } }) as unknown as FlowllmConfigInput;

describe('model backends in config', () => {
  it('anthropic takes ANTHROPIC_API_KEY, never FLOW_LLM_API_KEY (that key belongs to another provider)', () => {
    const config = llm({ backend: 'anthropic', model_name: 'claude-sonnet-4-5' });
    expect(() => createFlowApp({ config, env: { FLOW_LLM_API_KEY: 'sk-openai' } })).toThrow(
      "llm.default: anthropic: no API key: set ANTHROPIC_API_KEY or the entry's api_key",
    );
    const app = createFlowApp({ config, env: { ANTHROPIC_API_KEY: 'sk-ant' } });
    expect(app.resources.llm('default')).toMatchObject({
      backend: 'anthropic',
      modelName: 'claude-sonnet-4-5',
    });
    const fallback = createFlowApp({ config, env: {}, offlineFallback: true });
    expect(fallback.resources.llm('default').backend).toBe('mock');
    expect(fallback.notices[0]).toContain("llm 'default' (anthropic claude-sonnet-4-5): no API key");
  });

  it('openai_compatible takes FLOW_LLM_API_KEY; an entry api_key wins', () => {
    const config = llm({ backend: 'openai_compatible', model_name: 'qwen-max' });
    expect(() => createFlowApp({ config, env: {} })).toThrow('set FLOW_LLM_API_KEY');
    expect(createFlowApp({ config, env: { FLOW_LLM_API_KEY: 'k' } }).resources.llm('default').backend).toBe(
      'openai_compatible',
    );
    const own = llm({ backend: 'openai_compatible', model_name: 'qwen-max', api_key: 'sk-entry' });
    expect(createFlowApp({ config: own, env: {} }).resources.llm('default').modelName).toBe('qwen-max');
  });

  it('validates the retry keys', () => {
    const bad = llm({
      backend: 'openai_compatible',
      api_key: 'k',
      timeout: 0,
      max_retries: -1,
      retry_delay: 'soon',
    });
    let message = '';
    try {
      createFlowApp({ config: bad, env: {} });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('llm.default.timeout');
    expect(message).toContain('llm.default.max_retries');
    expect(message).toContain('llm.default.retry_delay');
  });

  it('memory and local vector stores take store_dir', () => {
    const app = createFlowApp({
      config: { vector_store: { mem: { backend: 'memory', store_dir: '/tmp/flowllm-dumps' } } },
      env: {},
    });
    expect(app.resources.vectorStore('mem')).toMatchObject({
      backend: 'memory',
      storeDir: '/tmp/flowllm-dumps',
    });
    expect(() =>
      createFlowApp({ config: { vector_store: { disk: { backend: 'local', store_dir: '' } } }, env: {} }),
    ).toThrow('vector_store.disk.store_dir');
  });
});
