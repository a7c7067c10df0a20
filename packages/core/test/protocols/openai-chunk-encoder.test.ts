import { describe, expect, it } from 'vitest';
import { createChunk, type FlowStreamChunk, toolCallChunk } from '../../src/chunk.js';
import {
  createOpenAIChunkEncoder,
  type OpenAIChunkEncoderOptions,
} from '../../src/protocols/openai-chunk-encoder.js';
import { dataEvents } from './protocol-server.js';

// biome-ignore lint/suspicious/noExplicitAny: reading JSON answers
type Json = Record<string, any>;

const ID = 'f1';
const call = (index: number, id: string) =>
  createChunk(ID, 'tool', toolCallChunk({ index, id, name: 'search', arguments: '{"q":"x"}' }));
const result = (id: string) =>
  createChunk(ID, 'tool', { type: 'tool_result', tool_call_id: id, name: 'search', content: 'r' });
const done = () => createChunk(ID, 'done', '', { done: true });

function encode(chunks: FlowStreamChunk[], options: Partial<OpenAIChunkEncoderOptions> = {}): Json[] {
  const encoder = createOpenAIChunkEncoder({ model: 'chat', created: 1, ...options });
  return dataEvents(chunks.map((chunk) => encoder.frame(chunk)).join('')) as Json[];
}

describe('OpenAI chunk encoder', () => {
  it('sends the role first, think as reasoning_content, answer as content, a finish_reason, then [DONE]', () => {
    const events = encode([createChunk(ID, 'think', 'Hm'), createChunk(ID, 'answer', 'Hi'), done()]);
    expect(events.map((event) => (typeof event === 'string' ? event : event.choices[0]))).toEqual([
      { index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null },
      { index: 0, delta: { reasoning_content: 'Hm' }, finish_reason: null },
      { index: 0, delta: { content: 'Hi' }, finish_reason: null },
      { index: 0, delta: {}, finish_reason: 'stop' },
      '[DONE]',
    ]);
    for (const event of events.slice(0, -1)) {
      expect(event).toMatchObject({
        id: 'chatcmpl-f1',
        object: 'chat.completion.chunk',
        created: 1,
        model: 'chat',
      });
      expect('usage' in event).toBe(false);
    }
  });

  it('names the reasoning field as configured', () => {
    const events = encode([createChunk(ID, 'think', 'Hm'), done()], { reasoningField: 'reasoning' });
    expect(events[1]?.choices[0].delta).toEqual({ reasoning: 'Hm' });
  });

  it('with include_usage: usage null on every chunk, then a usage chunk with no choices', () => {
    const usage = createChunk(ID, 'usage', { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 });
    const events = encode([createChunk(ID, 'answer', 'Hi'), usage, done()], { includeUsage: true });
    expect(events.slice(0, 3).every((event) => event.usage === null)).toBe(true);
    expect(events[3]).toMatchObject({
      choices: [],
      usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 },
    });
    expect(events[4]).toBe('[DONE]');
  });

  it('sends each tool call whole with id, type and name, indexes counting up', () => {
    const events = encode([call(0, 'a'), call(0, 'b'), done()]);
    const deltas = events.slice(1, 3).map((event) => event.choices[0].delta.tool_calls[0]);
    expect(deltas).toEqual([
      { index: 0, id: 'a', type: 'function', function: { name: 'search', arguments: '{"q":"x"}' } },
      { index: 1, id: 'b', type: 'function', function: { name: 'search', arguments: '{"q":"x"}' } },
    ]);
    // Calls nothing answered: the caller is to run them.
    expect(events[3]?.choices[0].finish_reason).toBe('tool_calls');
  });

  it('finishes with stop when the flow ran its tools and answered', () => {
    const events = encode([call(0, 'a'), result('a'), createChunk(ID, 'answer', 'Done.'), done()]);
    expect(events.at(-2)?.choices[0].finish_reason).toBe('stop');
  });

  it("skips an op's report (an error chunk that does not end the run): the answer goes on", () => {
    const report = createChunk(ID, 'error', 'search is down', { done: false, metadata: { op: 'SearchOp' } });
    const events = encode([report, createChunk(ID, 'answer', 'Hi'), done()]);
    expect(events.some((event) => typeof event === 'object' && 'error' in event)).toBe(false);
    expect(events.at(-2)?.choices[0].finish_reason).toBe('stop');
  });

  it('writes a failure as an error object (what openai-node throws on), then [DONE]', () => {
    const events = encode([
      createChunk(ID, 'answer', 'a'),
      createChunk(ID, 'error', 'boom', { done: true }),
      done(),
    ]);
    expect(events.slice(-2)).toEqual([
      { error: { message: 'boom', type: 'server_error', param: null, code: null } },
      '[DONE]',
    ]);
  });
});
