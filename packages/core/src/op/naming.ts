/**
 * FlowLLM's `camel_to_snake`: `LLM` read as one word, then an underscore before every other capital.
 * An op's `name` is this of its class name, suffix kept (`SearchOp` → `search_op`); sub-ops attached
 * from a list are keyed by it.
 *
 * @example
 * opSnakeName('GenSystemPromptOp') // 'gen_system_prompt_op'
 * opSnakeName('LLMChatOp')         // 'llm_chat_op'
 * opSnakeName('HTTPOp')            // 'h_t_t_p_op', as FlowLLM
 */
export function opSnakeName(className: string): string {
  return className
    .replaceAll('LLM', 'Llm')
    .replace(/(?<!^)(?=[A-Z])/g, '_')
    .toLowerCase();
}

/**
 * FlowLLM's `short_name`: an op's name without its `_op` suffix; tool names and output keys use it.
 *
 * @example
 * opShortName('mock_search_op') // 'mock_search'
 */
export function opShortName(name: string): string {
  return name.endsWith('_op') ? name.slice(0, -3) : name;
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
