/** An error thrown by the openai or @anthropic-ai/sdk client. */
export type SdkError = Error & {
  status?: number;
  headers?: { get(name: string): string | null };
  error?: { message?: unknown; error?: { message?: unknown; type?: unknown } };
};

/**
 * A success status whose body is an error object (some proxies answer so), where a stream or a
 * result was expected; `detail` is the provider's message.
 *
 * @example
 * throw new ErrorInsteadOfResult(errorBodyMessage(body), 'a stream');
 */
export class ErrorInsteadOfResult extends Error {
  constructor(
    readonly detail: string,
    readonly expected: 'a stream' | 'a result',
  ) {
    super(`the provider answered with an error instead of ${expected}: ${detail}`);
    this.name = 'ErrorInsteadOfResult';
  }
}

/**
 * The message of a JSON error body: `error.message`, `error` (a string), `message` or `detail`, else
 * the body itself (shortened).
 *
 * @example
 * errorBodyMessage({ error: { message: 'quota exceeded', type: 'requests' } }) // 'quota exceeded'
 */
export function errorBodyMessage(body: unknown): string {
  const { error, message, detail } = (body ?? {}) as { error?: unknown; message?: unknown; detail?: unknown };
  const nested = (error as { message?: unknown } | undefined)?.message;
  for (const candidate of [nested, error, message, detail]) {
    if (typeof candidate === 'string' && candidate.trim()) return candidate;
  }
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

/**
 * Removes an API key from text: the key itself and masked echoes of it (`sk-ab***wxyz`) that some
 * providers put in their 401 messages.
 *
 * @example
 * redact('bad key sk-123456789', 'sk-123456789') // 'bad key [redacted]'
 */
export function redact(text: string, apiKey: string | undefined): string {
  let result = text.replace(/\S*\*{3,}\S*/g, (token) => (/[\w-]{3}/.test(token) ? '[redacted]' : token));
  if (apiKey && apiKey.length >= 4) result = result.split(apiKey).join('[redacted]');
  return result;
}

/** The provider's own message in an SDK error (its JSON error body), else the error's message. */
export function providerMessage(error: SdkError): string | undefined {
  const message = error?.error?.error?.message ?? error?.error?.message;
  if (typeof message === 'string' && message) return message;
  if (typeof error?.status === 'number') return undefined;
  return typeof error?.message === 'string' && error.message ? error.message : undefined;
}

/** An error's message and those of its causes (with their codes, e.g. ECONNREFUSED), joined. */
export function causeText(error: unknown): string | undefined {
  const parts: string[] = [];
  for (let current = error, depth = 0; current instanceof Error && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code;
    const text = typeof code === 'string' ? `${current.message} (${code})` : current.message;
    if (text && !parts.includes(text)) parts.push(text);
    current = current.cause;
  }
  return parts.join(': ') || undefined;
}

/** `retry-after-ms`, or `retry-after` in seconds (fractions accepted) or as an HTTP date. */
export function retryAfterMs(headers: { get(name: string): string | null } | undefined): number | undefined {
  if (!headers || typeof headers.get !== 'function') return undefined;
  const ms = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
