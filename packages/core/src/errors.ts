const MARKER = Symbol.for('flowllm.error');

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

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }

  static isInstance(value: unknown): value is FlowllmError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MARKER] === true;
  }
}

/** Returns a message safe to show for any thrown value. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}
