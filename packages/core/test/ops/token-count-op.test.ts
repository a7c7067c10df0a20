// TokenCountOp and the token counters behind it (FlowLLM's gallery/token_count_op.py and core/token/*):
// real OpenAI encodings through js-tiktoken, FlowLLM's characters / 4 estimate, and `hf`, which falls
// back to the estimate with one warning.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFlowApp } from '../../src/create-flow-app.js';
import { FlowContext } from '../../src/engine/context.js';
import { newFlowId } from '../../src/engine/flow.js';
import { FlowllmError } from '../../src/errors.js';
import { type RunningServer, serve } from '../../src/http/serve.js';
import { countTokens, estimateTokens } from '../../src/models/token-count.js';
import { encodingForModel, loadEncoder, pythonJson } from '../../src/models/token-count-openai.js';
import type { Message } from '../../src/models/types.js';
import { TokenCountOp } from '../../src/ops/token-count-op.js';
import { CORE_SRC, sourceFiles } from '../helpers/source-files.js';

const CHAT: Message[] = [
  { role: 'user', content: 'hello world' },
  { role: 'assistant', content: 'tiktoken is great!' },
];
const openai = (model_name: string) => ({ backend: 'openai' as const, model_name, params: {} });

const running: RunningServer[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(running.splice(0).map((server) => server.close()));
});

describe('the openai token counter', () => {
  it("encodes OpenAI's published examples to their token ids", async () => {
    const cl100k = await loadEncoder('cl100k_base');
    expect(cl100k.encode('hello world')).toEqual([15339, 1917]);
    expect(cl100k.encode('tiktoken is great!')).toEqual([83, 1609, 5963, 374, 2294, 0]);
    expect((await loadEncoder('o200k_base')).encode('tiktoken is great!')).toEqual([
      83, 8251, 2488, 382, 2212, 0,
    ]);
  });

  it("picks the model's encoding as tiktoken does, o200k_base for a model it does not know (FlowLLM's fallback)", async () => {
    expect(await encodingForModel('gpt-4o')).toBe('o200k_base');
    expect(await encodingForModel('gpt-4o-2024-08-06')).toBe('o200k_base');
    expect(await encodingForModel('gpt-4')).toBe('cl100k_base');
    expect(await encodingForModel('gpt-4-0613-custom')).toBe('cl100k_base');
    expect(await encodingForModel('qwen3-30b-a3b-instruct-2507')).toBeUndefined();
    expect((await countTokens(CHAT, openai('qwen3-30b-a3b-instruct-2507'))).method).toBe('openai o200k_base');
  });

  it('counts 4 per message plus its content tokens', async () => {
    // hello world: 2 tokens; tiktoken is great!: 6 tokens.
    expect(await countTokens(CHAT, openai('gpt-4'))).toEqual({ count: 16, method: 'openai cl100k_base' });
    expect(await countTokens(CHAT, openai('gpt-4o'))).toEqual({ count: 16, method: 'openai o200k_base' });
    expect((await countTokens([], openai('gpt-4'))).count).toBe(0);
  });

  it("counts the entry's own model when model_name is empty, and params.encoding overrides the model", async () => {
    const empty = { backend: 'openai' as const, model_name: '', params: {} };
    expect((await countTokens(CHAT, empty, { fallbackModel: 'gpt-4' })).method).toBe('openai cl100k_base');
    const forced = { backend: 'openai' as const, model_name: 'gpt-4o', params: { encoding: 'cl100k_base' } };
    expect((await countTokens(CHAT, forced)).method).toBe('openai cl100k_base');
    const wrong = { backend: 'openai' as const, model_name: '', params: { encoding: 'cl200k' } };
    const error = await countTokens(CHAT, wrong).catch((caught: unknown) => caught);
    expect(FlowllmError.isInstance(error) && error.code).toBe('FLOWLLM_MODEL_CONFIG');
  });

  it("counts tool calls and offered tools as FlowLLM's JSON of them (Python's separators)", async () => {
    const call = {
      index: 0,
      id: 'call_1',
      function: { arguments: '{"q": "ai"}', name: 'search' },
      type: 'function' as const,
    };
    const written =
      '{"index": 0, "id": "call_1", "function": {"arguments": "{\\"q\\": \\"ai\\"}", "name": "search"}, "type": "function"}';
    expect(pythonJson(call)).toBe(written);
    const encoder = await loadEncoder('cl100k_base');
    const tool = { type: 'function' as const, function: { name: 'search', description: 'web search' } };
    const { count } = await countTokens(
      [{ role: 'assistant', content: '', tool_calls: [call] }],
      openai('gpt-4'),
      {
        tools: [tool],
      },
    );
    expect(count).toBe(4 + encoder.encode(written).length + encoder.encode(pythonJson(tool)).length);
    expect(pythonJson(tool)).toBe(
      '{"type": "function", "function": {"name": "search", "description": "web search"}}',
    );
  });
});

