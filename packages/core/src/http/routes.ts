import type { Flow } from '../engine/flow.js';
import type { FlowProtocol } from '../protocols/stream-encoder.js';
import { HttpError } from './http-error.js';
import { DOCS_ASSETS, type DocsAssetName } from './playground/docs-assets.js';

export type Route =
  | { kind: 'health' }
  | { kind: 'openapi' }
  | { kind: 'docs' }
  | { kind: 'timeline'; flowId: string }
  | { kind: 'docs-asset'; asset: DocsAssetName }
  | { kind: 'flow'; flow: Flow }
  | { kind: 'run'; flow: Flow; runId: string }
  | { kind: 'run-stop'; flow: Flow; runId: string }
  | { kind: 'protocol'; flow: Flow; protocol: FlowProtocol }
  | { kind: 'ui-resume'; flow: Flow; chatId: string }
  | { kind: 'openai-completions' }
  | { kind: 'openai-models' }
  | { kind: 'openai-model'; model: string }
  | { kind: 'openai-unknown' };

/** Which routes beyond the flows themselves a service answers. */
export interface RouteOptions {
  /** Resume on: `/{flow}/runs/{flow_id}` and `…/stop`. */
  runs?: boolean;
  /** Stream protocols by name: `POST /{flow}/{name}` (the built-in `ui` among them). */
  protocols?: ReadonlyMap<string, FlowProtocol>;
  /** The OpenAI facade's path (`/v1`), when it is on. */
  openaiPath?: string;
  /** `telemetry.timeline` on: `/docs/timeline/{flow_id}`. */
  timeline?: boolean;
  /** The `/docs` playground and its files (`http.docs`). @default true */
  docs?: boolean;
}

/**
 * Paths the service itself answers; a flow cannot take these names. A Map, so a path such as
 * `/toString` or `/__proto__` finds nothing instead of an inherited member.
 */
export const RESERVED_PATHS: ReadonlyMap<string, Route['kind']> = new Map<string, Route['kind']>([
  ['health', 'health'],
  ['openapi.json', 'openapi'],
  ['docs', 'docs'],
]);

/** The route at `path` (relative to where the service is mounted), or undefined when it is not ours. */
export function resolveRoute(
  flows: ReadonlyMap<string, Flow>,
  path: string,
  options: RouteOptions = {},
): Route | undefined {
  if (path.length < 2 || path[0] !== '/') return undefined;
  if (options.openaiPath && path.startsWith(`${options.openaiPath}/`)) {
    // Every path below the facade is the facade's: an unknown one gets OpenAI's 404, not a host's page.
    return resolveOpenAIRoute(path.slice(options.openaiPath.length + 1)) ?? { kind: 'openai-unknown' };
  }
  if (path.startsWith('/docs/')) return options.docs === false ? undefined : resolveDocsPath(path, options);
  if (path.indexOf('/', 1) !== -1) return resolveFlowSubRoute(flows, path, options);
  const name = decodeSegment(path.slice(1));
  if (name === undefined) return undefined;
  const reserved = RESERVED_PATHS.get(name);
  if (reserved === 'docs' && options.docs === false) return undefined;
  if (reserved) return { kind: reserved } as Route;
  const flow = flows.get(name);
  return flow ? { kind: 'flow', flow } : undefined;
}

/**
 * Below a stream flow: `/{flow}/{protocol}`, `/{flow}/ui/{chatId}/stream` (what `useChat` resumes),
 * and with resume on `/{flow}/runs/{flow_id}` and `…/stop`.
 */
function resolveFlowSubRoute(
  flows: ReadonlyMap<string, Flow>,
  path: string,
  options: RouteOptions,
): Route | undefined {
  const parts = path.slice(1).split('/').map(decodeSegment);
  if (parts.length < 2 || parts.length > 4 || parts.some((part) => part === undefined || part === ''))
    return undefined;
  const [name, second, third, fourth] = parts as string[];
  const flow = flows.get(name as string);
  if (!flow?.isStream) return undefined;
  if (second === 'runs') {
    if (!options.runs || parts.length < 3 || (parts.length === 4 && fourth !== 'stop')) return undefined;
    return { kind: parts.length === 4 ? 'run-stop' : 'run', flow, runId: third as string };
  }
  const protocol = options.protocols?.get(second as string);
  if (!protocol) return undefined;
  if (parts.length === 2) return { kind: 'protocol', flow, protocol };
  if (second === 'ui' && parts.length === 4 && fourth === 'stream')
    return { kind: 'ui-resume', flow, chatId: third as string };
  return undefined;
}

/**
 * Below the playground: its own files (`/docs/playground.js`, `/docs/playground.css`) and, with
 * `telemetry.timeline` on, a run's timeline (`/docs/timeline/{flow_id}`).
 */
function resolveDocsPath(path: string, options: RouteOptions): Route | undefined {
  const name = path.slice('/docs/'.length);
  if (DOCS_ASSETS.has(name)) return { kind: 'docs-asset', asset: name as DocsAssetName };
  if (!options.timeline || !name.startsWith('timeline/')) return undefined;
  const flowId = decodeSegment(name.slice('timeline/'.length));
  return flowId && !flowId.includes('/') ? { kind: 'timeline', flowId } : undefined;
}

/** `chat/completions`, `models` or `models/{id}` below the facade's path. */
function resolveOpenAIRoute(rest: string): Route | undefined {
  if (rest === 'chat/completions') return { kind: 'openai-completions' };
  if (rest === 'models') return { kind: 'openai-models' };
  if (!rest.startsWith('models/')) return undefined;
  const model = decodeSegment(rest.slice('models/'.length));
  return model && !model.includes('/') ? { kind: 'openai-model', model } : undefined;
}

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** The methods a route answers. Stream flows also answer GET (for `EventSource`). */
export function allowedMethods(route: Route): string[] {
  switch (route.kind) {
    case 'run':
    case 'ui-resume':
    case 'openai-models':
    case 'openai-model':
    case 'openai-unknown':
    case 'health':
    case 'openapi':
    case 'docs':
    case 'timeline':
    case 'docs-asset':
      return ['GET', 'HEAD', 'OPTIONS'];
    case 'run-stop':
    case 'protocol':
    case 'openai-completions':
      return ['POST', 'OPTIONS'];
    case 'flow':
      return route.flow.isStream ? ['GET', 'HEAD', 'POST', 'OPTIONS'] : ['POST', 'OPTIONS'];
  }
}

/** Throws 405 with `Allow` unless the route answers `method`. */
export function checkMethod(route: Route, method: string): void {
  const allowed = allowedMethods(route);
  if (!allowed.includes(method))
    throw new HttpError(405, 'Method Not Allowed', { allow: allowed.join(', ') });
}

/** Whether a route belongs to the OpenAI facade (its errors then take OpenAI's shape). */
export function isOpenAIRoute(route: Route): boolean {
  return route.kind.startsWith('openai-');
}
