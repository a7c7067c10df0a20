import { FlowllmError } from '@flowllm/core';
import type { ExternalMcpConfig } from '@flowllm/core/ops';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { fillHeaders } from './header-env.js';

/**
 * How one `external_mcp` server is reached: `stdio` (a `command` the app starts), `sse` (FlowLLM's
 * usual remote kind, `GET …/sse` + `POST` messages) or `streamable-http`.
 *
 * @example
 * const kind: McpTransportKind = transportKind('tongyi_search', { url: 'https://x/sse' }); // 'sse'
 */
export type McpTransportKind = 'stdio' | 'sse' | 'streamable-http';

const STREAMABLE_NAMES = new Set(['streamable-http', 'streamable_http', 'streamablehttp', 'http']);

/**
 * The transport an entry asks for, as FlowLLM's client picks it: a `command` is a local (stdio)
 * server; otherwise `type` (`sse`, `streamable-http` / `streamable_http` / `http`), and without one
 * the URL decides (`…/sse`: SSE, anything else: Streamable HTTP).
 *
 * @example
 * transportKind('local', { command: 'npx', args: ['-y', 'some-mcp-server'] }); // 'stdio'
 * transportKind('remote', { url: 'https://mcp.example/mcp' }); // 'streamable-http'
 */
export function transportKind(server: string, config: ExternalMcpConfig): McpTransportKind {
  if (config.command !== undefined) return 'stdio';
  const type = (config.type ?? '').trim().toLowerCase();
  if (type === 'sse') return 'sse';
  if (STREAMABLE_NAMES.has(type)) return 'streamable-http';
  if (type === 'stdio') {
    throw new FlowllmError('FLOWLLM_TOOL', `MCP server '${server}': type stdio needs a \`command\``, {
      expose: true,
    });
  }
  if (type !== '') {
    throw new FlowllmError(
      'FLOWLLM_TOOL',
      `MCP server '${server}': unknown type '${type}'; use sse, streamable-http or stdio (with a command)`,
      { expose: true },
    );
  }
  if (config.url === undefined) {
    throw new FlowllmError('FLOWLLM_TOOL', `MCP server '${server}' has neither \`url\` nor \`command\``, {
      expose: true,
    });
  }
  const path = parseUrl(server, config.url).pathname.replace(/\/+$/, '');
  return path.endsWith('/sse') ? 'sse' : 'streamable-http';
}

/**
 * A new SDK transport for an `external_mcp` entry, and the secrets its headers hold. Only config
 * reaches here: a stdio server's command, args, env and cwd never come from a request.
 *
 * @example
 * const { transport } = createTransport('echo', { command: 'node', args: ['server.mjs'] }, process.env);
 * await client.connect(transport);
 */
export function createTransport(
  server: string,
  config: ExternalMcpConfig,
  env: Readonly<Record<string, string | undefined>>,
): { kind: McpTransportKind; transport: Transport; secrets: string[] } {
  const kind = transportKind(server, config);
  if (kind === 'stdio') {
    const transport = new StdioClientTransport({
      command: config.command as string,
      ...(config.args && { args: [...config.args] }),
      ...(config.env && { env: { ...config.env } }),
      ...(config.cwd && { cwd: config.cwd }),
    });
    return { kind, transport, secrets: Object.values(config.env ?? {}) };
  }
  const { headers, secrets } = fillHeaders(server, config.headers, env);
  const url = parseUrl(server, config.url as string);
  const requestInit: RequestInit = { headers };
  const transport =
    kind === 'sse'
      ? new SSEClientTransport(url, { requestInit })
      : new StreamableHTTPClientTransport(url, { requestInit });
  return { kind, transport, secrets };
}

function parseUrl(server: string, url: string): URL {
  try {
    return new URL(url);
  } catch {
    throw new FlowllmError('FLOWLLM_TOOL', `MCP server '${server}': \`url\` is not a valid URL`, {
      expose: true,
    });
  }
}