describe('the base estimate and hf', () => {
  it("is FlowLLM's characters / 4, rounded up, counting content, reasoning and tools in code points", () => {
    expect(estimateTokens([{ role: 'user', content: 'hello world' }])).toBe(3);
    expect(estimateTokens([{ role: 'assistant', content: 'hello world', reasoning_content: 'abcde' }])).toBe(
      4,
    );
    // Four emoji are four characters to Python (eight UTF-16 units to JavaScript).
    expect(estimateTokens([{ role: 'user', content: '😀😀😀😀' }])).toBe(1);
    expect(estimateTokens([], [{ type: 'function', function: { name: 'abcd', description: 'efgh' } }])).toBe(
      2,
    );
    expect(estimateTokens([])).toBe(0);
  });

  it('hf counts with the base estimate and warns once, naming why', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const hf = {
        backend: 'hf' as const,
        model_name: 'Qwen/Qwen3-30B-A3B-Instruct-2507',
        params: { use_mirror: true },
      };
      expect(await countTokens(CHAT, hf)).toEqual({ count: 8, method: 'base' });
      expect(await countTokens(CHAT, { ...hf, model_name: 'Qwen/Qwen2.5-72B-Instruct' })).toEqual({
        count: 8,
        method: 'base',
      });
      await new Promise((resolve) => setImmediate(resolve));
      const ours = warnings.filter(
        (warning) => (warning as { code?: string }).code === 'FLOWLLM_TOKEN_COUNT_HF',
      );
      expect(ours).toHaveLength(1);
      expect(ours[0]?.message).toMatch(/HuggingFace tokenizers need the model's tokenizer files/);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('loads js-tiktoken only when a count needs it (no static import anywhere in core)', () => {
    for (const { path, text } of sourceFiles(CORE_SRC)) {
      for (const line of text.split('\n').filter((l) => l.includes("'js-tiktoken"))) {
        expect(line, path).toMatch(/import\('js-tiktoken|^import type /);
      }
    }
  });
});

function countApp(llm: Record<string, unknown> = {}) {
  return createFlowApp({
    env: {},
    config: {
      llm: { default: { backend: 'mock', model_name: 'gpt-4', ...llm } },
      flow: {
        count: { flow_content: 'TokenCountOp(token_count={"backend": "openai", "model_name": "gpt-4o"})' },
        estimate: { flow_content: 'TokenCountOp()' },
      },
    },
  });
}

describe('TokenCountOp', () => {
  it('stores the count in response.metadata and the context, and logs it (app.run)', async () => {
    const info = vi.spyOn(console, 'info').mockImplementation(() => {});
    const response = await countApp().run('count', { messages: CHAT });
    expect(response.metadata.token_count).toBe(16);
    expect(info).toHaveBeenCalledWith(
      expect.stringMatching(/ token_count_op: 16 tokens \(openai o200k_base\)$/),
    );
  });

  it("counts with the llm entry's token_count when the app's resources expose it", async () => {
    vi.spyOn(console, 'info').mockImplementation(() => {});
    const app = countApp({ token_count: { backend: 'openai' } });
    const resources = { ...app.resources, llmConfig: (name: string) => app.config.llm[name] };
    const context = new FlowContext({
      flowId: newFlowId(),
      stream: false,
      signal: new AbortController().signal,
      resources,
      input: { messages: CHAT },
    });
    await new TokenCountOp().run(context);
    // model_name "" in token_count: the entry's own gpt-4, so cl100k_base.
    expect(context.get('token_count')).toBe(16);
    expect(context.response.metadata.token_count).toBe(16);
  });

  it("uses FlowLLM's base estimate when nothing says otherwise; no messages count 0", async () => {
    vi.spyOn(console, 'info').mockImplementation(() => {});
    const app = countApp();
    expect((await app.run('estimate', { messages: CHAT })).metadata.token_count).toBe(8);
    expect((await app.run('estimate', { query: 'only a query' })).metadata.token_count).toBe(0);
  });

  it('answers over HTTP with the count in the metadata', async () => {
    vi.spyOn(console, 'info').mockImplementation(() => {});
    const server = await serve(countApp(), { port: 0, host: '127.0.0.1' });
    running.push(server);
    const response = await fetch(`${server.url}/count`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ messages: CHAT }),
    });
    expect(response.status).toBe(200);
    expect((await response.json()).metadata).toMatchObject({ token_count: 16 });
  });

  it('refuses a token_count kwarg of the wrong shape when the flow is built', () => {
    expect(() =>
      createFlowApp({
        env: {},
        config: { flow: { f: { flow_content: 'TokenCountOp(token_count={"backend": "tiktoken"})' } } },
      }),
    ).toThrow(/token_count\.backend: expected one of base, openai, hf/);
  });

  it('fails with a 422 naming the message that is not a {role, content} message', async () => {
    vi.spyOn(console, 'info').mockImplementation(() => {});
    const error = await countApp()
      .run('estimate', {
        messages: [
          { role: 'user', content: 'hi' },
          { role: 'user', content: 3 },
        ],
      })
      .catch((caught: unknown) => caught);
    expect(FlowllmError.isInstance(error) && [error.status, error.message]).toEqual([
      422,
      expect.stringContaining('messages[1] must be a {role, content} message with text content'),
    ]);
  });
});

describe("TokenCountOp reads the llm entry's token_count", () => {
  it('an app counts with the entry it runs on (openai encoding for gpt-4)', async () => {
    vi.spyOn(console, 'info').mockImplementation(() => {});
    const app = createFlowApp({
      env: {},
      config: {
        llm: { default: { backend: 'mock', model_name: 'gpt-4', token_count: { backend: 'openai' } } },
        flow: { count: { flow_content: 'TokenCountOp()' } },
      },
    });
    const response = await app.run('count', { messages: [{ role: 'user', content: 'hello world' }] });
    expect(response.metadata.token_count).toBe(6);
    expect(console.info).toHaveBeenCalledWith(expect.stringContaining('(openai cl100k_base)'));
  });
});
