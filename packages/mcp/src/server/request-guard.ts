/**
 * Which `Host` and `Origin` headers an MCP HTTP endpoint accepts (DNS-rebinding protection).
 *
 * @example
 * const policy: RequestGuardOptions = { boundHost: '127.0.0.1', allowedOrigins: ['https://app.example'] };
 */
export interface RequestGuardOptions {
  /**
   * The address the server listens on. On a loopback one (`localhost`, `127.x.x.x`, `::1`) only
   * loopback `Host` names are accepted (plus `allowedHosts`), and only loopback origins (plus
   * `allowedOrigins`): a web page cannot reach the local server by rebinding its own domain to 127.0.0.1.
   * @default none: treated as not loopback
   */
  boundHost?: string;
  /**
   * More `Host` names to accept (`example.com` or `example.com:8001`). Set on a non-loopback address,
   * only these are accepted.
   * @default []
   */
  allowedHosts?: readonly string[];
  /**
   * Browser origins to accept (`https://app.example`; `*`: any). A request without `Origin` (not from a
   * browser) is always accepted; a cross-origin one not listed gets 403.
   * @default []: loopback origins on a loopback address, same-origin requests otherwise
   */
  allowedOrigins?: readonly string[];
}

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

/**
 * Whether `host` (a bind address or a `Host` name, without port) is a loopback one.
 *
 * @example
 * isLoopbackHost('127.0.0.1'); // true
 * isLoopbackHost('0.0.0.0'); // false
 */
export function isLoopbackHost(host: string): boolean {
  const name = host.toLowerCase().replace(/^\[|\]$/g, '');
  return name === 'localhost' || name === '::1' || /^127\.\d+\.\d+\.\d+$/.test(name);
}

/**
 * A check of a request's `Host` and `Origin` headers against a {@link RequestGuardOptions} policy:
 * returns why the request must be refused with 403, or `undefined` to let it through.
 *
 * @example
 * const refuse = requestGuard({ boundHost: '127.0.0.1' });
 * refuse({ host: 'evil.example:8001' }); // 'Invalid Host header: evil.example:8001'
 * refuse({ host: 'localhost:8001', origin: 'http://localhost:6274' }); // undefined
 */
export function requestGuard(
  options: RequestGuardOptions,
): (headers: { host?: string; origin?: string }) => string | undefined {
  const loopback = options.boundHost !== undefined && isLoopbackHost(options.boundHost);
  const hosts = [...(loopback ? LOOPBACK_NAMES : []), ...(options.allowedHosts ?? [])].map(lower);
  const origins = (options.allowedOrigins ?? []).map(lower);
  return ({ host, origin }) => {
    const hostHeader = lower(host ?? '');
    if (hosts.length > 0 && !hosts.includes(hostHeader) && !hosts.includes(hostnameOf(hostHeader))) {
      return `Invalid Host header: ${host ?? '(none)'}`;
    }
    if (origin === undefined || origins.includes('*') || origins.includes(lower(origin))) return undefined;
    const originHost = originHostOf(origin);
    const fine =
      originHost !== undefined &&
      (origins.length > 0
        ? false
        : loopback
          ? isLoopbackHost(hostnameOf(originHost))
          : originHost === hostHeader);
    return fine ? undefined : `Invalid Origin header: ${origin}`;
  };
}

function lower(text: string): string {
  return text.trim().toLowerCase();
}

/** `example.com:8001` → `example.com`; `[::1]:8001` → `[::1]`. */
function hostnameOf(host: string): string {
  return host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d+$/, '');
}

function originHostOf(origin: string): string | undefined {
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.host.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}
