import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import { createFlowApp } from '../../src/create-flow-app.js';

const flow = (content: string) => ({ flow: { a: { flow_content: content } } });

describe("FlowLLM's named models in the built-in layer", () => {
  it('cost nothing until a flow names one: no key needed, and using one anyway says which key is missing', () => {
    const app = createFlowApp({ env: {}, config: flow('ChatOp()') });
    expect(app.resources.names('llm')).toContain('qwen3_30b_instruct');
    expect(() => app.resources.llm('qwen3_30b_instruct')).toThrow(
      /llm 'qwen3_30b_instruct' cannot be used: .*FLOW_LLM_API_KEY/,
    );
  });

  it('a flow naming one needs its key at start-up, or runs it offline with a notice where allowed', () => {
    const named = flow('ChatOp(llm="qwen3_30b_instruct")');
    expect(() => createFlowApp({ env: {}, config: named })).toThrow(ConfigError);
    expect(() => createFlowApp({ env: {}, config: named })).toThrow(
      /llm\.qwen3_30b_instruct: .*FLOW_LLM_API_KEY/,
    );
    const offline = createFlowApp({ env: {}, offlineFallback: true, config: named });
    expect(offline.notices).toEqual([expect.stringContaining("llm 'qwen3_30b_instruct'")]);
    expect(offline.resources.llm('qwen3_30b_instruct').backend).toBe('mock');
    const keyed = createFlowApp({ env: { FLOW_LLM_API_KEY: 'sk-test-key-123456' }, config: named });
    expect(keyed.resources.llm('qwen3_30b_instruct')).toMatchObject({
      backend: 'openai_compatible',
      modelName: 'qwen3-30b-a3b-instruct-2507',
    });
  });
  // An unused entry with another mistake (its SDK missing) still stops start-up: test/models/provider-sdk.test.ts.
});
