import type { CorsConfig } from '../config/config-types.js';
import { HttpError } from './http-error.js';

const ANY = '*';

function allowsOrigin(cors: CorsConfig, origin: string): boolean {
  return cors.allow_origins.includes(ANY) || cors.allow_origins.includes(origin);
}

/**
 * The CORS headers of an ordinary response to a request from `origin` (none for a disallowed origin
 * or a request without `Origin`). With credentials allowed, the origin is echoed rather than `*`,
 * as browsers require.
 *
 * @example
 * corsHeaders(cors, 'https://app.example') // { 'access-control-allow-origin': 'https://app.example', … }
 */
export function corsHeaders(cors: CorsConfig, origin: string | undefined): Record<string, string> {
  if (!cors.enabled || !origin || !allowsOrigin(cors, origin)) return {};
  const echo = cors.allow_credentials || !cors.allow_origins.includes(ANY);
  const headers: Record<string, string> = { 'access-control-allow-origin': echo ? origin : ANY };
  if (echo) headers.vary = 'Origin';
  if (cors.allow_credentials) headers['access-control-allow-credentials'] = 'true';
  if (cors.expose_headers.length > 0)
    headers['access-control-expose-headers'] = cors.expose_headers.join(', ');
  return headers;
}

/**
 * Answers a CORS preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`): 204 with
 * the allowed methods and headers, or 400 naming what is not allowed.
 *
 * @example
 * preflightHeaders(cors, 'https://app.example', 'POST', 'content-type')
 */
export function preflightHeaders(
  cors: CorsConfig,
  origin: string,
  method: string,
  requestHeaders: string | undefined,
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
