import { describe, expect, it } from 'vitest';
import { readChatCompletionCall } from '../../src/protocols/openai-request.js';
import { uiChatInput } from '../../src/protocols/ui-chat-request.js';

const ui = (role: string, text: string) => ({ id: `${role}-${text}`, role, parts: [{ type: 'text', text }] });
const query = { query: { type: 'string' as const, description: '', required: true } };

describe('the conversation a client sends, as flow input', () => {
  it('sets query only for a lone user message: history and system prompt reach the model as messages', () => {
    expect(uiChatInput({ messages: [ui('user', 'Hi')] })).toEqual({
      messages: [{ role: 'user', content: 'Hi' }],
      query: 'Hi',
    });
    const chat = uiChatInput({
      messages: [
        ui('system', 'Be a pirate.'),
        ui('user', 'I am Ann.'),
        ui('assistant', 'Hi Ann'),
        ui('user', 'My name?'),
      ],
    });
    expect(chat).toEqual({
      messages: [
        { role: 'system', content: 'Be a pirate.' },
        { role: 'user', content: 'I am Ann.' },
        { role: 'assistant', content: 'Hi Ann' },
        { role: 'user', content: 'My name?' },
      ],
    });
    const openai = readChatCompletionCall(
      {
        model: 'chat',
        messages: [
          { role: 'developer', content: 'Be brief.' },
          { role: 'user', content: 'Hi' },
        ],
      },
      () => ({}),
    );
    expect(openai.input).toEqual({
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
      ],
    });
  });

  it('sets query to the last user text when the flow declares query itself', () => {
    const body = { messages: [ui('user', 'first'), ui('assistant', 'ok'), ui('user', 'second')] };
    expect(uiChatInput(body, query)).toMatchObject({ query: 'second' });
  });

  it('leaves out assistant turns with no text and no tool calls (a UI message of tool parts only)', () => {
    const toolsOnly = {
      id: 'a',
      role: 'assistant',
      parts: [{ type: 'dynamic-tool', toolCallId: 'c', state: 'output-available' }],
    };
    expect(uiChatInput({ messages: [ui('user', 'Hi'), toolsOnly, ui('user', 'and?')] }).messages).toEqual([
      { role: 'user', content: 'Hi' },
      { role: 'user', content: 'and?' },
    ]);
    const calls = [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }];
    const openai = readChatCompletionCall(
      {
        model: 'chat',
        messages: [
          { role: 'user', content: 'Hi' },
          { role: 'assistant', content: null, tool_calls: calls },
          { role: 'tool', tool_call_id: 'c1', content: '42' },
        ],
      },
      () => ({}),
    );
    expect(openai.input.messages).toEqual([
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: '', tool_calls: calls },
      { role: 'tool', content: '42', tool_call_id: 'c1' },
    ]);
  });

  it('passes every body field the flow declares, even one named like an API field, and no other', () => {
    const fields = { user: { type: 'string' as const, description: '', required: true } };
    const call = readChatCompletionCall(
      { model: 'chat', user: 'bob', temperature: 0.1, messages: [{ role: 'user', content: 'Hi' }] },
      () => fields,
    );
    expect(call.input).toEqual({ user: 'bob', messages: [{ role: 'user', content: 'Hi' }], query: 'Hi' });
  });
});
