// `pnpm start` as a user runs it: src/main.ts (building dist/ first if it has no page) prints its URL,
// and that one origin serves the page and the flow's UI message stream.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';

let child: ChildProcess | undefined;
afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child.kill();
    await exited;
  }
});

/** Starts src/main.ts on a free port and resolves with the URL it prints. */
function startMain(): Promise<string> {
  const started = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    env: { ...process.env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = started;
  return new Promise((resolve, reject) => {
    let output = '';
    const collect = (data: Buffer) => {
      output += data;
      const url = /^ai-sdk-chat on (http:\/\/localhost:\d+\/) /m.exec(output)?.[1];
      if (url) resolve(url);
    };
    started.stdout!.on('data', collect);
    started.stderr!.on('data', collect);
    started.once('exit', (code) => reject(new Error(`main.ts exited (${code}): ${output}`)));
  });
}

it('main.ts prints its URL, which serves the built page and the UI message stream of the demo flow', async () => {
  const url = await startMain();
  const page = await fetch(url);
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain('<div id="root"></div>');
  expect(html).toMatch(/<script type="module" crossorigin src="\/assets\/index-[\w-]+\.js"><\/script>/);

  const response = await fetch(`${url}api/demo_stream_http_flow/ui`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      id: 'chat-1',
      trigger: 'submit-message',
      messages: [{ id: 'm1', role: 'user', parts: [{ type: 'text', text: 'What is AI?' }] }],
    }),
  });
  expect(response.status).toBe(200);
  expect(response.headers.get('x-vercel-ai-ui-message-stream')).toBe('v1');
  await response.body?.cancel(); // the stream itself is the Chromium test's subject
}, 180_000);
