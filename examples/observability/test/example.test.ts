// Starts the example as a user does (tsx src/main.ts) and sees flowllm's spans printed by the SDK's
// console exporter after one streamed request.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { captureOutput } from '../../../packages/core/test/helpers/run-cli.js';
import { waitUntil } from '../../../packages/core/test/helpers/wait.js';

const dir = fileURLToPath(new URL('..', import.meta.url));
let stop = () => {};
afterEach(() => stop());

it('prints the invoke_workflow, op and chat spans of a streamed request, and the run metrics', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', PORT: '0', METRIC_INTERVAL_MS: '200', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  stop = () => child.kill();
  const output = captureOutput(child);
  await waitUntil(() => output.stdout().includes('listening on ') || child.exitCode !== null);
  const url = /listening on (http:\/\/localhost:\d+)/.exec(output.stdout())?.[1];
  expect(url, output.stderr()).toBeDefined();
  const response = await fetch(`${url}/api/demo_stream_http_flow`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: 'what is ai' }),
  });
  expect(await response.text()).toContain('data:[DONE]');
  await waitUntil(() => output.stdout().includes("name: 'invoke_workflow demo_stream_http_flow'"));
  await waitUntil(() => output.stdout().includes("name: 'flowllm.runs'"));
  const printed = output.stdout();
  expect(printed).toContain("name: 'op StreamChatOp'");
  expect(printed).toContain("name: 'chat qwen3-30b-a3b-instruct-2507'");
  expect(printed).toContain("'gen_ai.provider.name': 'mock'");
  expect(printed).toContain("'flowllm.run.end_cause': 'completed'");
});
