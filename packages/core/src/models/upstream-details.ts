/** An error thrown by the openai or @anthropic-ai/sdk client. */
export type SdkError = Error & {
  status?: number;
  headers?: { get(name: string): string | null };
  error?: { message?: unknown; error?: { message?: unknown; type?: unknown } };
};

/**
 * A success status whose body is an error object (some proxies answer so), where a stream or a
 * result was expected; `detail` is the provider's message, `code` its error code.
 *
 * @example
 * throw new ErrorInsteadOfResult(body, 'a stream');
 */
export class ErrorInsteadOfResult extends Error {
  readonly detail: string;
  readonly code: string | undefined;

  constructor(
    body: unknown,
    readonly expected: 'a stream' | 'a result',
  ) {
    const detail = errorBodyMessage(body);
    super(`the provider answered with an error instead of ${expected}: ${detail}`);
    this.name = 'ErrorInsteadOfResult';
    this.detail = detail;
    this.code = errorBodyCode(body);
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

// A code is an identifier: anything else (a sentence, an echo of the request) is not one.
const ERROR_CODE = /^[\w.:-]{1,64}$/;

/**
 * The provider's error code in a JSON error body, safe to show to clients: OpenAI's `error.code`
 * (else `error.type`), Anthropic's `error.type`, or a top-level `code`/`type`; only identifier-like
 * values (letters, digits, `_ . : -`, at most 64).
 *
 * @example
 * errorBodyCode({ error: { message: 'Incorrect API key provided', code: 'invalid_api_key' } }) // 'invalid_api_key'
 * errorBodyCode({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }) // 'overloaded_error'
 */
export function errorBodyCode(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const outer = body as { error?: unknown; code?: unknown; type?: unknown };
  const nested = typeof outer.error === 'object' && outer.error !== null ? outer.error : undefined;
  const inner = (nested ?? {}) as { code?: unknown; type?: unknown };
  const candidates = nested ? [inner.code, inner.type] : [outer.code, outer.type];
  for (const candidate of candidates) {
    const text = typeof candidate === 'number' ? String(candidate) : candidate;
    if (typeof text === 'string' && ERROR_CODE.test(text)) return text;
  }
  return undefined;
}

/**
 * The text `redact()` looks at; beyond it, text is cut (the cost of redaction stays bounded).
 *
 * @example
 * redact('x'.repeat(10_000), key).length <= REDACT_MAX_LENGTH + 1 // true
 */
export const REDACT_MAX_LENGTH = 4000;
const REDACTED = '[redacted]';
// `//user:password@host` (group 1: user:password) and `?token=…` / `&api-key=…` style parameters
// (group 2: the value).
const URL_SECRETS =
  /\/\/([^/\s@:]*:[^/\s@]+)@|[?&][\w.-]*(?:token|key|secret|sig|signature|password|auth)[\w.-]*=([^&#\s]+)/gi;
// Shorter runs of the key are not told apart from ordinary text.
const MIN_ECHO = 8;

/**
 * Removes an API key from text: the key in any letter case, any run of 8 or more of its characters
 * (a provider echoing "sk-proj-abcdefgh…"), the key base64-encoded (standard and url-safe, at any
 * byte offset, as inside `Basic base64(user:key)`), masked echoes (`sk-ab***wxyz`), and credentials in
 * URLs (`//user:password@`, `?token=…`, `&api-key=…`). Only the
 * first {@link REDACT_MAX_LENGTH} characters are kept (then `…`), so the cost stays linear in at
 * most that much text.
 *
 * @example
 * redact('bad key SK-123456789', 'sk-123456789') // 'bad key [redacted]'
 */
export function redact(text: string, apiKey: string | undefined): string {
  const key = apiKey && apiKey.length >= 4 ? apiKey : undefined;
  // Look a little past the cut (base64 is 4/3 the key's length): an echo across it is still found.
  const seen = text.slice(0, REDACT_MAX_LENGTH + (key ? key.length * 2 : 0));
  const secret = new Uint8Array(seen.length);
  for (const token of seen.matchAll(/\S+/g)) {
    if (token[0].includes('***') && /[\w-]{3}/.test(token[0]))
      secret.fill(1, token.index, token.index + token[0].length);
  }
  // Credentials in a URL (a proxy's user:password in base_url, a token in its query string).
  for (const match of seen.matchAll(URL_SECRETS)) {
    const value = match[1] ?? match[2] ?? '';
    const at = (match.index ?? 0) + match[0].length - value.length - (match[1] !== undefined ? 1 : 0);
    secret.fill(1, at, at + value.length);
  }
  if (key) {
    for (const form of base64Forms(key)) {
      for (let at = seen.indexOf(form); at >= 0; at = seen.indexOf(form, at + form.length))
        secret.fill(1, at, at + form.length);
    }
    markRuns(seen, key, secret);
  }
  // Marks are in the original positions, so cutting after them cannot leave a piece of an echo.
  let result = '';
  for (let index = 0; index < Math.min(seen.length, REDACT_MAX_LENGTH); index++) {
    if (!secret[index]) result += seen[index];
    else if (index === 0 || !secret[index - 1]) result += REDACTED;
  }
  return text.length > REDACT_MAX_LENGTH ? `${result}…` : result;
}

/** Marks every run of `MIN_ECHO` (or, for a shorter key, all) characters of the key, in any case. */
function markRuns(text: string, apiKey: string, secret: Uint8Array): void {
  const width = Math.min(MIN_ECHO, apiKey.length);
  const key = apiKey.toLowerCase();
  const windows = new Set<string>();
  for (let start = 0; start + width <= key.length; start++) windows.add(key.slice(start, start + width));
  for (let start = 0; start + width <= text.length; start++) {
    if (windows.has(text.slice(start, start + width).toLowerCase())) secret.fill(1, start, start + width);
  }
}

/**
 * The key's base64 at byte offsets 0, 1 and 2 (how it reads inside a longer encoded string), only
 * the characters that depend on the key alone, in the standard and the url-safe alphabet.
 */
function base64Forms(apiKey: string): string[] {
  const bytes = new TextEncoder().encode(apiKey);
  const forms = new Set<string>();
  for (let offset = 0; offset < 3; offset++) {
    const padded = new Uint8Array(offset + bytes.length);
    padded.set(bytes, offset);
    const encoded = btoa(String.fromCharCode(...padded));
    // Character i carries bits 6i..6i+5; keep those inside the key's bits.
    const core = encoded.slice(Math.ceil((offset * 8) / 6), Math.floor(((offset + bytes.length) * 8) / 6));
    if (core.length < MIN_ECHO) continue;
    forms.add(core);
    forms.add(core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return [...forms];
}

/** The provider's own message in an SDK error (its JSON error body), else the error's message. */
export function providerMessage(error: SdkError): string | undefined {
  const message = error?.error?.error?.message ?? error?.error?.message;
  if (typeof message === 'string' && message) return message;
  if (typeof error?.status === 'number') return undefined;
  return typeof error?.message === 'string' && error.message ? error.message : undefined;
}

/**
 * The provider's error code in an SDK error (see {@link errorBodyCode}): the SDKs keep the JSON error
 * body (Anthropic) or its `error` member (OpenAI) as `error.error`.
 *
 * @example
 * providerCode(authenticationError) // 'invalid_api_key'
 */
export function providerCode(error: SdkError): string | undefined {
  return errorBodyCode(error?.error);
}

/**
 * The first system error code among an error and its causes: safe to show where the message (naming
 * hosts and ports) is not.
 *
 * @example
 * causeCode(connectionError) // 'ECONNREFUSED'
 */
export function causeCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && ERROR_CODE.test(code)) return code;
    current = current.cause;
  }
  return undefined;
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
