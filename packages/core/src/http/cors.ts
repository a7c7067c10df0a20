import type { CorsConfig } from '../config/config-types.js';
import { HttpError } from './http-error.js';

const ANY = '*';

function allowsOrigin(cors: CorsConfig, origin: string): boolean {
  return cors.allow_origins.includes(ANY) || cors.allow_origins.includes(origin);
}

/**
 * The CORS headers of an ordinary response to a request from `origin` (none for a disallowed origin
 * or a request without `Origin`). `*` in `allow_origins` answers `*`, never with credentials (config
 * load refuses that pair); an explicit list echoes the origin, with credentials when allowed.
 *
 * @example
 * corsHeaders(cors, 'https://app.example') // { 'access-control-allow-origin': '*' } by default
 */
export function corsHeaders(cors: CorsConfig, origin: string | undefined): Record<string, string> {
  if (!cors.enabled) return {};
  const anyOrigin = cors.allow_origins.includes(ANY);
  // With a list, the answer depends on Origin: caches must keep one copy per origin.
  const headers: Record<string, string> = anyOrigin ? {} : { vary: 'Origin' };
  if (!origin || !allowsOrigin(cors, origin)) return headers;
  headers['access-control-allow-origin'] = anyOrigin ? ANY : origin;
  if (cors.allow_credentials && !anyOrigin) headers['access-control-allow-credentials'] = 'true';
  if (cors.expose_headers.length > 0)
    headers['access-control-expose-headers'] = cors.expose_headers.join(', ');
  return headers;
}

/**
 * Refuses (403) a request from a browser page on an origin outside an explicit `allow_origins` list,
 * before its flow runs: CORS alone only hides the answer, it does not stop a simple request or an
 * `EventSource` from running the flow. Requests without `Origin` (curl, servers) and same-origin
 * requests (an http(s) Origin whose host is the request's `Host`) pass. The server cannot know its own
 * scheme behind a proxy, so the scheme is not compared; a page served by DNS rebinding passes this
 * check too (its Origin and Host agree), as it passes any Host-based check.
 *
 * @example
 * refuseDisallowedOrigin(cors, request.header('origin'), () => request.header('host'));
 */
export function refuseDisallowedOrigin(
  cors: CorsConfig,
  origin: string | undefined,
  host: () => string | undefined,
): void {
  if (!cors.enabled || origin === undefined || allowsOrigin(cors, origin)) return;
  const fromHost = originHost(origin);
  if (fromHost !== undefined && fromHost === host()?.toLowerCase()) return;
  throw new HttpError(403, 'this origin may not call the flow: it is not in http.cors.allow_origins');
}

/** The host of an http(s) origin as browsers send it (no path, user or trailing slash), else undefined. */
function originHost(origin: string): string | undefined {
  try {
    const url = new URL(origin);
    const web = url.protocol === 'http:' || url.protocol === 'https:';
    return web && url.origin === origin ? url.host : undefined;
  } catch {
    return undefined;
  }
}

/** What a preflight asks for: `Access-Control-Request-Method` and `Access-Control-Request-Headers`. */
export interface PreflightRequest {
  method: string;
  requestHeaders: string | undefined;
}

/**
 * Answers a CORS preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`): 204 with
 * the allowed methods and headers, or 400 naming what is not allowed.
 *
 * @example
 * preflightHeaders(cors, 'https://app.example', { method: 'POST', requestHeaders: 'content-type' })
 */
export function preflightHeaders(
  cors: CorsConfig,
  origin: string,
  { method, requestHeaders }: PreflightRequest,
): Record<string, string> {
  if (!cors.enabled || !allowsOrigin(cors, origin)) throw new HttpError(400, 'Disallowed CORS origin');
  const anyMethod = cors.allow_methods.includes(ANY);
  if (!anyMethod && !cors.allow_methods.map((m) => m.toUpperCase()).includes(method.toUpperCase())) {
    throw new HttpError(400, 'Disallowed CORS method');
  }
  const wanted = (requestHeaders ?? '')
    .split(',')
    .map((header) => header.trim().toLowerCase())
    .filter(Boolean);
  const allowedHeaders = cors.allow_headers.map((header) => header.toLowerCase());
  if (!allowedHeaders.includes(ANY) && wanted.some((header) => !allowedHeaders.includes(header))) {
    throw new HttpError(400, 'Disallowed CORS headers');
  }
  return {
    ...corsHeaders(cors, origin),
    vary: 'Origin',
    'access-control-allow-methods': anyMethod ? 'GET, HEAD, POST, OPTIONS' : cors.allow_methods.join(', '),
    ...(wanted.length > 0 ? { 'access-control-allow-headers': wanted.join(', ') } : {}),
    'access-control-max-age': String(cors.max_age),
  };
}
