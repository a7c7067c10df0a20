// createMcpServer in process, over the SDK's in-memory transport: result shapes, errors safe to show,
// progress of every chunk type, unknown tools, and cancellation reaching the flow.
import type { ServiceLogger } from '@flowllm/core';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { beforeEach, describe, expect, it } from 'vitest';
import { createMcpServer, MASKED_TOOL_ERROR, type McpServerOptions } from '../../src/index.js';
import { HANG_MS, recordProgress, textOf, waitFor } from './helpers.js';
import { aborts, SECRET, testApp } from './test-ops.js';

interface Logged {
  level: string;
  message: string;
  details?: Record<string, unknown>;
}

async function connect(options: McpServerOptions = {}, overrides: string[] = []) {
  const logged: Logged[] = [];
  const logger: ServiceLogger = {
    error: (message, details) => logged.push({ level: 'error', message, details }),
    warn: (message, details) => logged.push({ level: 'warn', message, details }),
    info: (message, details) => logged.push({ level: 'info', message, details }),
  };
  const server = createMcpServer(testApp(overrides), { logger, ...options });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: 'test', version: '1.0.0' });
  await client.connect(clientSide);
  return { client, server, logged };
}

beforeEach(() => {
  aborts.length = 0;
});

describe('createMcpServer', () => {
  it('names itself after app_name', async () => {
    const { client } = await connect({}, ['app_name=MyFlows']);
    expect(client.getServerVersion()?.name).toBe('MyFlows');
  });

  it('answers an object as JSON text and as structuredContent', async () => {
    const { client } = await connect();
    const result = await client.callTool({ name: 'object_answer', arguments: { query: 'Paris' } });
    expect(JSON.parse(textOf(result))).toEqual({ city: 'Paris', temp_c: 14 });
    expect(result.structuredContent).toEqual({ city: 'Paris', temp_c: 14 });
  });

  it('answers a list as JSON text only (structuredContent must be an object)', async () => {
    const { client } = await connect();
    const result = await client.callTool({ name: 'list_answer', arguments: {} });
    expect(textOf(result)).toBe('[1,2]');
    expect(result.structuredContent).toBeUndefined();
  });

  it('masks an unexpected failure and logs it, secret and all, for the operator only', async () => {
    const { client, logged } = await connect();
    const result = await client.callTool({ name: 'secret_fail', arguments: {} });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toBe(MASKED_TOOL_ERROR);
    expect(JSON.stringify(result)).not.toContain(SECRET);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ level: 'error', message: expect.stringContaining(SECRET) });
    expect(logged[0]?.details?.flow_id).toMatch(/^[0-9a-f]{32}$/);
  });

  it("shows a failure's message when it is safe (expose), or when exposeErrors is on", async () => {
    const { client } = await connect();
    const exposed = await client.callTool({ name: 'exposed_fail', arguments: {} });
    expect(exposed).toMatchObject({
      isError: true,
      content: [{ type: 'text', text: 'ExposedFailOp failed: the quota is used up' }],
    });
    const { client: open } = await connect({ exposeErrors: true });
    const shown = await open.callTool({ name: 'secret_fail', arguments: {} });
    expect(textOf(shown)).toContain(SECRET);
  });

  it('sends every chunk of a stream flow as progress, with its chunk type; the answer is the answer chunks', async () => {
    const { client } = await connect();
    const updates = recordProgress(client);
    const result = await client.callTool({ name: 'every_chunk', arguments: {} }, undefined, {
      onprogress: () => {},
    });
    expect(textOf(result)).toBe('Hello');
    await waitFor(() => updates.length >= 4, HANG_MS, 'a progress notification per chunk');
    expect(updates.map((update) => [update.progress, update.message])).toEqual([
      [1, 'let me think'],
      [2, 'Hel'],
      [3, '{"index":0,"id":"c1","function":{"arguments":"{}","name":"search"},"type":"function"}'],
      [4, 'lo'],
    ]);
    expect(updates.map((update) => update._meta?.['flowllm/chunk_type'])).toEqual([
      'think',
      'answer',
      'tool',
      'answer',
    ]);
  });

  it('sends no progress when the caller asked for none', async () => {
    const { client, server } = await connect();
    const sent: string[] = [];
    const original = server.notification.bind(server);
    server.notification = (notification, options) => {
      sent.push(notification.method);
      return original(notification, options);
    };
    const result = await client.callTool({ name: 'every_chunk', arguments: {} });
    expect(textOf(result)).toBe('Hello');
    expect(sent).not.toContain('notifications/progress');
  });

  it('answers an unknown tool with an MCP error (InvalidParams)', async () => {
    const { client } = await connect();
    const call = client.callTool({ name: 'nope', arguments: {} });
    await expect(call).rejects.toBeInstanceOf(McpError);
    await expect(call).rejects.toMatchObject({
      code: ErrorCode.InvalidParams,
      message: 'MCP error -32602: Unknown tool: nope',
    });
  });

  it.each(['wait_for_abort', 'wait_for_abort_sync'])(
    '%s: a cancelled request aborts the flow, logging nothing',
    async (name) => {
      const { client, logged } = await connect();
      const controller = new AbortController();
      const call = client.callTool({ name, arguments: {} }, undefined, { signal: controller.signal });
      // The op has started once the in-memory server saw the call: wait for its first chunk to be produced.
      await waitFor(
        () => aborts.length === 0 && Boolean(clientSeenRequest(client)),
        HANG_MS,
        'the call to be sent',
      );
      setTimeout(() => controller.abort(new Error('user stopped it')), 20);
      await expect(call).rejects.toThrow('user stopped it');
      await waitFor(() => aborts.length === 1, HANG_MS, 'the op to see its abort');
      expect(logged).toEqual([]);
    },
  );

  it('closing the transport aborts a running flow', async () => {
    const { client, server } = await connect();
    const call = client.callTool({ name: 'wait_for_abort', arguments: {} });
    call.catch(() => {});
    await waitFor(() => Boolean(clientSeenRequest(client)), HANG_MS, 'the call to be sent');
    setTimeout(() => void server.close(), 20);
    await waitFor(() => aborts.length === 1, HANG_MS, 'the op to see its abort');
    await expect(call).rejects.toThrow();
  });
});

/** Whether the client has a request in flight (the SDK keeps its response handlers by id). */
function clientSeenRequest(client: Client): boolean {
  return (client as unknown as { _responseHandlers: Map<number, unknown> })._responseHandlers.size > 0;
}
