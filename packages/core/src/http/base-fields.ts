import type { InputFieldConfig } from '../config/config-types.js';

/**
 * FlowLLM's request fields (its `FlowRequest`), typed on every flow even when its `input_schema` omits
 * them; a flow's own definition of one of them wins. `messages` items are checked as FlowLLM's
 * `Message` (see `checkMessages`).
 *
 * @example
 * BASE_FIELDS.query.type; // 'string'
 */
export const BASE_FIELDS: Readonly<
  Record<'query' | 'messages' | 'workspace_id' | 'metadata', InputFieldConfig>
> = {
  query: { type: 'string', description: 'The question or task.', required: false },
  messages: {
    type: 'array',
    description:
      'The conversation so far: `{role, content}` objects; role is system, user, assistant or tool.',
    required: false,
  },
  workspace_id: {
    type: 'string',
    description: 'An id of the caller’s workspace, passed to the ops.',
    required: false,
  },
  metadata: {
    type: 'object',
    description: 'Free-form request metadata, passed to the ops.',
    required: false,
  },
};
