// `flowllm backend=mcp` as a child process of the built command, reached with the SDK's own Client over
// each transport: the tools it lists, a sync call, a stream call with progress, bad arguments, and a
// cancel mid-stream that closes the upstream model request.

import { type LocalUpstream, startOpenAiUpstream } from '@flowllm/testing';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  API_KEY,
  type CliServer,
  cliArgs,
  clientTransport,
  connectClient,
  flowConfig,
  HANG_MS,
  projectDir,
  recordProgress,
  SLOW_WORDS,
  settles,
  startCliServer,
  textOf,
  waitFor,
} from './helpers.js';

const ANSWER = ['Hello', ' from', ' the', ' upstream'];

let upstream: LocalUpstream;
let cwd: string;

beforeAll(async () => {
  // A question containing "slow" gets a 4 s trickle (cancelled mid-way), any other a short answer.
  upstream = await startOpenAiUpstream((request) => {
    const text = JSON.stringify((request.body as { messages?: unknown }).messages ?? '');
    return text.includes('slow') ? { answer: SLOW_WORDS, delayMs: 20 } : { answer: ANSWER };
  });
  cwd = projectDir(flowConfig(upstream.url));
});
afterAll(() => upstream.close());

describe.each(['streamable-http', 'sse', 'stdio'] as const)(
  'flowllm backend=mcp mcp.transport=%s',
  (transport) => {
    let server: CliServer | undefined;
    let client: Client;

    beforeAll(async () => {
      if (transport !== 'stdio') server = await startCliServer(cwd, cliArgs(transport));
      client = await connectClient(clientTransport(transport, { url: server?.url, cwd }));
    });
    afterAll(async () => {
      await client.close();
      server?.child.kill('SIGINT');
      if (server) expect(await settles(server.exited, 'flowllm to exit')).toBe(0);
    });

    // stdio has no URL to print.
    if (transport !== 'stdio')
      it('prints the real URL for port 0', () => {
        if (!server) throw new Error('no HTTP server was started');
        const path = transport === 'sse' ? '/sse' : '/mcp';
        expect(server.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:(?!0\\b)\\d+${path}$`));
        expect(server.output()).toContain(
          'tool ask_stream  (stream)  llm default = openai_compatible gpt-test',
        );
      });

    it('lists every flow, stream ones too, with its input schema', async () => {
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name).sort()).toEqual(['ask', 'ask_stream', 'pick']);
      const pick = tools.find((tool) => tool.name === 'pick');
      expect(pick?.description).toBe('Pick a colour.');
      expect(pick?.inputSchema).toEqual({
        type: 'object',
        properties: {
          query: { type: 'string', description: 'the question' },
          colour: { type: 'string', description: 'a colour', enum: ['red', 'green'] },
          tags: { type: 'array', items: { type: 'string' } },
          top_k: { type: 'integer' },
        },
        required: ['query', 'colour'],
      });
    });

    it('calls a sync flow: its answer as text', async () => {
      const result = await client.callTool({ name: 'ask', arguments: { query: 'hi' } });
      expect(result.isError).toBeFalsy();
      expect(textOf(result)).toBe('Hello from the upstream');
    });

    it('calls a stream flow: the joined answer, each chunk as a progress notification', async () => {
      const progress = recordProgress(client);
      const result = await client.callTool({ name: 'ask_stream', arguments: { query: 'hi' } }, undefined, {
        onprogress: () => {},
      });
      expect(textOf(result)).toBe('Hello from the upstream');
      await waitFor(() => progress.length >= ANSWER.length, HANG_MS, 'a progress notification per chunk');
      expect(progress.map((update) => update.message)).toEqual(ANSWER);
      // Progress counts the chunks.
      expect(progress.map((update) => update.progress)).toEqual(progress.map((_, index) => index + 1));
    });

    it('answers bad arguments with a tool error naming each field, without running the flow', async () => {
      const before = upstream.requests.length;
      const result = await client.callTool({ name: 'pick', arguments: { colour: 'blue', tags: 'x' } });
      expect(result.isError).toBe(true);
      const text = textOf(result);
      expect(text).toContain("invalid arguments for tool 'pick'");
      expect(text).toMatch(/- query: Field required/);
      expect(text).toMatch(/- colour: Input should be 'red' or 'green'/);
      expect(text).toMatch(/- tags: Input should be a valid (list|array)/);
      expect(upstream.requests.length).toBe(before);
    });

    it('cancelling a stream call mid-way aborts the flow and closes the upstream request', async () => {
      const controller = new AbortController();
      let pieces = 0;
      const call = client.callTool({ name: 'ask_stream', arguments: { query: 'slow please' } }, undefined, {
        signal: controller.signal,
        onprogress: () => {
          if (++pieces === 3) controller.abort(new Error('enough'));
        },
      });
      await expect(call).rejects.toThrow(/enough|abort/i);
      const request = () => upstream.requests.findLast((item) => JSON.stringify(item.body).includes('slow'));
      await waitFor(() => request()?.closedAt !== undefined, HANG_MS, 'the upstream request to close');
      expect(request()?.completed).toBe(false);
      // The session goes on: the next call works.
      const next = await client.callTool({ name: 'ask', arguments: { query: 'again' } });
      expect(textOf(next)).toBe('Hello from the upstream');
    });

    it('never shows the API key', async () => {
      const result = await client.callTool({ name: 'ask', arguments: { query: 'hi' } });
      expect(JSON.stringify(result)).not.toContain(API_KEY);
      expect(server?.output() ?? '').not.toContain(API_KEY);
    });
  },
);
