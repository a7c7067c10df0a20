/**
 * FlowLLM's display name of an op class: the `Op` suffix dropped, then snake_case.
 *
 * @example
 * opSnakeName('GenSystemPromptOp') // 'gen_system_prompt'
 * opSnakeName('LLMChatOp')         // 'llm_chat'
 */
export function opSnakeName(className: string): string {
  const base = className.endsWith('Op') ? className.slice(0, -2) : className;
  return base
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

const OP_CLASS_NAME = /^[A-Za-z_$][A-Za-z0-9_$]*Op$/;

/**
 * Whether a name can be registered and referenced in a flow expression: an identifier ending in `Op`.
 *
 * @example
 * isOpClassName('SummarizeOp'); // true
 * isOpClassName('Summarize'); // false
 */
export function isOpClassName(name: string): boolean {
  return OP_CLASS_NAME.test(name);
}
