import { HANG_MS, waitFor } from '@flowllm/conformance';
import { createFlowService, type FlowApp } from '@flowllm/core';
import { describe, expect, it } from 'vitest';
import { fillHeaders, redact } from '../src/client/header-env.js';
import { transportKind } from '../src/client/transport.js';
import { mcpPool } from '../src/index.js';
import {
  agentApp,
  answerOn,
  callTool,
  closeAfterTest,
  httpEcho,
  stdioEcho,
  toolMessages,
} from './client-helpers.js';

// One connection per configured server: opened on first use, kept across requests and flows,
// replaced after a failure, closed when the app closes.

function echoApp(url: string, type: 'streamable-http' | 'sse'): FlowApp {
  const app = agentApp({
    servers: { echo: { type, url } },
    script: [answerOn('^echo: ', 'Echoed.'), callTool('say', 'echo', { text: 'hi' })],
  });
  closeAfterTest(() => app.close());
  return app;
}

/** Whether a process runs (signal 0 only checks). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('the external MCP connection pool', () => {
  it.each(['streamable-http', 'sse'] as const)(
    '%s: requests and flows share one session; app.close() ends it',
    async (transport) => {
      const server = await httpEcho(transport);
      const app = echoApp(server.url, transport);
      for (let run = 0; run < 3; run++) await app.run('agent', { query: 'say hi' });
      await app.flowFromExpression('McpToolsOp(server="echo")', false).run();
      expect(server.stats).toMatchObject({ sessions: 1, calls: 3, closedSessions: 0 });
      await app.close();
      await waitFor(() => server.stats.closedSessions === 1, HANG_MS, 'the session to close');
      expect(mcpPool(app.resources).openServers).toEqual([]);
      // Still usable: the next request connects again.
      await app.run('agent', { query: 'say hi' });
      expect(server.stats.sessions).toBe(2);
    },
  );

  it("a service's shutdown closes the app's connections", async () => {
    const server = await httpEcho('streamable-http');
    const app = echoApp(server.url, 'streamable-http');
    await app.run('agent', { query: 'say hi' });
    createFlowService(app).shutdown();
    await waitFor(() => server.stats.closedSessions === 1, HANG_MS, 'the session to close');
  });

  it('a stdio server is one process for every request, stopped when the app closes', async () => {
    const app = agentApp({
      servers: { echo: stdioEcho },
      script: [answerOn('^\\d+$', 'Got the pid.'), callTool('pid', 'pid')],
    });
    closeAfterTest(() => app.close());
    const pids = [];
    for (let run = 0; run < 2; run++)
      pids.push(...toolMessages((await app.run('agent', { query: 'pid' })).metadata));
    const pid = Number(pids[0]);
    expect(pids).toEqual([String(pid), String(pid)]);
    expect(alive(pid)).toBe(true);
    await app.close();
    await waitFor(() => !alive(pid), HANG_MS, 'the stdio server to exit');
  });

  it('a server that lost the session (restarted): the next call reconnects and succeeds', async () => {
    const server = await httpEcho('streamable-http');
    const app = echoApp(server.url, 'streamable-http');
    await app.run('agent', { query: 'say hi' });
    server.forgetSessions();
    const response = await app.run('agent', { query: 'say hi' });
    expect(toolMessages(response.metadata)).toEqual(['echo: hi']);
    expect(server.stats).toMatchObject({ sessions: 2, calls: 2 });
  });

  it('a stdio server that died is started again on the next call', async () => {
    const app = agentApp({
      servers: { echo: stdioEcho },
      script: [answerOn('^\\d+$', 'Got the pid.'), callTool('pid', 'pid')],
    });
    closeAfterTest(() => app.close());
    const first = Number(toolMessages((await app.run('agent', { query: 'pid' })).metadata)[0]);
    process.kill(first, 'SIGKILL');
    await waitFor(() => !alive(first), HANG_MS, 'the stdio server to die');
    await waitFor(() => mcpPool(app.resources).openServers.length === 0, HANG_MS, 'the pool to drop it');
    const second = Number(toolMessages((await app.run('agent', { query: 'pid' })).metadata)[0]);
    expect(second).not.toBe(first);
    expect(alive(second)).toBe(true);
  });
});

describe('external_mcp entries', () => {
  it("fills FlowLLM's {VAR} placeholders; {{ and }} stay braces; values are secrets", () => {
    expect(fillHeaders('s', { Authorization: 'Bearer {KEY}', 'X-Raw': '{{KEY}}' }, { KEY: 'sk-1' })).toEqual({
      headers: { Authorization: 'Bearer sk-1', 'X-Raw': '{KEY}' },
      secrets: ['sk-1', 'Bearer sk-1', '{KEY}'],
    });
    expect(redact('bad token sk-1 in Bearer sk-1', ['sk-1'])).toBe('bad token *** in Bearer ***');
  });

  it('picks the transport as FlowLLM: a command is stdio; else type; else the URL', () => {
    expect(transportKind('a', { command: 'node' })).toBe('stdio');
    expect(transportKind('a', { type: 'sse', url: 'https://x/y' })).toBe('sse');
    for (const type of ['streamable-http', 'streamable_http', 'http'])
      expect(transportKind('a', { type, url: 'https://x/sse' })).toBe('streamable-http');
    expect(transportKind('a', { url: 'https://x/api/sse/' })).toBe('sse');
    expect(transportKind('a', { url: 'https://x/mcp' })).toBe('streamable-http');
    expect(() => transportKind('a', { type: 'websocket', url: 'wss://x' })).toThrow(
      "MCP server 'a': unknown type 'websocket'; use sse, streamable-http or stdio (with a command)",
    );
    expect(() => transportKind('a', { url: 'not a url' })).toThrow(
      "MCP server 'a': `url` is not a valid URL",
    );
  });
});
