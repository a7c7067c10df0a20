import type { Message } from '../models/types.js';
import type { BaseOp } from '../op/base-op.js';

/**
 * The cache key of one model call of an op (see `BaseOp.cache`): the kind of result cached, the llm
 * entry, its backend and model, the messages and the op's model parameters — never credentials.
 *
 * @example
 * const reply = await this.cache(modelCallKey(this, 'chat', messages), () => this.llm.chat(messages));
 */
export function modelCallKey(op: BaseOp, kind: string, messages: Message[]): Record<string, unknown> {
  const { backend, modelName } = op.llm;
  return { kind, llm: op.common.llm, backend, model: modelName, messages, params: op.params };
}
