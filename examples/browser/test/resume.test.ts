// "Reload and keep streaming" in Debian's headless Chromium: the demo server runs with
// `resume: {backend: memory}` (its default), and the pages resume their runs after a reload or a drop.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DemoHarness, expectedReply, launchChromium, type OpenedDemo, waitFor } from './harness.js';

const harness = new DemoHarness();
const RUN_KEY = 'flowllm-demo-run';
const RUN_URL = /^\/api\/demo_stream_http_flow\/runs\/([0-9a-f]{32})\?last_event_id=(\d+)$/;

beforeAll(async () => {
  harness.browser = await launchChromium();
});
afterEach(() => harness.closeAll());
afterAll(() => harness.browser?.close());

const answerLength = (opened: OpenedDemo) =>
  opened.page.evaluate(() => document.querySelector('.turn .answer')?.textContent?.length ?? 0);

/** Sends `question` and waits until the answer shows more than `chars` characters, still streaming. */
async function sendAndWait(opened: OpenedDemo, question: string, chars: number): Promise<void> {
  await opened.page.fill('#question', question);
  await opened.page.click('#send');
  await opened.page.waitForFunction(
    (min) => (document.querySelector('.turn .answer')?.textContent?.length ?? 0) > min,
    chars,
  );
  expect(await opened.page.getAttribute('.turn', 'data-state')).toBe('streaming');
}

describe('the chat page with resume on', () => {
  it('reload mid-stream: the turn comes back and completes, the same text, nothing twice, the model never aborted', async () => {
    const opened = await harness.open('', { tokenDelayMs: 50 });
    const { page, demo, requests, pageErrors } = opened;
    const question = 'Does it survive a reload?';
    await sendAndWait(opened, question, 40);
    const stored = JSON.parse((await page.evaluate((key) => sessionStorage.getItem(key), RUN_KEY))!);
    expect(stored).toMatchObject({ flow: 'demo_stream_http_flow', query: question });
    expect(stored.runId).toMatch(/^[0-9a-f]{32}$/);

    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    await page.waitForSelector('.turn[data-resumed="true"]');
    await page.waitForSelector('.turn[data-state="done"]', { timeout: 30_000 });

    const { think, answer } = expectedReply(question);
    expect(await page.locator('.turn').count()).toBe(1);
    expect(await page.textContent('.turn .question')).toBe(question);
    expect(await page.textContent('.turn .answer')).toBe(answer);
    expect(await page.textContent('.turn .think-text')).toBe(think);
    expect(await page.locator('.turn .tool').count()).toBe(1);
    expect(await page.isVisible('.turn .error')).toBe(false);
    expect(await page.evaluate((key) => sessionStorage.getItem(key), RUN_KEY)).toBeNull();

    // One POST, then one resume through the run route with the query form (no preflight, no header).
    const api = requests.filter((seen) => seen.url.startsWith('/api/'));
    expect(api.map(({ method, status }) => `${method} ${status}`)).toEqual(['POST 200', 'GET 200']);
    const [, runId, lastEventId] = RUN_URL.exec(api[1]!.url) ?? [];
    expect(runId).toBe(stored.runId);
    expect(Number(lastEventId)).toBeGreaterThanOrEqual(Number(stored.lastEventId));
    expect(api[1]!.lastEventId).toBeUndefined();
    // GenSystemPromptOp's call and the answer, each once; the reload only detached the run.
    expect(demo.llm().stats).toMatchObject({ started: 2, completed: 2, aborted: 0, active: 0 });
    expect(pageErrors).toEqual([]);
  });

  it('Stop after a reload stops the run on the server: the model is aborted', async () => {
    // Slow tokens: only the Stop can end the model call, however slow the machine.
    const opened = await harness.open('', { tokenDelayMs: 150 });
    const { page, demo, requests } = opened;
    await sendAndWait(opened, 'What is AI?', 10);
    await page.reload();
    await page.waitForSelector('.turn[data-resumed="true"]');
    const shownBefore = await answerLength(opened);
    await page.waitForFunction(
      (length) => (document.querySelector('.turn .answer')?.textContent?.length ?? 0) > length,
      shownBefore,
    );
    expect(demo.llm().stats).toMatchObject({ active: 1, aborted: 0 });
    await page.click('#stop');
    await page.waitForSelector('.turn[data-state="stopped"]');
    await waitFor(() => demo.llm().stats.aborted === 1, 'the server to abort the mock model');
    expect(demo.llm().stats).toMatchObject({ started: 2, completed: 1, aborted: 1, active: 0 });
    const stop = requests.find((seen) => seen.url.endsWith('/stop'));
    expect(stop).toMatchObject({ method: 'POST', status: 202 });
    expect(await page.isVisible('.turn .error')).toBe(false); // the stop was asked for: no error shown
    expect(await page.evaluate((key) => sessionStorage.getItem(key), RUN_KEY)).toBeNull();
    expect(demo.service.openStreamCount).toBe(0);
  });

  it('with resume off the page stores nothing and Stop aborts the request, as before', async () => {
    const opened = await harness.open('', { tokenDelayMs: 150, resume: false });
    const { page, demo, requests } = opened;
    await sendAndWait(opened, 'What is AI?', 10);
    expect(await page.evaluate((key) => sessionStorage.getItem(key), RUN_KEY)).toBeNull();
    await page.click('#stop');
    await page.waitForSelector('.turn[data-state="stopped"]');
    await waitFor(() => demo.llm().stats.aborted === 1, 'the server to abort the mock model');
    expect(requests.filter((seen) => seen.url.startsWith('/api/')).map((seen) => seen.method)).toEqual([
      'POST',
    ]);
  });
});

describe('the EventSource page with resume on', () => {
  it('after the server drops every connection, the browser reconnects by itself and the answer completes once', async () => {
    const opened = await harness.open('event-source.html', { tokenDelayMs: 30 });
    const { page, demo, requests, pageErrors } = opened;
    const question = 'dropped';
    await sendAndWait(opened, question, 40);
    demo.server.closeAllConnections();
    await page.waitForSelector('.turn[data-state="done"]', { timeout: 30_000 });

    const { think, answer } = expectedReply(question);
    expect(await page.textContent('.turn .answer')).toBe(answer);
    expect(await page.textContent('.turn .think-text')).toBe(think);
    expect(await page.locator('.turn .tool').count()).toBe(1);
    expect(Number(await page.getAttribute('.turn', 'data-reconnects'))).toBeGreaterThanOrEqual(1);
    // The browser's own reconnect: the same URL, with Last-Event-ID naming the run.
    const streams = requests.filter((seen) => seen.url.startsWith('/api/demo_stream_http_flow?'));
    expect(streams).toHaveLength(2);
    expect(streams[0]!.lastEventId).toBeUndefined();
    expect(streams[1]).toMatchObject({
      status: 200,
      lastEventId: expect.stringMatching(/^[0-9a-f]{32}:\d+$/),
    });
    expect(demo.llm().stats).toMatchObject({ started: 2, completed: 2, aborted: 0 });
    // Chromium logs the dropped response itself; no script error.
    expect(pageErrors).toEqual(['Failed to load resource: net::ERR_INCOMPLETE_CHUNKED_ENCODING']);
  });
});
