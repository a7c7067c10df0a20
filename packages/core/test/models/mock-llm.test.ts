import { describe, expect, it } from 'vitest';
import { MockEmbeddingModel } from '../../src/models/mock-embedding.js';
import { MockLlm } from '../../src/models/mock-llm.js';
import { mockTokens } from '../../src/models/mock-tokens.js';
import { collect } from '../helpers/app.js';

const user = (content: string) => [{ role: 'user' as const, content }];

describe('mock tokens', () => {
  it('joins back to the text, splits CJK per character', () => {
    for (const text of ['Hello, world!  Two spaces.', '什么是人工智能?', ' lead and trail ', 'a\nb']) {
      expect(mockTokens(text).join('')).toBe(text);
    }
    expect(mockTokens('Hello world!')).toEqual(['Hello', ' world', '!']);
    expect(mockTokens('人工智能')).toEqual(['人', '工', '智', '能']);
  });
});

describe('MockLlm', () => {
  it('is deterministic: think, then answer, then usage', async () => {
    const llm = new MockLlm({ think: 'Hmm {input}', answer: 'Hi {input}!' });
    const first = await collect(llm.stream(user('Ada')));
    expect(first).toEqual([
      { chunk_type: 'think', chunk: 'Hmm' },
      { chunk_type: 'think', chunk: ' Ada' },
      { chunk_type: 'answer', chunk: 'Hi' },
      { chunk_type: 'answer', chunk: ' Ada' },
      { chunk_type: 'answer', chunk: '!' },
      { chunk_type: 'usage', chunk: { prompt_tokens: 1, completion_tokens: 5, total_tokens: 6 } },
    ]);
    expect(await collect(llm.stream(user('Ada')))).toEqual(first);
  });

  it('picks the first script entry whose regex matches the last user message', async () => {
    const llm = new MockLlm({
      usage: false,
      script: [
        {
          match: '^weather',
          answer: 'sunny',
          tool_calls: [{ name: 'get_weather', arguments: { city: 'Paris' } }],
        },
        { answer: 'fallback' },
      ],
    });
    expect(await collect(llm.stream(user('weather in Paris')))).toEqual([
      { chunk_type: 'answer', chunk: 'sunny' },
      {
        chunk_type: 'tool',
        chunk: {
          index: 0,
          id: 'call_mock_0',
          type: 'function',
          function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
        },
      },
    ]);
    expect(await collect(llm.stream(user('other')))).toEqual([{ chunk_type: 'answer', chunk: 'fallback' }]);
  });

  it('waits token_delay_ms between tokens', async () => {
    const llm = new MockLlm({ answer: 'a b c d e', token_delay_ms: 20, usage: false });
    const started = performance.now();
    expect(await collect(llm.stream(user('x')))).toHaveLength(5);
    expect(performance.now() - started).toBeGreaterThanOrEqual(75);
  });

  it('fails after error_after answer tokens, naming the model', async () => {
    const llm = new MockLlm({ answer: 'one two three', error: 'upstream cut', error_after: 2, usage: false });
    const seen: unknown[] = [];
    await expect(async () => {
      for await (const chunk of llm.stream(user('x'))) seen.push(chunk.chunk);
    }).rejects.toThrow('mock model mock-chat: upstream cut');
    expect(seen).toEqual(['one', ' two']);
    expect(llm.stats).toMatchObject({ started: 1, failed: 1, active: 0 });
  });

  it('stops at the abort signal between tokens and records it', async () => {
    const llm = new MockLlm({ answer: 'a b c d e f g h', token_delay_ms: 10 });
    const controller = new AbortController();
    const seen: unknown[] = [];
    await expect(async () => {
      for await (const chunk of llm.stream(user('x'), { signal: controller.signal })) {
        seen.push(chunk.chunk);
        if (seen.length === 2) controller.abort(new Error('stop'));
      }
    }).rejects.toThrow('stop');
    expect(seen).toEqual(['a', ' b']);
    expect(llm.stats).toMatchObject({ started: 1, aborted: 1, active: 0, completed: 0 });
    expect(llm.stats.lastAbortAt).toBeTypeOf('number');
  });

  it('chat aggregates the stream into one assistant message', async () => {
    const llm = new MockLlm({ think: 'hm', answer: 'yes', tool_calls: [{ name: 't', arguments: '{}' }] });
    expect(await llm.chat(user('q'))).toEqual({
      role: 'assistant',
      content: 'yes',
      reasoning_content: 'hm',
      tool_calls: [
        { index: 0, id: 'call_mock_0', type: 'function', function: { name: 't', arguments: '{}' } },
      ],
      usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 },
    });
  });
});

describe('MockEmbeddingModel', () => {
  it('returns unit vectors of the configured size; shared words mean higher similarity', async () => {
    const model = new MockEmbeddingModel({ dimensions: 32 });
    const [a, b, c] = await model.embed(['red apple pie', 'red apple', 'blue ocean wave']);
    const dot = (x: number[], y: number[]) => x.reduce((sum, v, i) => sum + v * (y[i] ?? 0), 0);
    expect(a).toHaveLength(32);
    expect(dot(a!, a!)).toBeCloseTo(1);
    expect(dot(a!, b!)).toBeGreaterThan(dot(a!, c!));
    expect(await model.embed(['red apple pie'])).toEqual([a]);
  });
});
