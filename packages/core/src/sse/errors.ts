import { FlowllmError } from '../errors.js';

/**
 * Thrown by the SSE encoder when a field would break the framing: CR or LF in `event`, `id` or a comment
 * (an injection risk), NUL in `id` (clients ignore such ids), or a `retry` that is not a non-negative
 * safe integer. `field` names the offending field.
 *
 * @example
 * try {
 *   encodeSseEvent({ event: 'a\nb', data: 'x' });
 * } catch (error) {
 *   if (error instanceof SseEncodeError) console.error(error.code, error.field); // FLOWLLM_SSE_FIELD event
 * }
 */
export class SseEncodeError extends FlowllmError {
  readonly field: string;

  constructor(field: string, reason: string) {
    super('FLOWLLM_SSE_FIELD', `SSE field "${field}" ${reason}`);
    this.field = field;
  }
}

/**
 * Raised by the SSE decoder when the stream cannot be decoded safely, such as an event that grows past
 * `maxBufferBytes` without a terminating blank line.
 *
 * @example
 * const decoder = createSseDecoder({
 *   onEvent: (event) => console.log(event.data),
 *   onError: (error) => console.error(error.code), // FLOWLLM_SSE_DECODE
 * });
 */
export class SseDecodeError extends FlowllmError {
  constructor(message: string) {
    super('FLOWLLM_SSE_DECODE', message);
  }
}
