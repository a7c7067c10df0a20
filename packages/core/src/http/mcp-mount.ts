// The MCP endpoint mounted beside the flow routes (`createFlowService(config, { mcp: true })`). It
// lives in @flowllm/mcp, which core does not depend on: it is checked for at service creation and
// imported on the first MCP request.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import { ConfigError } from '../config/config-error.js';
import type { FlowApp } from '../engine/flow-app.js';
import { errorMessage } from '../errors.js';
import { type LoadedMcpEndpoint, loadMcp, McpNotInstalledError, mcpInstalled } from './load-mcp.js';
import { RESERVED_PATHS } from './routes.js';
import type { ServiceLogger } from './service-types.js';

/**
 * The `mcp` option of `createFlowService` and of every adapter: `true` mounts the MCP Streamable HTTP
 * endpoint at `/mcp` beside the flow routes, an object sets where and how.
 *
 * @example
 * const service = createFlowService('my_config', { mcp: { path: '/mcp', allowed_origins: ['http://localhost:6274'] } });
 */
export interface McpMountOptions {
  /**
   * The endpoint's path below where the service is mounted; a flow cannot have its name.
   * @default "/mcp"
   */
  path?: string;
  /**
   * No sessions: every POST is answered on its own, GET and DELETE get 405.
   * @default false: stateful sessions (`mcp-session-id`)
   */
  stateless?: boolean;
  /**
   * Origins allowed to call the endpoint besides its own (a browser-based MCP client, e.g.
   * `http://localhost:6274`).
   * @default none: same-origin and no-Origin requests only
   */
  allowed_origins?: string[];
  /**
   * `Host` values allowed (`name` for any port, `name:port`); needed behind a reverse proxy on the
   * same machine, which reaches a loopback port with its public Host.
   * @default none: any Host, but a loopback name only on a loopback connection (DNS-rebinding protection)
   */
  allowed_hosts?: string[];
}

const MOUNT_KEYS: Record<keyof McpMountOptions, 'string' | 'boolean' | 'strings'> = {
  path: 'string',
  stateless: 'boolean',
  allowed_origins: 'strings',
  allowed_hosts: 'strings',
};

/** Unknown keys (`allowedOrigins` is @flowllm/mcp's own spelling) and wrong types fail when the service is made. */
function checkMountOptions(options: McpMountOptions): void {
  const issues: { path: string; message: string }[] = [];
  for (const [key, value] of Object.entries(options)) {
    const kind = MOUNT_KEYS[key as keyof McpMountOptions];
    if (!kind) {
      issues.push({
        path: `mcp.${key}`,
        message: `unknown key; expected ${Object.keys(MOUNT_KEYS).join(', ')}`,
      });
      continue;
    }
    if (value === undefined) continue;
    const fits =
      kind === 'strings'
        ? Array.isArray(value) && value.every((item) => typeof item === 'string')
        : typeof value === kind;
    if (!fits) {
      const expected = kind === 'strings' ? 'a list of strings' : `a ${kind}`;
      issues.push({ path: `mcp.${key}`, message: `must be ${expected}` });
    }
  }
  if (issues.length > 0) throw new ConfigError(issues);
}

/** A request and response of Node's `http` or `http2` (compatibility API) server. */
type NodeRequest = IncomingMessage | Http2ServerRequest;
type NodeResponse = ServerResponse | Http2ServerResponse;

/**
 * The mounted endpoint as the service sees it: its path, and the requests for it handed to
 * @flowllm/mcp's `createMcpEndpoint` once that is loaded.
 *
 * @example
 * if (service.mcp?.path === path) return service.mcp.handleNode(req, res, req.body);
 */
export class McpMount {
  readonly path: string;
  private endpoint: Promise<LoadedMcpEndpoint> | undefined;
  private closed = false;

  constructor(
    private readonly app: FlowApp,
    private readonly options: McpMountOptions,
    private readonly logger: ServiceLogger,
  ) {
    // Checked now, so a missing package fails here and not at the first MCP request; imported then.
    if (!mcpInstalled(process.cwd())) throw new McpNotInstalledError("createFlowService's `mcp` option");
    checkMountOptions(options);
    this.path = mountPath(options.path ?? '/mcp');
    const name = this.path.slice(1);
    const taken = RESERVED_PATHS.has(name)
      ? "the service's own route"
      : app.flows.has(name)
        ? `the flow '${name}'`
        : '';
    if (taken)
      throw new ConfigError([
        { path: 'mcp.path', message: `the MCP endpoint's path '${this.path}' is taken by ${taken}` },
      ]);
  }

  /** Serves a request for the endpoint's path on Node's objects. */
  async handleNode(request: NodeRequest, response: NodeResponse, parsedBody?: unknown): Promise<void> {
    const endpoint = await this.load(() => answerNode(response));
    await endpoint?.handleNode(request as IncomingMessage, response as ServerResponse, parsedBody);
  }

  /** Serves a web `Request` for the endpoint's path. */
  async handleFetch(
    request: Request,
    options: { parsedBody?: unknown; localAddress?: string },
  ): Promise<Response> {
    let failed: Response | undefined;
    const endpoint = await this.load(() => {
      failed = unavailable();
    });
    return endpoint ? endpoint.handleFetch(request, options) : (failed ?? unavailable());
  }

  /** Closes every MCP session (aborting the tools they run); later MCP requests get 503. */
  async close(): Promise<void> {
    this.closed = true;
    const endpoint = await this.endpoint?.catch(() => undefined);
    await endpoint?.close();
  }

  /** The endpoint, imported on first use; a failed import is logged and answered 503. */
  private async load(onFailure: () => void): Promise<LoadedMcpEndpoint | undefined> {
    if (this.closed) return void onFailure();
    this.endpoint ??= loadMcp({ cwd: process.cwd(), feature: "createFlowService's `mcp` option" }).then(
      (mcp) =>
        mcp.createMcpEndpoint(this.app, {
          path: this.path,
          stateless: this.options.stateless ?? false,
          allowedOrigins: this.options.allowed_origins,
          allowedHosts: this.options.allowed_hosts,
          logger: this.logger,
        }),
    );
    try {
      return await this.endpoint;
    } catch (error) {
      this.logger.error(`the MCP endpoint could not be loaded: ${errorMessage(error)}`);
      onFailure();
      return undefined;
    }
  }
}

/** `mcp` as given to `createFlowService` → the mount options, or undefined when off. */
export function mcpMountOptions(mcp: boolean | McpMountOptions | undefined): McpMountOptions | undefined {
  if (mcp === undefined || mcp === false) return undefined;
  return mcp === true ? {} : mcp;
}

/** '/mcp', 'mcp' and '/mcp/' all mean '/mcp'; one segment, so it sits beside the flow routes. */
function mountPath(path: string): string {
  const normalized = `/${path.replace(/^\/+|\/+$/g, '')}`;
  if (normalized === '/' || normalized.indexOf('/', 1) !== -1 || /[?#\s]/.test(normalized))
    throw new ConfigError([
      { path: 'mcp.path', message: `expected one path segment such as '/mcp', found '${path}'` },
    ]);
  return normalized;
}

const UNAVAILABLE = JSON.stringify({
  jsonrpc: '2.0',
  error: { code: -32000, message: 'Service Unavailable: the MCP endpoint is not available' },
  id: null,
});

function unavailable(): Response {
  return new Response(UNAVAILABLE, { status: 503, headers: { 'content-type': 'application/json' } });
}

function answerNode(response: NodeResponse): void {
  if (response.headersSent) return void response.end();
  response.writeHead(503, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(UNAVAILABLE)),
  });
  response.end(UNAVAILABLE);
}
