import type { FlowllmErrorCode } from './error-codes.js';

const MARKER = Symbol.for('flowllm.error');

/**
 * Options of {@link FlowllmError} (and the errors built on it).
 *
 * @example
 * throw new FlowllmError<'MY_APP_QUOTA'>('MY_APP_QUOTA', 'the monthly quota is used up', { expose: true, status: 429 });
 */
export interface FlowllmErrorOptions {
  /**
   * The error this one wraps (`error.cause`).
   * @default none
   */
  cause?: unknown;
  /**
   * Safe to show to clients even when `http.expose_errors` is off (it names no internals).
   * @default false
   */
  expose?: boolean;
  /**
   * The HTTP status this error means when it happens before a response has started.
   * @default none: 500
   */
  status?: number;
  /**
   * More than clients may see, for the server log only: e.g. a model provider's own message, which
   * can echo the prompt. Never put secrets here either.
   * @default none
   */
  logDetail?: string;
}

/**
 * Base class of every error flowllm throws on purpose. `code` is one of the stable, documented
 * {@link FlowllmErrorCode}s (docs/errors.md); an app's own errors name their code type:
 * `FlowllmError<'MY_APP_QUOTA'>`. `isInstance` survives two copies of the package in one process
 * (instanceof does not).
 *
 * @example
 * if (FlowllmError.isInstance(error) && error.code === 'FLOWLLM_TIMEOUT') console.error(error.message);
 */
export class FlowllmError<Code extends string = FlowllmErrorCode> extends Error {
  readonly [MARKER] = true;
  readonly code: Code;
  /** Safe to show to clients even when error messages are masked (it names no internals). */
  readonly expose: boolean;
  /** The HTTP status this error means when it happens before a response has started. */
  readonly status: number | undefined;
  /** For the server log only (never sent to clients): e.g. a model provider's own message. */
  readonly logDetail: string | undefined;

  // NoInfer: an undefined code in `new FlowllmError(code, …)` is a compile error, not a new code type.
  constructor(code: NoInfer<Code>, message: string, options: FlowllmErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.expose = options.expose ?? false;
    this.status = options.status;
    this.logDetail = options.logDetail;
  }

  /**
   * Whether `value` is a FlowllmError of any copy of this package; its `code` may also be an app's own.
   *
   * @example
   * if (FlowllmError.isInstance(error)) console.error(error.code);
   */
  static isInstance(value: unknown): value is FlowllmError<FlowllmErrorCode | (string & {})> {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MARKER] === true;
  }
}

/**
 * Returns a message safe to show for any thrown value: an `Error`'s message, a thrown string, or
 * "unknown error" (a thrown object may hold request options or headers, so it is never printed).
 *
 * @example
 * errorMessage(new Error('boom')); // 'boom'
 * errorMessage({ headers: { authorization: 'Bearer sk-…' } }); // 'unknown error'
 */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === 'string' && error !== '') return error;
  // A thrown object may hold request options or headers: never print it.
  return 'unknown error';
}

/**
 * The `logDetail` of an error or of the first of its causes that has one (an op's failure wraps the
 * model's error): what the server log adds to the message clients see.
 *
 * @example
 * logger.error(errorMessage(error), { detail: logDetailOf(error) });
 */
export function logDetailOf(error: unknown): string | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    if (FlowllmError.isInstance(current) && current.logDetail) return current.logDetail;
    current = current.cause;
  }
  return undefined;
}
