// End to end: the Vite-built React page in Debian's headless Chromium, its useChat streaming the express
// example's demo flow through POST /api/demo_stream_http_flow/ui, served in this process.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { waitFor } from '@flowllm/conformance';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  ARTIFACTS,
  buildPage,
  ChatHarness,
  expectedReply,
  launchChromium,
  watchMockModels,
} from './harness.ts';

const QUESTION = 'What is AI?';
const UI_ROUTE = 'POST /api/demo_stream_http_flow/ui';

let browser: Browser | undefined;
let builtPage: { dir: string; remove(): void } | undefined;
const harness = new ChatHarness(
  () => browser!,
  () => builtPage!.dir,
);

// Vite and Chromium start once; on a busy 2-core machine the build alone may take half a minute.
beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  [builtPage, browser] = await Promise.all([buildPage(), launchChromium()]);
}, 180_000);
afterEach(async () => {
  vi.restoreAllMocks();
  await harness.closeAll();
});
afterAll(async () => {
  await browser?.close();
  builtPage?.remove();
});

/** The last assistant message's answer text as the page shows it. */
const shownAnswer = (chat: Page) =>
  chat.evaluate(
    () => document.querySelector('article[data-role="assistant"]:last-child .text')?.textContent ?? '',
  );

/** Waits until the last answer on the page is longer than `length`: its text and useChat's status then. */
async function answerLongerThan(chat: Page, length: number): Promise<{ text: string; status: string }> {
  const shown = await chat.waitForFunction(
    (min) => {
      const text =
        document.querySelector('article[data-role="assistant"]:last-child .text')?.textContent ?? '';
      return text.length > min && { text, status: document.querySelector('main')!.dataset.status! };
    },
    length,
    { timeout: 30_000 },
  );
  return (await shown.jsonValue()) as { text: string; status: string };
}

/** Sends the question from the input box with the Send button. */
async function ask(chat: Page, question: string): Promise<void> {
  await chat.fill('#question', question);
  await chat.click('#send');
}

describe('the useChat page', () => {
  it('streams: the answer shows in growing stages while the server is still producing it', async () => {
    const models = watchMockModels();
    // 50 ms between tokens: the answer takes about three seconds to produce.
    const { page: chat, requests, pageErrors } = await harness.open(50);
    await ask(chat, QUESTION);
    const { think, answer } = expectedReply(QUESTION);

    // Two different beginnings of the answer, each on the page while the model is still generating it
    // (a page fed the whole reply at once could render in pieces too, but only after the model ended).
    const first = await answerLongerThan(chat, 0);
    expect(first.status).toBe('streaming');
    const [model] = models;
    expect(model!.stats).toMatchObject({ completed: 1, active: 1 }); // the prompt call done, the answer not
    const second = await answerLongerThan(chat, first.text.length);
    expect(second.status).toBe('streaming');
    expect(model!.stats).toMatchObject({ completed: 1, active: 1 });
    for (const partial of [first.text, second.text]) {
      expect(answer.startsWith(partial)).toBe(true);
      expect(partial.length).toBeLessThan(answer.length);
    }

    await chat.waitForSelector('main[data-status="ready"]', { timeout: 30_000 });
    expect(await shownAnswer(chat)).toBe(answer);
    expect(model!.stats).toMatchObject({ completed: 2, active: 0, aborted: 0 });
    expect(await chat.textContent('article[data-role="user"]')).toBe(QUESTION);
    expect(await chat.textContent('article[data-role="assistant"] .reasoning-text')).toBe(think);
    // Reasoning first, then the answer, in one assistant message.
    expect(
      await chat.$$eval('article[data-role="assistant"] > *', (parts) => parts.map((part) => part.className)),
    ).toEqual(['reasoning', 'text']);
    expect(requests.filter((request) => request.startsWith('POST'))).toEqual([UI_ROUTE]);
    expect(await chat.isVisible('.error')).toBe(false);
    expect(pageErrors).toEqual([]);

    await chat.click('article[data-role="assistant"] summary'); // unfold the reasoning for the picture
    await chat.screenshot({ path: fileURLToPath(new URL('chat.png', ARTIFACTS)), fullPage: true });
  }, 120_000);

  it('Stop aborts the flow and its model on the server, keeps the partial answer, and the chat goes on', async () => {
    const models = watchMockModels();
    // Slow tokens: the answer takes about ten seconds, so only the Stop can end the model call,
    // however long a loaded machine takes to carry the click to the server.
    const { page: chat, requests, pageErrors } = await harness.open(150);
    await ask(chat, QUESTION);
    await chat.waitForFunction(
      () => (document.querySelector('article[data-role="assistant"] .text')?.textContent?.length ?? 0) > 30,
      undefined,
      { timeout: 30_000 },
    );
    expect(models.size).toBe(1);
    const [model] = models;
    expect(model!.stats).toMatchObject({ active: 1, aborted: 0 });

    await chat.click('#stop');
    await chat.waitForSelector('main[data-status="ready"]');
    await waitFor(() => model!.stats.aborted === 1, 20_000, 'the server to abort the mock model');
    // GenSystemPromptOp's model call completed; the streamed answer was cut, nothing runs on.
    expect(model!.stats).toMatchObject({ started: 2, completed: 1, aborted: 1, active: 0, failed: 0 });
    const { answer } = expectedReply(QUESTION);
    const partial = await shownAnswer(chat);
    expect(partial.length).toBeGreaterThan(30);
    expect(partial.length).toBeLessThan(answer.length);
    expect(answer.startsWith(partial)).toBe(true);
    expect(await chat.isVisible('.error')).toBe(false);

    // Ready again: Stop is off, and a second question streams a new answer (stopped too, to end it).
    expect(await chat.isDisabled('#stop')).toBe(true);
    await ask(chat, 'And machine learning?');
    await chat.waitForFunction(
      () =>
        document.querySelectorAll('article[data-role="assistant"]').length === 2 &&
        (document.querySelector('article[data-role="assistant"]:last-child .reasoning-text')?.textContent
          ?.length ?? 0) > 0,
      undefined,
      { timeout: 30_000 },
    );
    await chat.click('#stop');
    await waitFor(() => model!.stats.aborted === 2, 20_000, 'the server to abort the second answer');
    // The first answer stays as it was stopped.
    expect(await chat.$$eval('article[data-role="assistant"] .text', (texts) => texts[0]?.textContent)).toBe(
      partial,
    );
    expect(requests.filter((request) => request.startsWith('POST'))).toEqual([UI_ROUTE, UI_ROUTE]);
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
