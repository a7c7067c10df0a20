// End-to-end: the demo pages in Debian's headless Chromium, against the demo server in this process
// (so the mock model's counters are visible here).
import { mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, DemoHarness, expectedReply, launchChromium, waitFor } from './harness.js';

const harness = new DemoHarness();
const artifact = (name: string) => fileURLToPath(new URL(name, ARTIFACTS));

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  harness.browser = await launchChromium();
});
afterEach(() => harness.closeAll());
afterAll(() => harness.browser?.close());

interface Update {
  length: number;
  state: string | undefined;
}

describe('the chat page (fetch + POST through @flowllm/client)', () => {
  it('streams answer tokens into the page in many separate DOM updates, think apart, the tool call shown', async () => {
    const { page, pageErrors } = await harness.open('', { tokenDelayMs: 15 });
    await page.evaluate(() => {
      const log = document.getElementById('log')!;
      const updates: Update[] = [];
      (globalThis as unknown as { updates: Update[] }).updates = updates;
      new MutationObserver(() => {
        const turn = log.querySelector<HTMLElement>('.turn:last-child');
        updates.push({
          length: turn?.querySelector('.answer')?.textContent?.length ?? 0,
          state: turn?.dataset.state,
        });
      }).observe(log, { childList: true, characterData: true, attributes: true, subtree: true });
    });
    const question = 'What is AI?';
    await page.fill('#question', question);
    await page.click('#send');
    await page.waitForSelector('.turn[data-state="done"]', { timeout: 30_000 });
    const updates = await page.evaluate(() => (globalThis as unknown as { updates: Update[] }).updates);

    const { think, answer } = expectedReply(question);
    expect(await page.textContent('.turn .answer')).toBe(answer);
    // While the turn was still streaming, the answer grew step by step, over time.
    const streaming = updates.filter((update) => update.state === 'streaming' && update.length > 0);
    const lengths = [...new Set(streaming.map((update) => update.length))];
    expect(lengths.length).toBeGreaterThan(20);
    expect(lengths).toEqual([...lengths].sort((a, b) => a - b));
    expect(lengths[0]).toBeLessThan(answer.length / 4);
    // Think content apart, in a collapsed <details> once the answer began.
    expect(await page.textContent('.turn .think-text')).toBe(think);
    expect(await page.$eval('.turn .think', (details) => (details as HTMLDetailsElement).open)).toBe(false);
    expect(await page.textContent('.turn .think summary')).toMatch(/^Thought for \d+\.\d s$/);
    expect(await page.textContent('.turn .answer')).not.toContain('user asks');
    // The tool call.
    expect(await page.textContent('.turn .tool-name')).toBe('web_search');
    expect(JSON.parse((await page.textContent('.turn .tool-args'))!)).toEqual({
      query: 'artificial intelligence',
      top_k: 3,
    });
    expect(await page.isVisible('.turn .error')).toBe(false);
    expect(await page.isDisabled('#stop')).toBe(true);
    expect(pageErrors).toEqual([]);

    // The think block is collapsible: open it for the screenshot.
    await page.click('.turn .think summary');
    expect(await page.isVisible('.turn .think-text')).toBe(true);
    await page.screenshot({ path: artifact('chat.png'), fullPage: true });
  });

  it('Stop mid-stream aborts the request, and the server aborts the model upstream', async () => {
    // Slow tokens: the rest of the answer takes ~10 s, so only the Stop can end the model call, however
    // long a loaded machine takes to carry the click to the server.
    const { page, demo, pageErrors } = await harness.open('', { tokenDelayMs: 200 });
    await page.click('#send');
    await page.waitForFunction(
      () => (document.querySelector('.turn .answer')?.textContent?.length ?? 0) > 30,
    );
    expect(demo.llm().stats).toMatchObject({ active: 1, aborted: 0 });
    await page.click('#stop');
    await page.waitForSelector('.turn[data-state="stopped"]');
    await waitFor(() => demo.llm().stats.aborted === 1, 'the server to abort the mock model');
    // GenSystemPromptOp's call completed; the streamed answer was aborted, nothing runs on.
    expect(demo.llm().stats).toMatchObject({ started: 2, completed: 1, aborted: 1, active: 0, failed: 0 });
    const shown = (await page.textContent('.turn .answer'))!.length;
    expect(shown).toBeLessThan(expectedReply('What is AI?').answer.length);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await page.textContent('.turn .answer'))!.length).toBe(shown);
    expect(demo.service.openStreamCount).toBe(0);
    expect(await page.isEnabled('#send')).toBe(true);
    expect(pageErrors).toEqual([]);
  });

  it('shows a failure mid-stream and an HTTP error with the server detail', async () => {
    const { page, url } = await harness.open('', { tokenDelayMs: 5 });
    await page.fill('#question', 'please fail');
    await page.click('#send');
    await page.waitForSelector('.turn[data-state="error"]');
    expect(await page.textContent('.turn .answer')).toBe('Let me start answering this and');
    expect(await page.textContent('.turn .error')).toContain(
      'the model quota is exhausted (scripted failure)',
    );
    await page.screenshot({ path: artifact('chat-error.png'), fullPage: true });

    await page.goto(`${url}?flow=no_such_flow`);
    await page.waitForSelector('body[data-ready="true"]');
    await page.click('#send');
    await page.waitForSelector('.turn[data-state="error"]');
    expect(await page.textContent('.turn .error')).toBe('POST /no_such_flow failed with HTTP 404: Not Found');
  });
});

