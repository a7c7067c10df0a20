import type { FlowStreamChunk } from '../chunk.js';
import type { InputFieldConfig } from '../config/config-types.js';

/**
 * Turns a flow's chunks into the bytes of one response, in one wire format. A fresh encoder serves one
 * response (it may keep state: open parts, usage so far). The stream's last chunk is always `done`
 * (after an `error` chunk when the flow failed or the server shut down), so `frame` of it writes the end.
 *
 * @example
 * const ndjson: StreamEncoder = {
 *   frame: (chunk) => (chunk.chunk_type === 'done' ? '' : `${JSON.stringify(chunk)}\n`),
 * };
 */
export interface StreamEncoder {
  /** The text to write for `chunk`; `''` writes nothing. */
  frame(chunk: FlowStreamChunk): string;
  /**
   * What is written while the flow is idle (every `http.heartbeat` seconds), so proxies keep the
   * connection; `''` sends nothing. A format that is not SSE needs its own (NDJSON: `'\n'`).
   * @default ': ping\n\n' (an SSE comment, which SSE clients skip)
   */
  readonly heartbeat?: string;
}

/**
 * What an encoder knows of the run it encodes.
 *
 * @example
 * const info: EncoderInfo = { flowId: '3f2a', flow: 'chat' };
 */
export interface EncoderInfo {
  /** The run's `flow_id`. */
  flowId: string;
  /** The flow's name. */
  flow: string;
}

/**
 * A wire format served for every stream flow at `POST /{flow}/{name}`: how its request body becomes the
 * flow's input (then checked against `input_schema` like any request) and how the chunks are written.
 * Mount your own with `createFlowService(app, { protocols: [protocol] })`; the built-in `ui` one is
 * {@link uiMessageStreamProtocol}.
 *
 * @example
 * const ndjson: FlowProtocol = {
 *   name: 'ndjson',
 *   headers: { 'content-type': 'application/x-ndjson' },
 *   encoder: () => ({ frame: (chunk) => (chunk.chunk_type === 'done' ? '' : `${JSON.stringify(chunk)}\n`) }),
 * };
 * createFlowService(app, { protocols: [ndjson] }); // POST /chat/ndjson
 */
export interface FlowProtocol {
  /** The last path segment: `POST /{flow}/{name}`. Letters, digits, `-` and `_`; not `runs`. */
  readonly name: string;
  /**
   * Response headers of a stream.
   * @default SSE headers: `text/event-stream`, `no-cache, no-transform`, `x-accel-buffering: no`
   */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Maps the parsed JSON body to the flow's input before it is validated against `input_schema`
   * (which answers 422 naming the field). Throw an `HttpError` (`@flowllm/core/adapter`) to refuse a
   * body with your own 4xx; any other error is a 500.
   * @default the body as it is
   */
  toInput?(
    body: unknown,
    flow: { name: string; input_schema: Readonly<Record<string, InputFieldConfig>> },
  ): unknown;
  /** A fresh encoder for one response. */
  encoder(info: EncoderInfo & { body: unknown }): StreamEncoder;
}
