// The run routes' methods, CORS and origin checks, and shutdown of detached runs.
import { afterEach, describe, expect, it } from 'vitest';
import { waitUntil } from '../helpers/wait.js';
import { parseEvents, postStream, type ResumeServer, startResumeServer } from './resume-server.js';

let server: ResumeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('the run routes', () => {
  it('answer HEAD without a body, OPTIONS with their methods, and 405 for others', async () => {
    server = await startResumeServer({ resume: { backend: 'memory' } });
    const first = await postStream(server.url, 'chat');
    const runId = first.headers['x-flowllm-run-id'] as string;
    await first.ended;
    const head = await fetch(`${server.url}/chat/runs/${runId}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toContain('text/event-stream');
    expect(await head.text()).toBe('');
    const options = await fetch(`${server.url}/chat/runs/${runId}/stop`, { method: 'OPTIONS' });
    expect(options.headers.get('allow')).toBe('POST, OPTIONS');
    expect((await fetch(`${server.url}/chat/runs/${runId}`, { method: 'POST' })).status).toBe(405);
    expect((await fetch(`${server.url}/chat/runs/${runId}/stop`)).status).toBe(405);
    // Deeper or other paths below a flow are not the service's.
    expect((await fetch(`${server.url}/chat/runs/${runId}/stop/now`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${server.url}/chat/walks/${runId}`)).status).toBe(404);
  });

  it('refuse a page outside an explicit allow_origins list (403) before stopping anything', async () => {
    server = await startResumeServer({ resume: { backend: 'memory' }, llm: { token_delay_ms: 30 } });
    const app = server.app;
    app.config.http.cors.allow_origins = ['https://good.example'];
    const first = await postStream(server.url, 'chat', 'hi', { origin: 'https://good.example' });
    const runId = first.headers['x-flowllm-run-id'] as string;
    expect(first.headers['access-control-expose-headers']).toBe('x-flowllm-run-id');
    const refused = await fetch(`${server.url}/chat/runs/${runId}/stop`, {
      method: 'POST',
      headers: { origin: 'https://evil.example' },
    });
    expect(refused.status).toBe(403);
    const events = parseEvents(await first.ended);
    expect(events.at(-2)?.data).not.toContain('stopped');
    expect(server.llm.stats.aborted).toBe(0);
  });

  it('shutdown aborts detached runs (their model requests closed)', async () => {
    server = await startResumeServer({ resume: { backend: 'memory' }, llm: { token_delay_ms: 200 } });
    const first = await postStream(server.url, 'chat');
    await first.until((text) => text.includes('id:1'));
    first.drop();
    const llm = server.llm;
    expect(server.service.resume?.liveRuns).toBe(1);
    server.service.shutdown();
    await waitUntil(() => llm.stats.aborted === 1);
    await waitUntil(() => server?.service.resume?.liveRuns === 0);
  });
});