describe('the EventSource page (GET)', () => {
  it('receives everything, closes on `event: done` and never reconnects (a page that does not close would)', async () => {
    const { page, context, url, requests, pageErrors } = await harness.open('event-source.html', {
      tokenDelayMs: 5,
    });
    const question = 'real page';
    await page.fill('#question', question);
    await page.click('#send');
    await page.waitForSelector('.turn[data-state="done"]', { timeout: 30_000 });
    const { think, answer } = expectedReply(question);
    expect(await page.textContent('.turn .answer')).toBe(answer);
    expect(await page.textContent('.turn .think-text')).toBe(think);
    expect(await page.textContent('.turn .tool-name')).toBe('web_search');
    expect(await page.getAttribute('.turn', 'data-ready-state')).toBe('2'); // EventSource.CLOSED
    await page.screenshot({ path: artifact('event-source.png'), fullPage: true });

    // Control, started after the page finished: a bare EventSource that does not close on `done`.
    // The browser reconnects it with Last-Event-ID after its retry delay, and the server's 204 stops it.
    const control = await context.newPage();
    await control.goto(url);
    await control.evaluate((source) => {
      const events = new EventSource(source);
      const seen = { messages: 0, readyState: -1 };
      (globalThis as unknown as { seen: typeof seen }).seen = seen;
      events.onmessage = () => seen.messages++;
      events.onerror = () => {
        seen.readyState = events.readyState;
      };
    }, '/api/demo_stream_http_flow?query=control');
    const forQuery = (query: string) => requests.filter((seen) => seen.url.includes(`query=${query}`));
    await waitFor(
      () => forQuery('control').some((seen) => seen.status === 204),
      'the control to reconnect',
      8000,
    );
    const reconnect = forQuery('control').find((seen) => seen.status === 204)!;
    // The demo runs with resume on: ids name the run (`<flow_id>:<n>`), and one past [DONE] gets 204.
    expect(reconnect.lastEventId).toMatch(/^[0-9a-f]{32}:\d+$/);
    await control.waitForFunction(
      () => (globalThis as unknown as { seen: { readyState: number } }).seen.readyState === 2,
    );

    // Meanwhile the page (which ended earlier, so its retry delay has passed too) sent no second request.
    const real = forQuery('real+page');
    expect(real).toEqual([
      {
        method: 'GET',
        url: '/api/demo_stream_http_flow?query=real+page',
        lastEventId: undefined,
        status: 200,
      },
    ]);
    expect(requests.filter((seen) => seen.lastEventId !== undefined)).toEqual([reconnect]);
    expect(pageErrors).toEqual([]);
  });

  it('Stop closes the EventSource and the server aborts the model', async () => {
    // Slow tokens, as above: only the Stop can end the model call.
    const { page, demo } = await harness.open('event-source.html', { tokenDelayMs: 200 });
    await page.click('#send');
    await page.waitForFunction(
      () => (document.querySelector('.turn .answer')?.textContent?.length ?? 0) > 10,
    );
    await page.click('#stop');
    await page.waitForSelector('.turn[data-state="stopped"]');
    await waitFor(() => demo.llm().stats.aborted === 1, 'the server to abort the mock model');
    expect(await page.getAttribute('.turn', 'data-ready-state')).toBe('2');
  });
});

describe('@flowllm/client in Chromium', () => {
  it('parses a recorded FlowLLM stream in every chunking, as in Node', async () => {
    const { page } = await harness.open();
    const recorded = readFileSync(
      new URL('../../../packages/client/test/fixtures/flowllm-demo.sse', import.meta.url),
      'utf8',
    );
    // Loaded the way the page loads it: the import map's bare specifier, the built dist.
    await page.addScriptTag({
      type: 'module',
      content: "import * as client from '@flowllm/client'; globalThis.flowllmClient = client;",
    });
    await page.waitForFunction(() => 'flowllmClient' in globalThis);
    const result = await page.evaluate(async (text) => {
      const { FlowClient } = (globalThis as unknown as { flowllmClient: typeof import('@flowllm/client') })
        .flowllmClient;
      const encoder = new TextEncoder();
      const run = async (pieces: Uint8Array[]) => {
        const queue = [...pieces];
        const fetch = async () =>
          new Response(
            new ReadableStream<Uint8Array>({
              pull(controller) {
                const piece = queue.shift();
                if (piece) controller.enqueue(piece);
                else controller.close();
              },
            }),
            { headers: { 'content-type': 'text/event-stream' } },
          );
        const client = new FlowClient({ baseUrl: 'http://flowllm.test', fetch });
        const chunks: { type: string; content: unknown }[] = [];
        try {
          for await (const chunk of client.streamFlow('f', { query: 'q' }))
            chunks.push({ type: chunk.type, content: chunk.content });
        } catch (error) {
          return { chunks, error: (error as { code?: string }).code };
        }
        return { chunks, error: undefined };
      };
      const bytes = encoder.encode(text);
      const oneByte = (data: Uint8Array) => Array.from(data, (_, index) => data.slice(index, index + 1));
      const crlf = encoder.encode(text.replaceAll('\n', '\r\n'));
      return {
        whole: await run([bytes]),
        oneByte: await run(oneByte(bytes)),
        crlfOneByte: await run(oneByte(crlf)),
        truncated: await run(oneByte(bytes.slice(0, bytes.length - 3))),
      };
    }, recorded);
    expect(result.whole.error).toBeUndefined();
    expect(result.whole.chunks).toHaveLength(20);
    expect(
      result.whole.chunks
        .filter((chunk) => chunk.type === 'answer')
        .map((chunk) => chunk.content)
        .join(''),
    ).toBe('人工智能(AI) is the field of building systems 🤖 that think — naïvely or not.');
    expect(result.oneByte).toEqual(result.whole);
    expect(result.crlfOneByte).toEqual(result.whole);
    expect(result.truncated.error).toBe('truncated');
    expect(result.truncated.chunks).toEqual(result.whole.chunks);
  });
});
