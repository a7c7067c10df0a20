import type { Llm, LlmCallOptions } from './types.js';

/**
 * The same model, with `onOpen` also called whenever one of its requests connects. The engine uses
 * it so a flow can tell the HTTP service "a model answered" without every op having to.
 *
 * @example
 * const llm = withOnOpen(resources.llm('default'), () => context.markOpen());
 */
export function withOnOpen(llm: Llm, onOpen: () => void): Llm {
  const chain = (options: LlmCallOptions = {}): LlmCallOptions => ({
    ...options,
    onOpen: () => {
      onOpen();
      options.onOpen?.();
    },
  });
  return {
    backend: llm.backend,
    modelName: llm.modelName,
    stream: (messages, options) => llm.stream(messages, chain(options)),
    chat: (messages, options) => llm.chat(messages, chain(options)),
  };
}
