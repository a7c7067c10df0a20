import { realpathSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { corePackageRoot } from '../config/locate.js';
import type { FlowApp } from '../engine/flow-app.js';
import type { OpClass } from '../op/base-op.js';
import { importOptionalPeer, resolveFrom } from './optional-peer.js';
import type { ServiceLogger } from './service-types.js';

const MCP_PACKAGE = '@flowllm/mcp';

/**
 * `@flowllm/mcp` is not installed where flowllm looks for it (beside this @flowllm/core, then from the
 * working directory), or the one found there is built on another copy of @flowllm/core. The message
 * says what needs it and how to install it (or which flowllm to run).
 *
 * @example
 * throw new McpNotInstalledError('backend=mcp'); // "backend=mcp needs @flowllm/mcp: npm install @flowllm/mcp"
 */
export class McpNotInstalledError extends Error {
  override name = 'McpNotInstalledError';

  /** `message` replaces the install hint (an install that cannot be used). */
  constructor(feature: string, message = `${feature} needs ${MCP_PACKAGE}: npm install ${MCP_PACKAGE}`) {
    super(message);
  }
}

/**
 * A running MCP server, as `@flowllm/mcp`'s `serveMcp` returns it.
 *
 * @example
 * const running: LoadedMcpServer = await mcp.serveMcp(app);
 */
export interface LoadedMcpServer {
  transport: 'stdio' | 'sse' | 'streamable-http';
  url?: string;
  /** Resolves when the server stopped (closed, or the stdio client went away). */
  closed: Promise<void>;
  close(): Promise<void>;
}

/**
 * The Streamable HTTP endpoint `@flowllm/mcp`'s `createMcpEndpoint` makes, to mount beside flow routes.
 *
 * @example
 * const endpoint: LoadedMcpEndpoint = mcp.createMcpEndpoint(app, { path: '/mcp' });
 */
export interface LoadedMcpEndpoint {
  path: string;
  handleNode(req: IncomingMessage, res: ServerResponse, parsedBody?: unknown): Promise<void>;
  handleFetch(request: Request, options?: { parsedBody?: unknown; localAddress?: string }): Promise<Response>;
  close(): Promise<void>;
}

/**
 * What core uses of `@flowllm/mcp` (typed here: core cannot depend on it, it depends on core).
 *
 * @example
 * const mcp: McpModule = await loadMcp({ cwd: process.cwd(), feature: 'backend=mcp' });
 */
export interface McpModule {
  /** The op classes that call external MCP servers (McpToolsOp, …), for `createFlowApp({ ops })`. */
  mcpOps?: OpClass[];
  serveMcp(app: FlowApp, options?: Record<string, unknown>): Promise<LoadedMcpServer>;
  createMcpEndpoint(
    app: FlowApp,
    options?: {
      path?: string;
      stateless?: boolean;
      allowedOrigins?: string[];
      allowedHosts?: string[];
      logger?: ServiceLogger;
    },
  ): LoadedMcpEndpoint;
}

/**
 * Imports `@flowllm/mcp`, an optional peer of core: first the copy beside this @flowllm/core (an app's
 * own install), then one resolved from `cwd` (a project's, when flowllm runs from elsewhere). Throws
 * {@link McpNotInstalledError} naming `feature` when neither is installed, or when the working
 * directory's is built on another copy of @flowllm/core; any other import failure (a broken install)
 * is thrown as it is.
 *
 * @example
 * const { serveMcp } = await loadMcp({ cwd: process.cwd(), feature: 'backend=mcp' });
 * const running = await serveMcp(app);
 */
export async function loadMcp(options: { cwd: string; feature: string }): Promise<McpModule> {
  const loaded = await importOptionalPeer({
    name: MCP_PACKAGE,
    cwd: options.cwd,
    missing: () => new McpNotInstalledError(options.feature),
    checkFound: checkSameCore,
  });
  if (typeof (loaded as Partial<McpModule>).serveMcp !== 'function') {
    throw new Error(`${MCP_PACKAGE} is too old for this @flowllm/core (no serveMcp): update it`);
  }
  return loaded as McpModule;
}

/**
 * Whether `@flowllm/mcp` can be found where {@link loadMcp} looks for it, without loading it: for
 * options that must fail when they are given (e.g. `createFlowService(…, { mcp: true })`), not later.
 *
 * @example
 * if (!mcpInstalled(process.cwd())) throw new McpNotInstalledError('mcp: true');
 */
export function mcpInstalled(cwd: string): boolean {
  try {
    createRequire(import.meta.url).resolve(MCP_PACKAGE);
    return true;
  } catch {
    return resolveFrom(cwd, MCP_PACKAGE) !== undefined;
  }
}

/**
 * A project's @flowllm/mcp built on another copy of @flowllm/core (a global flowllm, a project-local
 * mcp) would mix two copies' classes: refused, as `ops=` modules are, before it is imported.
 */
function checkSameCore(mcpFile: string): void {
  const coreEntry = resolveFrom(path.dirname(mcpFile), '@flowllm/core');
  const root = realpathSync(corePackageRoot());
  if (coreEntry === undefined || realpathSync(coreEntry).startsWith(root + path.sep)) return;
  throw new McpNotInstalledError(
    '',
    `${MCP_PACKAGE} in ${path.dirname(mcpFile)} uses another copy of @flowllm/core than this flowllm (${root}); run the project's own flowllm (npx flowllm)`,
  );
}
