import { describe, expect, it } from 'vitest';
import { isOpClassName, opShortName, opSnakeName } from '../../src/op/naming.js';

describe('op names', () => {
  it.each([
    ['GenSystemPromptOp', 'gen_system_prompt_op', 'gen_system_prompt'],
    ['ChatOp', 'chat_op', 'chat'],
    ['LLMChatOp', 'llm_chat_op', 'llm_chat'],
    ['HTTPOp', 'h_t_t_p_op', 'h_t_t_p'],
    ['Search2Op', 'search2_op', 'search2'],
    ['Op', 'op', 'op'],
  ])("%s → %s (FlowLLM's camel_to_snake), short name %s", (className, snake, short) => {
    expect(opSnakeName(className)).toBe(snake);
    expect(opShortName(snake)).toBe(short);
  });

  it('accepts only identifiers ending in Op', () => {
    expect(isOpClassName('ChatOp')).toBe(true);
    expect(isOpClassName('Chat')).toBe(false);
    expect(isOpClassName('ChatOperation')).toBe(false);
    expect(isOpClassName('1Op')).toBe(false);
  });
});
