import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readSseEvents } from '../../src/sse/read.js';
import { startCliServer } from '../helpers/run-cli.js';

const STANDALONE = fileURLToPath(new URL('../../../../examples/standalone', import.meta.url));

function startServer(env: Record<string, string> = {}) {
  return startCliServer(
    ['config=my_stream_config', 'backend=http', 'http.port=0', 'http.host=127.0.0.1'],
    STANDALONE,
    env,
  );
}

describe('flowllm config=my_stream_config backend=http (the seed config, unchanged)', () => {
  it('serves the seed curl request as a stream, on the offline model, saying so', async () => {
    const { run, url, banner } = await startServer();
    try {
      expect(banner()).toContain('POST http://127.0.0.1:');
      expect(banner()).toContain(
        '/demo_stream_http_flow  (stream)  llm default = mock qwen3-30b-a3b-instruct-2507',
      );
      expect(banner()).toContain(
        "notice: llm 'default' (openai_compatible qwen3-30b-a3b-instruct-2507): no API key: set FLOW_LLM_API_KEY",
      );
      const response = await fetch(`${url}/demo_stream_http_flow`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ query: 'what is ai' }),
      });
      expect(response.headers.get('content-type')).toContain('text/event-stream');
      const data: string[] = [];
      for await (const event of readSseEvents(response.body!)) data.push(event.data);
      expect(data.at(-1)).toBe('[DONE]');
      const answer = data
        .slice(0, -1)
        .map((text) => JSON.parse(text))
        .filter((chunk) => chunk.chunk_type === 'answer')
        .map((chunk) => chunk.chunk)
        .join('');
      expect(answer).toContain('You asked: "what is ai"');
    } finally {
      run.child.kill('SIGINT');
    }
    const { code, stderr } = await run.result;
    expect(stderr).toContain('shutting down');
    expect(code).toBe(0);
  });

  it('Ctrl-C ends an open stream with a final event and [DONE], then exits', async () => {
    const { run, url } = await startServer();
    const response = await fetch(`${url}/demo_stream_http_flow`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query":"a long question"}',
    });
    const data: string[] = [];
    for await (const event of readSseEvents(response.body!)) {
      if (data.length === 0) run.child.kill('SIGINT');
      data.push(event.data);
    }
    expect(data.at(-1)).toBe('[DONE]');
    expect(JSON.parse(data.at(-2)!)).toMatchObject({
      chunk_type: 'error',
      chunk: 'the server is shutting down',
      done: true,
    });
    expect((await run.result).code).toBe(0);
  });

  it('with FLOW_LLM_API_KEY set it uses the real backend and prints no notice for the llm', async () => {
    const { run, banner } = await startServer({
      FLOW_LLM_API_KEY: 'sk-test-not-used',
      FLOW_EMBEDDING_API_KEY: 'x',
    });
    run.child.kill('SIGINT');
    await run.result;
    expect(banner()).toContain('llm default = openai_compatible qwen3-30b-a3b-instruct-2507');
    expect(banner()).not.toContain('notice');
    expect(banner()).not.toContain('sk-test-not-used');
  });
});
