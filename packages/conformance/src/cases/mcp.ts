import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterEach, describe, expect, it } from 'vitest';
import { postJson, send } from '../client.js';
import type { SuiteContext } from '../harness.js';
import { recordProgress } from '../mcp-progress.js';
import { flows, HANG_MS, waitFor } from '../util.js';

const longAnswer = Array.from({ length: 300 }, (_, i) => `word${i}`).join(' ');
const query = { query: { type: 'string' as const, description: 'what to ask', required: true } };

const config = {
  flow: flows({
    chat: { flow_content: 'ChatOp()', description: 'Answers a question.', input_schema: query },
    talk: {
      flow_content: 'StreamChatOp()',
      stream: true,
      description: 'Streams an answer.',
      input_schema: query,
    },
    long_talk: { flow_content: 'StreamChatOp(llm="slow")', stream: true, input_schema: query },
  }),
  llm: {
    default: { backend: 'mock', answer: 'Hello {input}' },
    // 9 s of tokens: an abort (not a completion) can only come from the cancel.
    slow: { backend: 'mock', answer: longAnswer, token_delay_ms: 30 },
  },
};

const INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '0' } },
};
const MCP_HEADERS = { accept: 'application/json, text/event-stream' };

/**
 * The MCP Streamable HTTP endpoint mounted beside the flows (`mcp: true`), driven by the SDK's own
 * `Client`: flows as tools, sync and stream calls, progress, cancel, sessions, the Origin/Host guard.
 */
