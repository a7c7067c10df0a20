const MARKER = Symbol.for('flowllm.error');

/**
 * Options of {@link FlowllmError} (and the errors built on it).
 *
 * @example
 * throw new FlowllmError('MY_APP_QUOTA', 'the monthly quota is used up', { expose: true, status: 429 });
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
}

/**
 * Base class of every error flowllm throws on purpose. `code` is stable and documented;
 * `isInstance` survives two copies of the package in one process (instanceof does not).
 *
 * @example
 * if (FlowllmError.isInstance(error)) console.error(error.code, error.message);
 */
export class FlowllmError extends Error {
  readonly [MARKER] = true;
  readonly code: string;
  /** Safe to show to clients even when error messages are masked (it names no internals). */
  readonly expose: boolean;
  /** The HTTP status this error means when it happens before a response has started. */
  readonly status: number | undefined;

  constructor(code: string, message: string, options: FlowllmErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.expose = options.expose ?? false;
    this.status = options.status;
  }

  static isInstance(value: unknown): value is FlowllmError {
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
