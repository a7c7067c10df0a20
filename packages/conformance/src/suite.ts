import { describe } from 'vitest';
import { backpressureCases } from './cases/backpressure.js';
import { coexistenceCases } from './cases/coexistence.js';
import { corsCases } from './cases/cors.js';
import { disconnectCases } from './cases/disconnect.js';
import { errorCases } from './cases/errors.js';
import { eventSourceCases } from './cases/event-source.js';
import { flowllmClientCases } from './cases/flowllm-client.js';
import { nodeHttp2Cases } from './cases/http2.js';
import { inputCases } from './cases/input.js';
import { mcpCases } from './cases/mcp.js';
import { openaiFacadeCases } from './cases/openai-facade.js';
import { openapiCases } from './cases/openapi.js';
import { prefixCases } from './cases/prefix.js';
import { resumeCases } from './cases/resume.js';
import { routesCases } from './cases/routes.js';
import { nodeServeCases } from './cases/serve.js';
import { shutdownCases } from './cases/shutdown.js';
import { streamCapCases } from './cases/stream-cap.js';
import { streamingCases } from './cases/streaming.js';
import { uiStreamCases } from './cases/ui-stream.js';
import { type SuiteContext, useTarget } from './harness.js';
import type { ConformanceTarget } from './types.js';

const GROUPS = {
  routes: routesCases,
  openapi: openapiCases,
  input: inputCases,
  streaming: streamingCases,
  'event-source': eventSourceCases,
  errors: errorCases,
  cors: corsCases,
  disconnect: disconnectCases,
  backpressure: backpressureCases,
  shutdown: shutdownCases,
  'stream-cap': streamCapCases,
  'flowllm-client': flowllmClientCases,
  coexistence: coexistenceCases,
  prefix: prefixCases,
  mcp: mcpCases,
  resume: resumeCases,
  'ui-stream': uiStreamCases,
  'openai-facade': openaiFacadeCases,
} satisfies Record<string, (ctx: SuiteContext) => void>;

export type ConformanceGroup = keyof typeof GROUPS;

/** Mounted at the root, every group but `prefix` (which needs a prefix). */
const ROOT_GROUPS: ConformanceGroup[] = Object.keys(GROUPS).filter(
  (group): group is ConformanceGroup => group !== 'prefix',
);

/** Mounted under a prefix: a selection, and the prefix's own cases. */
const PREFIX_GROUPS: ConformanceGroup[] = [
  'routes',
  'input',
  'event-source',
  'cors',
  'disconnect',
  'coexistence',
  'prefix',
  'mcp',
  'resume',
  'ui-stream',
  'openai-facade',
];

export interface SuiteOptions {
  /** Only these groups (default: all of them at the root, a selection under a prefix). */
  groups?: ConformanceGroup[];
  /** The mount points to run (default `['', '/api']`). */
  prefixes?: string[];
}

/**
 * Registers the conformance suite for one target with vitest's `describe`/`it`: every group with
 * the flows mounted at the root, a selection with them under `/api`, and, for targets with
 * `capabilities.node`, the node-only cases (HTTP/2, `serve()`'s graceful close).
 *
 * @example
 * runConformanceSuite({ name: 'express', start: async (options) => … });
 */
export function runConformanceSuite(target: ConformanceTarget, options: SuiteOptions = {}): void {
  const prefixes = options.prefixes ?? ['', '/api'];
  describe(`conformance [${target.name}]`, () => {
    for (const prefix of prefixes) {
      const defaults = prefix ? PREFIX_GROUPS : ROOT_GROUPS;
      const groups = defaults.filter((group) => !options.groups || options.groups.includes(group));
      if (groups.length === 0) continue;
      describe(prefix ? `mounted under ${prefix}` : 'mounted at the root', () => {
        const ctx = useTarget(target, prefix);
        for (const group of groups) GROUPS[group](ctx);
      });
    }
    if (target.capabilities?.node && !options.groups) {
      nodeHttp2Cases();
      nodeServeCases();
    }
  });
}
