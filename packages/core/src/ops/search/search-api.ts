import { FlowllmError } from '../../errors.js';
import { causeCode, errorBodyCode, errorBodyMessage, redact } from '../../models/upstream-details.js';
import { OpConfigError } from '../../op/op-errors.js';

/**
 * One JSON call to a web search service (DashScope, Tavily): where, with which key, and the limits
 * that keep a slow or huge answer from holding the flow.
 *
 * @example
 * const call: SearchApiCall = { service: 'Tavily', url, apiKey, body: { query }, signal, timeoutSeconds: 60, maxBytes: 8_388_608 };
 */
export interface SearchApiCall {
  /** The service's name, for messages ("Tavily"). */
  service: string;
  url: string;
  /** Sent as `Authorization: Bearer …`; never shown in errors. */
  apiKey: string;
  body: unknown;
  /** The op's signal: the flow's abort stops the call. */
  signal: AbortSignal;
  timeoutSeconds: number;
  /** The largest answer read; a longer one fails the call. */
  maxBytes: number;
}

/**
 * POSTs `body` as JSON and returns the parsed JSON answer. Every failure — no connection, a timeout,
 * an HTTP error status, an answer cut off, too large or not JSON — is an exposed `FLOWLLM_SEARCH`
 * error with status 502 whose message names the service, the status and the service's error code but
 * never its error text (it may echo the request); that goes, redacted, to the log detail. When the
 * flow's own signal aborts, its reason is thrown instead.
 *
 * @example
 * const answer = await postSearchJson({ service: 'Tavily', url: 'https://api.tavily.com/search', apiKey, body: { query }, signal, timeoutSeconds: 60, maxBytes: 8_388_608 });
 */
export async function postSearchJson(call: SearchApiCall): Promise<unknown> {
  const timeout = AbortSignal.timeout(call.timeoutSeconds * 1000);
  const signal = AbortSignal.any([call.signal, timeout]);
  const failed = (what: string, detail?: string) => searchFailure(call, what, detail);
  try {
    const response = await fetch(call.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${call.apiKey}` },
      body: JSON.stringify(call.body),
      signal,
    });
    const text = await readCapped(response, call.maxBytes, failed);
    if (!response.ok) {
      const body = parseOrText(text);
      throw failed(statusSummary(response.status, errorBodyCode(body)), errorBodyMessage(body));
    }
    try {
      return JSON.parse(text);
    } catch {
      throw failed('answered with invalid JSON');
    }
  } catch (error) {
    if (call.signal.aborted) throw call.signal.reason;
    if (FlowllmError.isInstance(error)) throw error;
    if (timeout.aborted) throw failed(`did not answer within ${call.timeoutSeconds} s (timeout)`);
    const code = causeCode(error);
    // fetch fails with "terminated" when the connection closes in the middle of the body.
    if (error instanceof TypeError && error.message === 'terminated') throw failed('cut its answer off');
    throw failed(`could not be reached${code ? ` (${code})` : ''}`);
  }
}

/**
 * A web search service's base URL: the op's `base_url`, else `fallback`; an http(s) URL without a
 * trailing slash, or an `OpConfigError` at build time.
 *
 * @example
 * searchBaseUrl('TavilySearchOp', null, 'https://api.tavily.com'); // 'https://api.tavily.com'
 */
export function searchBaseUrl(
  opName: string,
  configured: string | null | undefined,
  fallback: string,
): string {
  const url = configured || fallback;
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new OpConfigError(`${opName}: option 'base_url' must be an http(s) URL`);
  }
  return url.replace(/\/+$/, '');
}

/**
 * The API key in `name` (the app's environment, filled from `.env` at start-up), or an exposed error
 * saying which variable to set: a missing key refuses the call, it does not crash the flow.
 *
 * @example
 * const apiKey = searchApiKey('TavilySearchOp', 'TAVILY_API_KEY', this.context.resources.env);
 */
export function searchApiKey(
  opName: string,
  name: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): string {
  const key = env[name]?.trim();
  if (key) return key;
  throw new FlowllmError('FLOWLLM_SEARCH', `${opName} needs ${name}: set it in the environment or in .env`, {
    expose: true,
    status: 500,
  });
}

/**
 * The exposed 502 a search op throws when a service's answer is unusable, e.g. JSON of another shape.
 *
 * @example
 * throw searchAnswerError('DashScope', 'answered without an output');
 */
export function searchAnswerError(service: string, what: string): FlowllmError {
  return new FlowllmError('FLOWLLM_SEARCH', `${service} ${what}`, { expose: true, status: 502 });
}

function searchFailure(call: SearchApiCall, what: string, detail?: string): FlowllmError {
  return new FlowllmError('FLOWLLM_SEARCH', `${call.service} ${what}`, {
    expose: true,
    status: 502,
    logDetail: detail === undefined ? undefined : redact(detail, call.apiKey),
  });
}

/** What an error status means, with the service's error code (an identifier, safe to show). */
function statusSummary(status: number, code: string | undefined): string {
  const what =
    status === 401 || status === 403
      ? 'refused the API key'
      : status === 429
        ? 'rate limited the call'
        : status >= 500
          ? 'failed'
          : 'refused the request';
  return `${what} (HTTP ${status}${code ? `, ${code}` : ''})`;
}

/** The body as text, refusing (and cancelling) it past `maxBytes`. */
async function readCapped(
  response: Response,
  maxBytes: number,
  failed: (what: string) => FlowllmError,
): Promise<string> {
  const tooLarge = () => failed(`answered with more than ${maxBytes} bytes`);
  if (Number(response.headers.get('content-length')) > maxBytes) {
    await response.body?.cancel();
    throw tooLarge();
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let size = 0;
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    text += decoder.decode(value, { stream: true });
  }
}

function parseOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
