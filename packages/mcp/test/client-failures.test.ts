import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HANG_MS, settles, waitFor } from '@flowllm/conformance';
import { describe, expect, it } from 'vitest';
import {
  agentApp,
  answerOn,
  callTool,
  closeAfterTest,
  httpEcho,
  stdioEcho,
  toolMessages,
  track,
} from './client-helpers.js';

// A dead, stuck or abandoned external MCP server: a clear error within the op's time, never a hang.

/** A port nothing listens on: it was free a moment ago. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Accepts connections and never answers a byte. */
async function blackHole(): Promise<{ url: string; server: Server }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closeAfterTest(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/sse`, server };
}

const echoScript = [answerOn('.', 'Done.'), callTool('say', 'echo', { text: 'hi' })];

describe('an external MCP server that cannot serve', () => {
  it.each([
    ['a closed port', async () => ({ type: 'sse', url: `http://127.0.0.1:${await closedPort()}/sse` })],
    [
      'a stdio command that exits',
      async () => ({ command: process.execPath, args: ['-e', 'process.exit(3)'] }),
    ],
    ['a stdio command that does not exist', async () => ({ command: 'flowllm-no-such-mcp-server' })],
  ])('%s: the agent fails naming the server, long before the 30 s timeout', async (_, server) => {
    const app = track(agentApp({ servers: { echo: await server() }, script: echoScript }));
    const started = performance.now();
    const error = await settles(
      app.run('agent', { query: 'say hi' }).then(
        () => undefined,
        (failure: unknown) => failure as Error,
      ),
      'the failed run',
    );
    expect(error?.message).toMatch(/^ReactAgentOp failed: MCP server 'echo' cannot be reached: ./);
    expect(performance.now() - started).toBeLessThan(HANG_MS);
  });

  it('with raise_exception=False the agent goes on without the tools and reports the server', async () => {
    const port = await closedPort();
    const app = track(
      agentApp({
        servers: { echo: { type: 'streamable-http', url: `http://127.0.0.1:${port}/mcp` } },
        script: [{ match: 'say', answer: 'No tools today.' }],
        tools: 'McpToolsOp(server="echo", raise_exception=False)',
      }),
    );
    const response = await app.run('agent', { query: 'say hi' });
    expect(response.answer).toBe('No tools today.');
    expect(response.metadata.errors).toEqual([
      {
        op: 'McpToolsOp',
        message: expect.stringMatching(/^MCP server 'echo' cannot be reached: .*ECONNREFUSED/),
      },
    ]);
  });

  it('a server that dies during a call: the call is not sent again (a tool may have acted), the model gets the error', async () => {
    const log = join(mkdtempSync(join(tmpdir(), 'mcp-die-')), 'calls.log');
    const app = track(
      agentApp({
        servers: { echo: { ...stdioEcho, env: { ECHO_CALL_LOG: log } } },
        script: [answerOn('^Error: ', 'It died.'), callTool('die', 'die')],
      }),
    );
    const response = await settles(app.run('agent', { query: 'die' }), 'the run whose server dies');
    expect(toolMessages(response.metadata)).toEqual([
      expect.stringMatching(/^Error: tool 'die' failed: MCP server 'echo' failed to run the tool 'die': /),
    ]);
    expect(readFileSync(log, 'utf8').trim().split('\n')).toHaveLength(1);
  });

  it('a server that dies after listing: the call is an error result for the model', async () => {
    const server = await httpEcho('streamable-http');
    const app = track(
      agentApp({
        servers: { echo: { type: 'streamable-http', url: server.url } },
        script: [answerOn('^Error: ', 'It is down.'), callTool('say', 'echo', { text: 'hi' })],
      }),
    );
    // List the tools while the server is up (the pool keeps them), then stop it.
    await app.flowFromExpression('McpToolsOp(server="echo")', false).run();
    await server.close();
    const response = await settles(app.run('agent', { query: 'say hi' }), 'the run against a dead server');
    expect(toolMessages(response.metadata)).toEqual([
      expect.stringMatching(
        /^Error: tool 'echo' failed: MCP server 'echo' (cannot be reached|failed to run the tool 'echo'): /,
      ),
    ]);
    expect(response.answer).toBe('It is down.');
  });

  it("a tool that never answers times out after the op's timeout, and the server is told to stop", async () => {
    const server = await httpEcho('streamable-http');
    const app = track(
      agentApp({
        servers: { echo: { type: 'streamable-http', url: server.url } },
        script: [answerOn('^Error: ', 'Too slow.'), callTool('wait', 'hang')],
        tools: 'McpToolsOp(server="echo", timeout=0.5)',
      }),
    );
    const started = performance.now();
    const response = await settles(app.run('agent', { query: 'wait' }), 'the timed-out run');
    expect(performance.now() - started).toBeGreaterThanOrEqual(500);
    expect(toolMessages(response.metadata)).toEqual([
      "Error: tool 'hang' failed: MCP server 'echo' did not run the tool 'hang' within 0.5 s",
    ]);
    await waitFor(() => server.stats.cancelled === 1, HANG_MS, 'the server to see the call cancelled');
  });

  it("a server that accepts and never answers: connecting times out after the server's timeout", async () => {
    const { url } = await blackHole();
    const app = track(
      agentApp({ servers: { echo: { type: 'sse', url, timeout: 0.3 } }, script: echoScript }),
    );
    const started = performance.now();
    await expect(settles(app.run('agent', { query: 'say hi' }), 'the run')).rejects.toThrow(
      "ReactAgentOp failed: MCP server 'echo' did not connect within 0.3 s",
    );
    expect(performance.now() - started).toBeGreaterThanOrEqual(300);
  });

  it("the agent's abort cancels the call in flight on the server", async () => {
    const server = await httpEcho('streamable-http');
    const app = track(
      agentApp({
        servers: { echo: { type: 'streamable-http', url: server.url } },
        script: [callTool('wait', 'hang')],
        stream: true,
      }),
    );
    const controller = new AbortController();
    const stream = app.stream('agent', { query: 'wait' }, { signal: controller.signal });
    const drained = (async () => {
      for await (const _ of stream);
    })();
    await waitFor(() => server.stats.hanging === 1, HANG_MS, 'the call to reach the server');
    controller.abort();
    await settles(drained, 'the aborted stream to end');
    await waitFor(() => server.stats.cancelled === 1, HANG_MS, 'the server to see the call cancelled');
    expect(server.stats.hanging).toBe(0);
  });

  it('an op naming a server the config lacks fails the config at start, naming the configured ones', () => {
    for (const tools of ['McpToolsOp(server="other")', 'BaseMcpOp(mcp_name="other", tool_name="echo")']) {
      expect(() => agentApp({ servers: { echo: stdioEcho }, tools, script: [] })).toThrow(
        /flow\.agent\.flow_content: \w+: MCP server 'other' is not in the config's external_mcp; configured: echo/,
      );
    }
  });

  it('a stdio server is never taken from a request: McpToolsOp names only configured servers', async () => {
    const app = track(agentApp({ servers: { echo: stdioEcho }, script: echoScript }));
    await expect(app.flowFromExpression('McpToolsOp(server="other")', false).run()).rejects.toThrow(
      "MCP server 'other' is not in the config's external_mcp; configured: echo",
    );
  });
});
