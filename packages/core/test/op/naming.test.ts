import { describe, expect, it } from 'vitest';
import { isOpClassName, opSnakeName } from '../../src/op/naming.js';

describe('op names', () => {
  it.each([
    ['GenSystemPromptOp', 'gen_system_prompt'],
    ['ChatOp', 'chat'],
    ['LLMChatOp', 'llm_chat'],
    ['Search2Op', 'search2'],
    ['Op', ''],
  ])('%s → %s', (className, snake) => {
    expect(opSnakeName(className)).toBe(snake);
  });

  it('accepts only identifiers ending in Op', () => {
    expect(isOpClassName('ChatOp')).toBe(true);
    expect(isOpClassName('Chat')).toBe(false);
    expect(isOpClassName('ChatOperation')).toBe(false);
    expect(isOpClassName('1Op')).toBe(false);
  });
});
