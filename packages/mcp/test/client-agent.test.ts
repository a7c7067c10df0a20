import { describe, expect, it } from 'vitest';
import { agentApp, answerOn, callTool, httpEcho, stdioEcho, toolMessages, track } from './client-helpers.js';

// An agent flow calls the tools of a real external MCP server (the SDK's McpServer) over each transport.

const echoScript = [answerOn('^echo: hi$', 'The server said hi.'), callTool('say', 'echo', { text: 'hi' })];

describe('ReactAgentOp << McpToolsOp(server="echo")', () => {
  it.each([
    ['stdio', async () => stdioEcho],
    [
      'streamable-http',
      async () => ({ type: 'streamable-http', url: (await httpEcho('streamable-http')).url }),
    ],
    ['sse', async () => ({ type: 'sse', url: (await httpEcho('sse')).url })],
  ])('calls a remote tool over %s and answers from its result', async (_, server) => {
    const app = track(agentApp({ servers: { echo: await server() }, script: echoScript }));
    const response = await app.run('agent', { query: 'say hi' });
    expect(toolMessages(response.metadata)).toEqual(['echo: hi']);
    expect(response.answer).toBe('The server said hi.');
  });

  it('picks SSE from a URL ending in /sse when the entry names no type (as FlowLLM)', async () => {
    const server = await httpEcho('sse');
    const app = track(agentApp({ servers: { echo: { url: server.url } }, script: echoScript }));
    expect((await app.run('agent', { query: 'say hi' })).answer).toBe('The server said hi.');
    expect(server.stats.calls).toBe(1);
  });

  it('fills {VAR} in headers from the app env: the server sees the key', async () => {
    const server = await httpEcho('streamable-http', 'k-123');
    const app = track(
      agentApp({
        servers: { echo: { url: server.url, headers: { Authorization: 'Bearer {ECHO_KEY}' } } },
        script: echoScript,
        env: { ECHO_KEY: 'k-123' },
      }),
    );
    expect((await app.run('agent', { query: 'say hi' })).answer).toBe('The server said hi.');
    expect(new Set(server.stats.authHeaders)).toEqual(new Set(['Bearer k-123']));
  });

  it('a header variable that is not set fails with its name, before connecting', async () => {
    const server = await httpEcho('streamable-http', 'k-123');
    const app = track(
      agentApp({
        servers: { echo: { url: server.url, headers: { Authorization: 'Bearer {ECHO_KEY}' } } },
        script: echoScript,
      }),
    );
    await expect(app.run('agent', { query: 'say hi' })).rejects.toThrow(
      "MCP server 'echo': header 'Authorization' needs the environment variable ECHO_KEY, which is not set",
    );
    expect(server.stats.authHeaders).toEqual([]);
  });

  it.each(['sse', 'streamable-http'] as const)(
    'a key %s refuses is an error without the key',
    async (transport) => {
      const server = await httpEcho(transport, 'right-key');
      const app = track(
        agentApp({
          servers: { echo: { url: server.url, headers: { Authorization: 'Bearer {ECHO_KEY}' } } },
          script: echoScript,
          env: { ECHO_KEY: 'wrong-key-5678' },
        }),
      );
      const error = await app.run('agent', { query: 'say hi' }).then(
        () => undefined,
        (failure: unknown) => failure as Error,
      );
      expect(error?.message).toMatch(/MCP server 'echo' cannot be reached: .*401/);
      expect(JSON.stringify({ message: error?.message, cause: String(error?.cause) })).not.toContain(
        'wrong-key',
      );
    },
  );

  it("a remote tool's isError result goes back to the model as `Error: …`", async () => {
    const app = track(
      agentApp({
        servers: { echo: stdioEcho },
        script: [answerOn('^Error: ', 'The tool failed.'), callTool('break', 'fail')],
      }),
    );
    const response = await app.run('agent', { query: 'break it' });
    expect(toolMessages(response.metadata)).toEqual([
      "Error: tool 'fail' failed: the fail tool failed on purpose",
    ]);
    expect(response.answer).toBe('The tool failed.');
  });

  it('offers the tools with their JSON Schema as FlowLLM fields; `tools=[…]` keeps only those', async () => {
    const server = await httpEcho('streamable-http');
    const app = track(
      agentApp({ servers: { echo: { type: 'streamable-http', url: server.url } }, script: [] }),
    );
    const tools = JSON.parse(
      String(
        (await app.flowFromExpression('McpToolsOp(server="echo", tools=["echo", "add"])', false).run())
          .answer,
      ),
    );
    expect(tools).toEqual([
      {
        name: 'echo',
        description: 'Echoes the text back.',
        input_schema: {
          text: { type: 'string', description: 'what to echo', required: true },
          times: { type: 'integer', required: false },
        },
        output_schema: { base_mcp_result: { type: 'string', description: 'the result of base_mcp' } },
      },
      {
        name: 'add',
        description: 'Adds numbers.',
        input_schema: {
          numbers: { type: 'array', description: 'the numbers', items: { type: 'number' }, required: true },
          mode: { type: 'string', enum: ['sum', 'abs'], required: false },
        },
        output_schema: { base_mcp_result: { type: 'string', description: 'the result of base_mcp' } },
      },
    ]);
    await expect(
      app.flowFromExpression('McpToolsOp(server="echo", tools=["nope"])', false).run(),
    ).rejects.toThrow(
      "MCP server 'echo' has no tool 'nope'; its tools: echo, add, fail, hang, bailian_web_search, pid",
    );
  });

  it('TongyiMcpSearchOp: FlowLLM server and tool names, `count` optional, `ctx` not offered', async () => {
    const server = await httpEcho('streamable-http');
    const app = track(
      agentApp({
        servers: { tongyi_search: { type: 'streamable-http', url: server.url } },
        tools: 'TongyiMcpSearchOp()',
        script: [
          answerOn('results for', 'Searched.'),
          callTool('search', 'bailian_web_search', { query: 'mcp', count: 3 }),
        ],
      }),
    );
    const response = await app.run('agent', { query: 'search mcp' });
    expect(toolMessages(response.metadata)).toEqual(['3 results for mcp']);
    const described = await app.flowFromExpression('McpToolsOp(server="tongyi_search")', false).run();
    expect(described.answer).toContain('bailian_web_search');
    const alone = track(
      agentApp({
        servers: { tongyi_search: { type: 'streamable-http', url: server.url } },
        tools: 'TongyiMcpSearchOp()',
        script: [],
      }),
    );
    const flow = alone.flowFromExpression('TongyiMcpSearchOp()', false);
    expect((await flow.run({ query: 'alone', count: 1 })).answer).toBe('1 results for alone');
  });
});
