import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readSseEvents } from '../../src/sse/read.js';
import { runCli, startCliServer, tempDir } from '../helpers/run-cli.js';

const FLOWLLM_DEFAULT = fileURLToPath(new URL('../fixtures/flowllm-configs/default.yaml', import.meta.url));
const FLOWS = ['demo_http_flow', 'demo_stream_http_flow', 'demo_mcp_flow', 'skill_agent'];

const post = (url: string, body: unknown) =>
  fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

/** What FlowLLM's default.yaml serves, checked the same way for the built-in copy and a user's copy. */
async function expectFlowllmDefaults(args: string[], cwd: string) {
  const server = await startCliServer([...args, 'backend=http', 'http.port=0', 'http.host=127.0.0.1'], cwd);
  const { run, url } = server;
  const banner = server.banner();
  try {
    for (const flow of FLOWS) expect(banner).toContain(`/${flow}`);
    // demo_mcp_flow (MockSearchOp) answers made-up results as a JSON array, offline.
    const search = await post(`${url}/demo_mcp_flow`, { query: 'what is ai' });
    expect(search.status).toBe(200);
    const { answer, success } = (await search.json()) as { answer: string; success: boolean };
    expect(success).toBe(true);
    expect(JSON.parse(answer)).toEqual([expect.objectContaining({ title: 'Offline search result' })]);
    const sync = (await (await post(`${url}/demo_http_flow`, { query: 'hi' })).json()) as { answer: string };
    expect(sync.answer).toContain('You asked: "hi"');
    const stream = await post(`${url}/demo_stream_http_flow`, { query: 'hi' });
    const data: string[] = [];
    for await (const event of readSseEvents(stream.body!)) data.push(event.data);
    expect(data.at(-1)).toBe('[DONE]');
  } finally {
    run.child.kill('SIGINT');
  }
  const { code, stderr } = await run.result;
  expect(code).toBe(0);
  return { stderr, banner };
}

describe("FlowLLM's default config", () => {
  it('a bare `flowllm` serves its four flows, on the offline model when no key is set', async () => {
    const { stderr, banner } = await expectFlowllmDefaults([], tempDir({}));
    expect(banner).toContain(
      "notice: llm 'default' (openai_compatible qwen3-30b-a3b-instruct-2507): no API key",
    );
    expect(stderr).not.toContain('warning:');
  });

  it("FlowLLM's own default.yaml, copied in unchanged, loads without a warning and serves the same", async () => {
    const dir = tempDir({});
    copyFileSync(FLOWLLM_DEFAULT, join(dir, 'flowllm_default.yaml'));
    const { stderr, banner } = await expectFlowllmDefaults(['config=flowllm_default'], dir);
    expect(`${stderr}${banner}`).not.toContain('warning:');
  });

  it("config=default,search layers FlowLLM's search.yaml (its MCP servers) over it", async () => {
    const { code, stderr } = await runCli(
      ['config=default,search', 'backend=cmd', 'cmd.flow=demo_mcp_flow', 'cmd.params.query=ai'],
      tempDir({}),
    ).result;
    expect(stderr).not.toContain('warning:');
    expect(code).toBe(0);
  });
});
