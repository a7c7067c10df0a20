// Shared by the client tests: an agent app whose mock model calls one tool of an external MCP server.
import { fileURLToPath } from 'node:url';
import { createFlowApp, type FlowApp } from '@flowllm/core';
import type { ExternalMcpConfig } from '@flowllm/core/ops';
import { afterEach } from 'vitest';
import { mcpOps } from '../src/index.js';
import { type HttpEchoServer, startHttpEchoServer } from './fixtures/echo-mcp-server.mjs';

/** The stdio echo server: this Node running the fixture. */
export const stdioEcho: ExternalMcpConfig = {
  command: process.execPath,
  args: [fileURLToPath(new URL('./fixtures/echo-mcp-server.mjs', import.meta.url))],
};

/** A mock script entry: on a query matching `match`, call `name` with `args`. */
export const callTool = (match: string, name: string, args: Record<string, unknown> = {}) => ({
  match,
  tool_calls: [{ name, arguments: args }],
});

/** A mock script entry: once a tool result matches `pattern`, answer `answer`. */
export const answerOn = (pattern: string, answer: string) => ({ match_tool: pattern, answer });

/**
 * An app with one flow `agent` (`ReactAgentOp(tool_call_interval=0) << <tools>`) on the mock model
 * playing `script`, and `servers` as its `external_mcp`.
 */
export function agentApp(options: {
  servers: Record<string, ExternalMcpConfig>;
  script: Record<string, unknown>[];
  tools?: string;
  env?: Record<string, string>;
  stream?: boolean;
}) {
  return createFlowApp({
    env: options.env ?? {},
    ops: mcpOps,
    config: {
      llm: { default: { backend: 'mock', script: options.script } },
      external_mcp: options.servers,
      flow: {
        agent: {
          flow_content: `ReactAgentOp(tool_call_interval=0) << ${options.tools ?? 'McpToolsOp(server="echo")'}`,
          stream: options.stream ?? false,
        },
      },
    },
  });
}

/** The `tool` messages of an agent's conversation (what the model read back). */
export function toolMessages(metadata: Record<string, unknown>): string[] {
  const messages = metadata.messages as { role: string; content: string }[];
  return messages.filter((message) => message.role === 'tool').map((message) => message.content);
}

/** What each test opened (apps, echo servers), closed after it, last first. */
const opened: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of opened.splice(0).reverse()) await close();
});

/** Closes `close` after the running test. */
export function closeAfterTest(close: () => Promise<void>): void {
  opened.push(close);
}

/** `app`, closed after the running test (its MCP connections too). */
export function track(app: FlowApp): FlowApp {
  opened.push(() => app.close());
  return app;
}

/** An SDK McpServer with an `echo` tool over HTTP, closed after the running test. */
export async function httpEcho(
  transport: 'streamable-http' | 'sse',
  token?: string,
): Promise<HttpEchoServer> {
  const server = await startHttpEchoServer({ transport, ...(token && { token }) });
  opened.push(() => server.close());
  return server;
}
