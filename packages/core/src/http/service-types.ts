import type { FlowStream } from '../engine/flow-stream.js';
import type { StreamEncoder } from '../protocols/stream-encoder.js';
import type { RunReader } from '../resume/run-reader.js';
import { logLine } from './log-line.js';
import type { StreamVariant } from './sse-framer.js';

/**
 * A request as every transport sees it: the one seam between frameworks and the service. Write an
 * adapter for another framework by building one and writing back the {@link ServiceResult}.
 *
 * @example
 * const result = await service.handle({
 *   method: 'POST',
 *   path: '/chat',
 *   query: new URLSearchParams(),
 *   header: (name) => (name === 'content-type' ? 'application/json' : undefined),
 *   readBody: async () => JSON.stringify({ query: 'hi' }),
 * });
 */
export interface ServiceRequest {
  /** Upper-case method. */
  method: string;
  /** The path below where the service is mounted, starting with `/` (no query string). */
  path: string;
  query: URLSearchParams;
  /** A request header by lower-case name. */
  header(name: string): string | undefined;
  /** Reads the raw body as text, refusing more than `limit` bytes with 413. */
  readBody(limit: number): Promise<string>;
  /** A body a framework already parsed (express.json(), a koa body parser, fastify). */
  parsedBody?: unknown;
  /**
   * The host's own body limit in bytes (fastify's `bodyLimit`): the smaller of it and `http.body_limit`
   * applies.
   * @default none: `http.body_limit` alone
   */
  bodyLimit?: number;
  /** Fires when the client goes away. */
  signal?: AbortSignal;
  /**
   * Calls `listener` once when the client goes away (at once if it already has): what the service
   * uses instead of `signal` when a transport offers it, since a signal costs memory per stream.
   * @default absent: the service listens to `signal`
   */
  onGone?(listener: (reason: unknown) => void): void;
}

/**
 * What the service answers: a complete body, or a flow stream for the transport to write (with
 * `SseFramer`, or a resumable run's reader); `undefined` from `service.handle()` means the path is not the service's.
 *
 * @example
 * const result = await service.handle(request);
 * if (result && 'body' in result) console.log(result.status, result.body);
 */
export type ServiceResult =
  | { status: number; headers: Record<string, string>; body: string }
  | {
      status: 200;
      headers: Record<string, string>;
      /** The flow's chunks; a `RunReader` (logged frames with ids) when resume is on. */
      stream: FlowStream | RunReader;
      variant: StreamVariant;
      /** The wire format of the stream; FlowLLM's (by `variant`) when absent. */
      encoder?: StreamEncoder;
    };

/**
 * How `service.startStream` serves a stream flow's run.
 *
 * @example
 * const how: StartStreamOptions = { variant: 'post', headers: SSE_HEADERS, resumable: false };
 */
export interface StartStreamOptions {
  variant: StreamVariant;
  /** Response headers of the stream. */
  headers: Readonly<Record<string, string>>;
  /** The encoder for the run's `flow_id`; FlowLLM's wire when absent. */
  encoder?: (flowId: string) => StreamEncoder;
  /** Log the run (when resume is on) so it outlives the request. */
  resumable: boolean;
  /** Called with the `flow_id` once a resumable run is logged. */
  onRun?: (flowId: string) => void;
}

/**
 * Where the service reports failures; fastify's and pino's loggers fit through a small wrapper.
 *
 * @example
 * const logger: ServiceLogger = {
 *   error: (message, details) => pino.error(details ?? {}, message),
 *   warn: (message, details) => pino.warn(details ?? {}, message),
 *   info: (message, details) => pino.info(details ?? {}, message),
 * };
 */
export interface ServiceLogger {
  error(message: string, details?: Record<string, unknown>): void;
  warn(message: string, details?: Record<string, unknown>): void;
  info(message: string, details?: Record<string, unknown>): void;
}

/**
 * The default logger: exactly one line per event (errors and warnings on stderr, info on stdout),
 * prefixed `[flowllm]`, details as one-line JSON; control characters are escaped, so text from a
 * request or a provider cannot forge an entry or drive the terminal.
 *
 * @example
 * const service = new FlowService(app, { logger: consoleLogger });
 */
export const consoleLogger: ServiceLogger = {
  error: (message, details) => console.error('%s', logLine(message, details)),
  warn: (message, details) => console.warn('%s', logLine(message, details)),
  info: (message, details) => console.info('%s', logLine(message, details)),
};
