import type { Flow } from '../engine/flow.js';
import { HttpError } from './http-error.js';

export type Route =
  | { kind: 'health' }
  | { kind: 'openapi' }
  | { kind: 'docs' }
  | { kind: 'flow'; flow: Flow }
  | { kind: 'run'; flow: Flow; runId: string }
  | { kind: 'run-stop'; flow: Flow; runId: string };

/**
 * Paths the service itself answers; a flow cannot take these names. A Map, so a path such as
 * `/toString` or `/__proto__` finds nothing instead of an inherited member.
 */
export const RESERVED_PATHS: ReadonlyMap<string, Route['kind']> = new Map<string, Route['kind']>([
  ['health', 'health'],
  ['openapi.json', 'openapi'],
  ['docs', 'docs'],
]);

/**
 * The route at `path` (relative to where the service is mounted), or undefined when it is not ours.
 * With `runs` (resume on), `/{flow}/runs/{flow_id}` and `…/stop` of stream flows are ours too.
 */
export function resolveRoute(
  flows: ReadonlyMap<string, Flow>,
  path: string,
  options?: { runs?: boolean },
): Route | undefined {
  if (path.length < 2 || path[0] !== '/') return undefined;
  if (path.indexOf('/', 1) !== -1) return options?.runs ? resolveRunRoute(flows, path) : undefined;
  let name: string;
  try {
    name = decodeURIComponent(path.slice(1));
  } catch {
    return undefined;
  }
  const reserved = RESERVED_PATHS.get(name);
  if (reserved) return { kind: reserved } as Route;
  const flow = flows.get(name);
  return flow ? { kind: 'flow', flow } : undefined;
}

/** `/{flow}/runs/{flow_id}` or `/{flow}/runs/{flow_id}/stop` of a stream flow. */
function resolveRunRoute(flows: ReadonlyMap<string, Flow>, path: string): Route | undefined {
  const parts = path.slice(1).split('/');
  if (parts.length < 3 || parts.length > 4 || parts[1] !== 'runs') return undefined;
  if (parts.length === 4 && parts[3] !== 'stop') return undefined;
  let name: string;
  let runId: string;
  try {
    name = decodeURIComponent(parts[0] as string);
    runId = decodeURIComponent(parts[2] as string);
  } catch {
    return undefined;
  }
  const flow = flows.get(name);
  if (!flow?.isStream || runId === '') return undefined;
  return { kind: parts.length === 4 ? 'run-stop' : 'run', flow, runId };
}

/** The methods a route answers. Stream flows also answer GET (for `EventSource`). */
export function allowedMethods(route: Route): string[] {
  if (route.kind === 'run') return ['GET', 'HEAD', 'OPTIONS'];
  if (route.kind === 'run-stop') return ['POST', 'OPTIONS'];
  if (route.kind !== 'flow') return ['GET', 'HEAD', 'OPTIONS'];
  return route.flow.isStream ? ['GET', 'HEAD', 'POST', 'OPTIONS'] : ['POST', 'OPTIONS'];
}

/** Throws 405 with `Allow` unless the route answers `method`. */
export function checkMethod(route: Route, method: string): void {
  const allowed = allowedMethods(route);
  if (!allowed.includes(method))
    throw new HttpError(405, 'Method Not Allowed', { allow: allowed.join(', ') });
}