export function mcpCases(ctx: SuiteContext): void {
  describe('MCP endpoint beside the flows', () => {
    const clients: Client[] = [];
    afterEach(async () => {
      await Promise.all(clients.splice(0).map((client) => client.close().catch(() => {})));
    });
    const connect = async (url: string) => {
      const transport = new StreamableHTTPClientTransport(new URL(`${url}/mcp`));
      const client = new Client({ name: 'conformance', version: '1.0.0' });
      clients.push(client);
      await client.connect(transport);
      return { client, transport };
    };

    it('initializes a session and lists every flow as a tool', async () => {
      const { url } = await ctx.start(config, { mcp: true });
      const { client, transport } = await connect(url);
      expect(transport.sessionId).toMatch(/^[0-9a-f-]{36}$/);
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name).sort()).toEqual(['chat', 'long_talk', 'talk']);
      const chat = tools.find((tool) => tool.name === 'chat')!;
      expect(chat.description).toBe('Answers a question.');
      expect(chat.inputSchema).toMatchObject({
        type: 'object',
        properties: { query: { type: 'string', description: 'what to ask' } },
        required: ['query'],
      });
    });

    it('calls a sync flow: its answer as text', async () => {
      const { url } = await ctx.start(config, { mcp: true });
      const { client } = await connect(url);
      const result = await client.callTool({ name: 'chat', arguments: { query: 'hi' } });
      expect(result.isError).toBeFalsy();
      expect(result.content).toEqual([{ type: 'text', text: 'Hello hi' }]);
    });

    it('calls a stream flow: each chunk a progress notification, the whole answer as the result', async () => {
      const { url } = await ctx.start(config, { mcp: true });
      const { client } = await connect(url);
      const progress = recordProgress(client);
      const result = await client.callTool({ name: 'talk', arguments: { query: 'hi' } }, undefined, {
        onprogress: () => {},
      });
      expect(result.content).toEqual([{ type: 'text', text: 'Hello hi' }]);
      await waitFor(() => progress.length >= 2, HANG_MS, 'a progress notification per chunk');
      expect(progress.map((update) => update.message)).toEqual(['Hello', ' hi']);
      expect(progress.map((update) => update.progress)).toEqual([1, 2]);
    });

    it('a call cancelled mid-stream aborts the flow and its model stream', async () => {
      const { url, llm, hostErrors } = await ctx.start(config, { mcp: true });
      const { client } = await connect(url);
      const stats = llm('slow').stats;
      const abort = new AbortController();
      let chunks = 0;
      const call = client.callTool({ name: 'long_talk', arguments: { query: 'hi' } }, undefined, {
        signal: abort.signal,
        onprogress: () => {
          chunks++;
        },
      });
      await waitFor(() => chunks > 0, HANG_MS, 'the first progress notification');
      const cancelAt = performance.now();
      abort.abort('enough');
      await expect(call).rejects.toThrow();
      await waitFor(() => stats.aborted === 1, HANG_MS, 'the model stream to be aborted');
      expect(stats.lastAbortAt!).toBeGreaterThanOrEqual(cancelAt);
      expect(stats.completed).toBe(0);
      expect(stats.active).toBe(0);
      expect(hostErrors).toEqual([]);
    });

    it('DELETE ends the session: its id is unknown afterwards', async () => {
      const { url } = await ctx.start(config, { mcp: true });
      const { transport } = await connect(url);
      const sessionId = transport.sessionId!;
      await transport.terminateSession();
      const after = await postJson(
        url,
        '/mcp',
        { jsonrpc: '2.0', id: 2, method: 'tools/list' },
        { headers: { ...MCP_HEADERS, 'mcp-session-id': sessionId } },
      );
      expect(after.status).toBe(404);
      expect(JSON.parse(after.body)).toMatchObject({ error: { code: -32001 } });
    });

    it('shutting the service down closes the sessions and aborts their running tools', async () => {
      const { url, llm, service } = await ctx.start(config, { mcp: true });
      const { client } = await connect(url);
      const stats = llm('slow').stats;
      let chunks = 0;
      const call = client.callTool({ name: 'long_talk', arguments: { query: 'hi' } }, undefined, {
        onprogress: () => {
          chunks++;
        },
      });
      call.catch(() => {});
      await waitFor(() => chunks > 0, HANG_MS, 'the first progress notification');
      service.shutdown();
      await waitFor(() => stats.aborted === 1, HANG_MS, 'the model stream to be aborted');
      expect(stats.completed).toBe(0);
    });

    it('refuses a cross-origin request with 403 and runs nothing', async () => {
      const { url, llm } = await ctx.start(config, { mcp: true });
      const refused = await postJson(url, '/mcp', INITIALIZE, {
        headers: { ...MCP_HEADERS, origin: 'http://evil.example' },
      });
      expect(refused.status).toBe(403);
      expect(JSON.parse(refused.body)).toMatchObject({ jsonrpc: '2.0', error: { code: -32000 }, id: null });
      expect(refused.headers['mcp-session-id']).toBeUndefined();
      // The endpoint's own origin, and an origin the option allows, are let in.
      const own = await postJson(url, '/mcp', INITIALIZE, {
        headers: { ...MCP_HEADERS, origin: new URL(url).origin },
      });
      expect(own.status).toBe(200);
      expect(llm().stats.started).toBe(0);
    });

    it('allowed_origins lets a listed origin in; allowed_hosts refuses other Host names (DNS rebinding)', async () => {
      const mcp = { allowed_origins: ['http://localhost:6274'], allowed_hosts: ['127.0.0.1'] };
      const { url } = await ctx.start(config, { mcp });
      const listed = await postJson(url, '/mcp', INITIALIZE, {
        headers: { ...MCP_HEADERS, origin: 'http://localhost:6274' },
      });
      expect(listed.status).toBe(200);
      const other = await postJson(url, '/mcp', INITIALIZE, {
        headers: { ...MCP_HEADERS, origin: 'http://localhost:9999' },
      });
      expect(other.status).toBe(403);
      const port = new URL(url).port;
      const rebound = await postJson(url, '/mcp', INITIALIZE, {
        headers: { ...MCP_HEADERS, host: `evil.example:${port}` },
      });
      expect(rebound.status).toBe(403);
    });

    it('stateless: a POST is answered without a session, GET gets 405', async () => {
      const { url } = await ctx.start(config, { mcp: { stateless: true } });
      const { client, transport } = await connect(url);
      expect(transport.sessionId).toBeUndefined();
      const result = await client.callTool({ name: 'chat', arguments: { query: 'hi' } });
      expect(result.content).toEqual([{ type: 'text', text: 'Hello hi' }]);
      const get = await send(url, '/mcp', { headers: { accept: 'text/event-stream' } });
      expect(get.status).toBe(405);
    });

    it('the flow routes keep working beside it, and the host routes too', async () => {
      const { url, origin } = await ctx.start(config, { mcp: { path: 'mcp' } });
      const { client } = await connect(url);
      await client.listTools();
      const sync = await postJson(url, '/chat', { query: 'hi' });
      expect(sync.status).toBe(200);
      expect(JSON.parse(sync.body)).toMatchObject({ answer: 'Hello hi' });
      expect((await send(url, '/health')).body).toBe('{"status":"healthy"}');
      expect((await send(origin, '/host/ping')).status).toBe(200);
      // Not a flow: OpenAPI lists the flows only.
      const openapi = JSON.parse((await send(url, '/openapi.json')).body) as {
        paths: Record<string, unknown>;
      };
      expect(Object.keys(openapi.paths)).not.toContain(`${ctx.prefix}/mcp`);
      expect(Object.keys(openapi.paths)).not.toContain('/mcp');
    });
  });
}
