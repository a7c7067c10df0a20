import { describe, expect, it } from 'vitest';
import { createChunk, type FlowStreamChunk, toolCallChunk } from '../../src/chunk.js';
import { createUiMessageEncoder } from '../../src/protocols/ui-message-encoder.js';
import { dataEvents } from './protocol-server.js';

const ID = 'f1';
const think = (text: string) => createChunk(ID, 'think', text);
const answer = (text: string) => createChunk(ID, 'answer', text);
const done = (metadata: Record<string, unknown> = {}) =>
  createChunk(ID, 'done', '', { done: true, metadata });
const call = createChunk(
  ID,
  'tool',
  toolCallChunk({ index: 0, id: 'c1', name: 'search', arguments: '{"q":"x"}' }),
);
const result = createChunk(ID, 'tool', {
  type: 'tool_result',
  tool_call_id: 'c1',
  name: 'search',
  content: 'found',
});

function encode(chunks: FlowStreamChunk[], options = {}): unknown[] {
  const encoder = createUiMessageEncoder(options);
  return dataEvents(chunks.map((chunk) => encoder.frame(chunk)).join(''));
}

const types = (events: unknown[]) =>
  events.map((event) => (event === '[DONE]' ? event : (event as { type: string }).type));

describe('UI message stream encoder', () => {
  it('writes start, a step, reasoning then text parts, finish and [DONE], each `data: ` + JSON', () => {
    const encoder = createUiMessageEncoder();
    const text = [think('Hm'), answer('Hel'), answer('lo'), done()]
      .map((chunk) => encoder.frame(chunk))
      .join('');
    expect(text.startsWith('data: {"type":"start","messageId":"msg_f1"')).toBe(true);
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
    expect(dataEvents(text)).toEqual([
      { type: 'start', messageId: 'msg_f1', messageMetadata: { flow_id: ID } },
      { type: 'start-step' },
      { type: 'reasoning-start', id: 'reasoning-1' },
      { type: 'reasoning-delta', id: 'reasoning-1', delta: 'Hm' },
      { type: 'reasoning-end', id: 'reasoning-1' },
      { type: 'text-start', id: 'text-2' },
      { type: 'text-delta', id: 'text-2', delta: 'Hel' },
      { type: 'text-delta', id: 'text-2', delta: 'lo' },
      { type: 'text-end', id: 'text-2' },
      { type: 'finish-step' },
      { type: 'finish', finishReason: 'stop', messageMetadata: { flow_id: ID } },
      '[DONE]',
    ]);
  });

  it("sends an agent's tool call and result as dynamic tool parts; the model's next words open a new step", () => {
    const events = encode([answer('Let me look.'), call, result, answer('It is found.'), done()]);
    expect(types(events)).toEqual([
      'start',
      'start-step',
      'text-start',
      'text-delta',
      'text-end',
      'tool-input-available',
      'tool-output-available',
      'finish-step',
      'start-step',
      'text-start',
      'text-delta',
      'text-end',
      'finish-step',
      'finish',
      '[DONE]',
    ]);
    expect(events[5]).toEqual({
      type: 'tool-input-available',
      toolCallId: 'c1',
      toolName: 'search',
      input: { q: 'x' },
      dynamic: true,
    });
    expect(events[6]).toEqual({
      type: 'tool-output-available',
      toolCallId: 'c1',
      output: 'found',
      dynamic: true,
    });
    // Text parts of the two steps have different ids (the client keys parts by id).
    expect((events[2] as { id: string }).id).not.toBe((events[9] as { id: string }).id);
  });

  it('reports usage in the finish metadata: summed usage chunks, else the done chunk’s', () => {
    const usage = (p: number, c: number) =>
      createChunk(ID, 'usage', { prompt_tokens: p, completion_tokens: c, total_tokens: p + c });
    const summed = encode([answer('a'), usage(3, 4), usage(5, 6), done({ usage: { prompt_tokens: 99 } })]);
    expect(summed.at(-2)).toMatchObject({
      messageMetadata: { usage: { inputTokens: 8, outputTokens: 10, totalTokens: 18 } },
    });
    const final = encode([
      answer('a'),
      done({ usage: { prompt_tokens: 2, completion_tokens: 5, total_tokens: 7 } }),
    ]);
    expect(final.at(-2)).toMatchObject({
      messageMetadata: { usage: { inputTokens: 2, outputTokens: 5, totalTokens: 7 } },
    });
  });

  it('ends a failure with an error part, then finish with finishReason error', () => {
    const events = encode([
      answer('par'),
      createChunk(ID, 'error', 'model fell over', { done: true }),
      done(),
    ]);
    expect(types(events)).toEqual([
      'start',
      'start-step',
      'text-start',
      'text-delta',
      'text-end',
      'error',
      'finish',
      '[DONE]',
    ]);
    expect(events[5]).toEqual({ type: 'error', errorText: 'model fell over' });
    expect(events[6]).toMatchObject({ finishReason: 'error' });
  });

  it('uses a given messageId, skips empty deltas, sends other tool data as a data-tool part, keeps arguments that are not JSON', () => {
    const odd = createChunk(
      ID,
      'tool',
      toolCallChunk({ index: 1, id: 'c2', name: 'raw', arguments: 'not json' }),
    );
    const events = encode([answer(''), createChunk(ID, 'tool', { progress: 50 }), odd, done()], {
      messageId: 'm9',
    });
    expect(events[0]).toMatchObject({ type: 'start', messageId: 'm9' });
    expect(types(events)).toEqual([
      'start',
      'start-step',
      'data-tool',
      'tool-input-available',
      'finish-step',
      'finish',
      '[DONE]',
    ]);
    expect(events[2]).toEqual({ type: 'data-tool', data: { progress: 50 } });
    expect(events[3]).toMatchObject({ input: 'not json' });
  });

  it("sends an op's report (an error chunk that does not end the run) as a transient data part; the answer goes on", () => {
    const report = createChunk(ID, 'error', 'search is down', { done: false, metadata: { op: 'SearchOp' } });
    const events = encode([report, answer('Anyway, hi.'), done()]);
    expect(events[2]).toEqual({
      type: 'data-op-error',
      data: { message: 'search is down', op: 'SearchOp' },
      transient: true,
    });
    expect(events.at(-2)).toMatchObject({ type: 'finish', finishReason: 'stop' });
  });

  it('keeps tool call ids unique in a message (steps may reuse call_0) and matches each result to its call', () => {
    const callOf = (id: string) =>
      createChunk(ID, 'tool', toolCallChunk({ index: 0, id, name: 'search', arguments: '{}' }));
    const resultOf = (id: string) =>
      createChunk(ID, 'tool', { type: 'tool_result', tool_call_id: id, name: 'search', content: 'r' });
    const events = encode([
      callOf('call_0'),
      resultOf('call_0'),
      callOf('call_0'),
      resultOf('call_0'),
      answer('ok'),
      done(),
    ]);
    const ids = events
      .filter((event) => typeof event === 'object' && (event as { type: string }).type.startsWith('tool-'))
      .map((event) => (event as { toolCallId: string }).toolCallId);
    expect(ids).toEqual(['call_0', 'call_0', 'call_0_2', 'call_0_2']);
  });

  it('finishes with tool-calls when the run ended on calls nothing answered', () => {
    const events = encode([call, done()]);
    expect(events.at(-2)).toMatchObject({ type: 'finish', finishReason: 'tool-calls' });
  });

  it('keeps text with line breaks on one data line', () => {
    const encoder = createUiMessageEncoder();
    const text = encoder.frame(answer('a\nb\r\nc'));
    for (const event of text.split('\n\n').filter(Boolean)) expect(event.split('\n')).toHaveLength(1);
    expect(dataEvents(text).at(-1)).toMatchObject({ delta: 'a\nb\r\nc' });
  });
});
