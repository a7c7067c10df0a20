// The /docs playground in Debian's headless Chromium, served by node:http under /api from this process,
// so the test holds the stream flow's gate and sees its abort. The screenshots of docs/playground.md are
// written by these tests (docs/playground/*.png).
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { FlowClient } from '@flowllm/client';
import { BaseOp } from '@flowllm/core/ops';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchChromium, waitFor } from './harness.js';
import {
  type OpenedPlayground,
  openPlayground,
  type PlaygroundServer,
  runFlow,
  screenshotPath,
  servePlayground,
  settled,
} from './playground-harness.js';

/** What the test controls of the gated flow, and sees of it. Reset before each test. */
const gate = {
  waiting: false,
  aborted: 0,
  release: () => {},
  reset() {
    gate.waiting = false;
    gate.aborted = 0;
    gate.release = () => {};
  },
};

/** Thinks, answers half, then waits for the test (`gate.release()`) or an abort, then finishes. */
class GatedAnswerOp extends BaseOp {
  async execute(): Promise<void> {
    const signal = this.signal;
    await this.context.addStreamChunk({ chunk_type: 'think', chunk: 'Weighing the question first.' });
    await this.context.addStreamChunk({
      chunk_type: 'answer',
      chunk: `Half an answer to "${String(this.context.get('query'))}", `,
    });
    await new Promise<void>((resolve, reject) => {
      signal.addEventListener(
        'abort',
        () => {
          gate.aborted++;
          reject(signal.reason);
        },
        { once: true },
      );
      gate.release = resolve;
      gate.waiting = true;
    });
    await this.context.addStreamChunk({ chunk_type: 'answer', chunk: 'and the rest of it.' });
    await this.context.addStreamChunk({
      chunk_type: 'usage',
      chunk: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 },
    });
  }
}

const QUERY = { query: { type: 'string', description: 'the question', required: true } };
const SEARCH_RESULTS =
  '[{"title": "What is AI", "url": "https://example.com/ai", "snippet": "Machines that learn."}]';

function config(resume: boolean): Record<string, unknown> {
  return {
    app_name: 'flowllm playground',
    resume: { backend: resume ? 'memory' : 'none' },
    // The per-op timeline on one server, off on the other (its hint).
    telemetry: { timeline: !resume },
    openai_facade: { enabled: true },
    flow: {
      answer_stream: {
        flow_content: 'GatedAnswerOp()',
        stream: true,
        description: 'Thinks, answers half, waits, then answers the rest.',
        input_schema: QUERY,
      },
      chat: {
        flow_content: 'StreamChatOp()',
        stream: true,
        description: 'Chat with the mock model (ask it to "fail" to see an error mid-stream).',
        input_schema: QUERY,
      },
      research_agent: {
        flow_content: 'ReactAgentOp(tool_call_interval=0) << [MockSearchOp(num_results=1)]',
        stream: true,
        description: 'A ReAct agent with a web search tool.',
        input_schema: QUERY,
      },
      search: {
        flow_content: 'ChatOp()',
        description: 'Answers once, as JSON.',
        input_schema: {
          ...QUERY,
          top_k: { type: 'integer', description: 'how many results', required: false, default: 3 },
          mode: { type: 'string', description: 'how hard to look', required: false, enum: ['fast', 'deep'] },
          tags: { type: 'array', description: 'labels', required: true, items: { type: 'string' } },
          strict: { type: 'boolean', description: 'exact matches only', required: false },
          filters: { type: 'object', description: 'field filters', required: false },
        },
      },
    },
    llm: {
      default: {
        backend: 'mock',
        token_delay_ms: 2,
        // MockSearchOp asks the model to make up results: one, in a json block.
        script: [
          { match: 'realistic web search results', answer: `\`\`\`json\n${SEARCH_RESULTS}\n\`\`\`` },
          {
            match: 'fail',
            answer: 'Starting to answer, then',
            error: 'the quota is exhausted',
            error_after: 3,
          },
        ],
      },
    },
  };
}

// The openai SDK core depends on (this example does not), to run the playground's snippet with it.
const OPENAI_SDK = pathToFileURL(
  createRequire(new URL('../../../packages/core/package.json', import.meta.url)).resolve('openai'),
).href;

/** Runs a "Copy as" snippet: its imports given as `modules`, what it logs returned. */
async function runSnippet(code: string, modules: Record<string, unknown> = {}): Promise<unknown[]> {
  const logged: unknown[] = [];
  const AsyncFunction = (async () => {}).constructor as new (
    ...args: string[]
  ) => (...values: unknown[]) => Promise<void>;
  const run = new AsyncFunction('console', ...Object.keys(modules), code.replace(/^import .*$/gm, ''));
  await run({ log: (value: unknown) => logged.push(value) }, ...Object.values(modules));
  return logged;
}

const flowPanel = (flow: string) => `section.flow[data-flow="${flow}"]`;
const text = async (page: Page, selector: string) => (await page.textContent(selector))?.trim() ?? '';

/** Opens the page and runs the gated flow with `query`: it has shown half its answer and waits. */
async function heldMidStream(query: string): Promise<{ page: Page; panel: string }> {
  const { page } = await open();
  await runFlow(page, 'answer_stream', { query });
  await waitFor(() => gate.waiting, 'the flow to wait at its gate');
  const panel = flowPanel('answer_stream');
  await page.waitForSelector(`${panel} .answer`);
  return { page, panel };
}

let browser: Browser;
let server: PlaygroundServer;
let opened: OpenedPlayground[] = [];

async function open(options?: Parameters<typeof openPlayground>[2]): Promise<OpenedPlayground> {
  const playground = await openPlayground(browser, `${server.origin}/api/docs`, options);
  opened.push(playground);
  return playground;
}

beforeAll(async () => {
  browser = await launchChromium();
});
beforeEach(() => gate.reset());
afterEach(async () => {
  // A test that failed mid-stream leaves the flow waiting: let it end before the next test.
  gate.release();
  await Promise.all(opened.map((playground) => playground.context.close()));
  opened = [];
});
afterAll(async () => {
  await browser?.close();
});

describe('the /docs playground (node:http, mounted at /api, resume off)', () => {
  beforeAll(async () => {
    server = await servePlayground(config(false), [GatedAnswerOp]);
  });
  afterAll(() => server.close());

  it('renders think and answer while the flow still streams, then usage, timing and the raw SSE', async () => {
    const { page, requests, responseBytes, pageErrors } = await open();
    await runFlow(page, 'answer_stream', { query: 'what is ai' });
    await waitFor(() => gate.waiting, 'the flow to wait at its gate');
    const panel = flowPanel('answer_stream');
    await page.waitForFunction(
      (selector) => document.querySelector(selector)?.textContent?.includes('Half an answer'),
      `${panel} .answer`,
    );
    // The flow is held at its gate: all of this is on screen mid-stream.
    expect(await page.getAttribute(`${panel} .result`, 'data-state')).toBe('streaming');
    expect(await text(page, `${panel} .think .text`)).toBe('Weighing the question first.');
    expect(await text(page, `${panel} .answer`)).toBe('Half an answer to "what is ai",');
    expect(await page.isEnabled(`${panel} button:text-is("Stop")`)).toBe(true);
    expect(await page.isDisabled(`${panel} button:text-is("Run")`)).toBe(true);
    await page.screenshot({ path: screenshotPath('stream-streaming') });

    gate.release();
    expect(await settled(page, 'answer_stream')).toBe('done');
    expect(await text(page, `${panel} .answer`)).toBe('Half an answer to "what is ai", and the rest of it.');
    expect(await text(page, `${panel} .usage`)).toBe('Usage: 5 prompt + 3 completion = 8 tokens');
    // The think block folded once the answer began, one click away.
    expect(await page.$eval(`${panel} .think`, (details) => (details as HTMLDetailsElement).open)).toBe(
      false,
    );
    const timing = await text(page, `${panel} .timing`);
    expect(timing).toMatch(/^headers \d+ ms\s*first token \d+ ms\s*tokens\/s [\d.]+\s*total [\d.]+ m?s$/);
    await page.screenshot({ path: screenshotPath('stream-done') });

    // useChat is offered: the flow has its /ui route.
    await page.click(`${panel} .copy summary`);
    await page.click(`${panel} .copy button:text-is("AI SDK useChat")`);
    const useChat = await text(page, `${panel} .copy code`);
    expect(useChat).toContain("new DefaultChatTransport({ api: '/api/answer_stream/ui' })");
    expect(useChat).toContain("sendMessage({ text: 'what is ai' })");
    await page.click(`${panel} .copy summary`);

    await page.click(`${panel} button:text-is("Raw SSE")`);
    const raw = await text(page, `${panel} .raw`);
    expect(raw).toMatch(/^data:\{"flow_id":"\w+","chunk_type":"think"/);
    expect(raw.endsWith('data:[DONE]')).toBe(true);
    expect(await page.isHidden(`${panel} .view`)).toBe(true);

    // Nothing from outside the server: the page, its two files, openapi.json, the flow, the timeline probe.
    const origin = new URL(server.origin).origin;
    expect(requests.filter((url) => new URL(url).origin !== origin)).toEqual([]);
    expect(requests.map((url) => new URL(url).pathname)).toEqual(
      expect.arrayContaining([
        '/api/docs',
        '/api/docs/playground.js',
        '/api/docs/playground.css',
        '/api/openapi.json',
        '/api/answer_stream',
      ]),
    );
    const pageBytes = [...responseBytes]
      .filter(([url]) => new URL(url).pathname.startsWith('/api/docs'))
      .reduce((sum, [, bytes]) => sum + bytes, 0);
    expect(pageBytes).toBeGreaterThan(10_000);
    expect(pageBytes).toBeLessThan(50 * 1024);
    expect(pageErrors).toEqual([]);
  });

  it('draws the timeline of a run after its stream ends: the run, its op and the model call', async () => {
    const { page } = await open();
    await runFlow(page, 'chat', { query: 'hello there' });
    expect(await settled(page, 'chat')).toBe('done');
    const panel = flowPanel('chat');
    await page.waitForSelector(`${panel} .timeline .row`);
    const rows = (await page.$$eval(`${panel} .timeline .row .mono`, (labels) =>
      labels.map((label) => label.textContent?.trim() ?? ''),
    )) as string[];
    expect(rows[0]).toBe('invoke_workflow chat');
    expect(rows).toContain('op StreamChatOp');
    expect(rows.some((row) => /^chat \S+/.test(row))).toBe(true);
    // Each bar has a width on the run's time axis, and a duration beside it.
    const widths = await page.$$eval(`${panel} .timeline .bar`, (bars) =>
      bars.map((bar) => Number.parseFloat((bar as HTMLElement).style.width)),
    );
    expect(widths.length).toBe(rows.length);
    expect(widths.every((width) => width >= 0 && width <= 100)).toBe(true);
    expect(widths[0]).toBeGreaterThan(0);
    expect(await text(page, `${panel} .timeline .row .took`)).toMatch(/\d/);
    await page.screenshot({ path: screenshotPath('timeline') });
  });

  it('Stop aborts the request mid-stream, and the server aborts the flow', async () => {
    const { page, panel } = await heldMidStream('stop me');
    // From the keyboard: Stop, then the focus is back on Run once the run has ended.
    await page.focus(`${panel} button:text-is("Stop")`);
    await page.keyboard.press('Enter');
    expect(await settled(page, 'answer_stream')).toBe('stopped');
    await waitFor(() => gate.aborted === 1, "the flow's signal to abort");
    expect(await text(page, `${panel} .answer`)).toBe('Half an answer to "stop me",');
    expect(await text(page, `${panel} .status`)).toMatch(/^Stopped/);
    expect(await page.isEnabled(`${panel} button:text-is("Run")`)).toBe(true);
    await page.waitForFunction(() => document.activeElement?.textContent === 'Run');
    // The timeline waits for the ops to wind down: every span ended, cancelled, none "running".
    await page.waitForSelector(`${panel} .timeline .row`);
    const bars = await page.$$eval(`${panel} .timeline .bar`, (items) => items.map((bar) => bar.className));
    expect(bars.length).toBeGreaterThanOrEqual(2);
    expect(bars.every((name) => name.includes('cancelled'))).toBe(true);
    await page.screenshot({ path: screenshotPath('stream-stopped') });
  });

  it('a JSON body runs as typed; an error mid-stream shows in place, after the text that came', async () => {
    const { page } = await open();
    await page.click('nav a[href="#chat"]');
    const panel = flowPanel('chat');
    await page.click(`${panel} button:text-is("JSON")`);
    expect(await page.inputValue(`${panel} #json-chat`)).toBe('{}');
    const typed = '{ "query": "please fail" }';
    await page.fill(`${panel} #json-chat`, typed);
    await page.click(`${panel} button:text-is("Run")`);
    expect(await settled(page, 'chat')).toBe('error');
    expect(await text(page, `${panel} .answer`)).toBe('Starting to answer');
    expect(await text(page, `${panel} .view > :last-child`)).toBe(
      'StreamChatOp failed: mock model mock-chat: the quota is exhausted',
    );
    expect(await page.getAttribute(`${panel} .view > :last-child`, 'role')).toBe('alert');
    await page.click(`${panel} .copy summary`);
    expect(await text(page, `${panel} .copy code`)).toContain(`--data-raw '${typed}'`);
    // JSON that is not an object cannot fill the form: said plainly, and the JSON view stays.
    await page.fill(`${panel} #json-chat`, 'null');
    await page.click(`${panel} button:text-is("Form")`);
    expect(await text(page, `${panel} #json-chat-error`)).toBe(
      'The body is not a JSON object: make it one to go back to the form.',
    );
    expect(await page.isVisible(`${panel} #json-chat`)).toBe(true);
    await page.fill(`${panel} #json-chat`, typed);
    // Back to the form: it shows the JSON's fields.
    await page.click(`${panel} button:text-is("Form")`);
    expect(await page.inputValue(`${panel} #field-query`)).toBe('please fail');
  });

  it('an agent flow shows each tool call and its result as a card, in numbered steps', async () => {
    const { page } = await open();
    await runFlow(page, 'research_agent', { query: 'what is ai' });
    expect(await settled(page, 'research_agent')).toBe('done');
    const panel = flowPanel('research_agent');
    const cards = page.locator(`${panel} .tool-card`);
    expect(await cards.count()).toBe(1);
    expect(await text(page, `${panel} .tool-card h3`)).toBe('Step 1 · mock_search done');
    expect(JSON.parse(await text(page, `${panel} .tool-card .args`))).toEqual({ query: 'what is ai' });
    const result = JSON.parse(await text(page, `${panel} .tool-card .tool-result pre`));
    expect(result).toEqual(JSON.parse(SEARCH_RESULTS));
    // The agent's second model call answers from the result, after the card.
    const answers = page.locator(`${panel} .answer`);
    expect(await answers.last().textContent()).toContain('from the tool results');
    await page.screenshot({ path: screenshotPath('agent-tools'), fullPage: true });
  });

  it('a sync flow shows its answer; "Copy as" gives the exact body run, and each snippet works', async () => {
    const { page, context } = await open();
    const panel = flowPanel('search');
    await page.click('nav a[href="#search"]');
    // Each kind of field: a choice for the enum, a three-way choice for the optional boolean, JSON.
    await page.selectOption(`${panel} #field-mode`, { label: 'deep' });
    await page.selectOption(`${panel} #field-strict`, { label: 'true' });
    await page.fill(`${panel} #field-filters`, '{"lang": "en"}');
    expect(await page.inputValue(`${panel} #field-top_k`)).toBe('3');
    await runFlow(page, 'search', { query: 'what is ai', tags: 'intro\nbasics' });
    expect(await settled(page, 'search')).toBe('done');
    expect(await text(page, `${panel} .answer`)).toContain('You asked: "what is ai"');
    expect(await text(page, `${panel} .timing`)).toMatch(/^headers \d+ ms\s*total [\d.]+ m?s$/);

    await page.click(`${panel} .copy summary`);
    const body =
      '{"query":"what is ai","top_k":3,"mode":"deep","tags":["intro","basics"],"strict":true,"filters":{"lang":"en"}}';
    const snippet = () => text(page, `${panel} .copy code`);
    expect(await snippet()).toBe(
      `curl '${server.origin}/api/search' \\\n  -H 'content-type: application/json' \\\n  --data-raw '${body}'`,
    );
    const kinds = await page.locator(`${panel} .copy .group button`).allTextContents();
    // No /ui route for a sync flow; the facade is on.
    expect(kinds).toEqual(['curl', 'fetch', '@flowllm/client', 'openai SDK']);
    // Each snippet, run as it is (in Node: its fetch is the browser's), gets the flow's answer.
    const answered = expect.stringContaining('You asked: "what is ai"');
    await page.click(`${panel} .copy button:text-is("fetch")`);
    await page.screenshot({ path: screenshotPath('sync'), fullPage: true });
    expect(await runSnippet(await snippet())).toEqual([expect.objectContaining({ answer: answered })]);
    await page.click(`${panel} .copy button:text-is("@flowllm/client")`);
    expect(await runSnippet(await snippet(), { FlowClient })).toEqual([answered]);
    await page.click(`${panel} .copy button:text-is("openai SDK")`);
    const OpenAI = ((await import(/* @vite-ignore */ OPENAI_SDK)) as { default: unknown }).default;
    expect(await snippet()).toContain(`baseURL: '${server.origin}/api/v1'`);
    expect(await runSnippet(await snippet(), { OpenAI })).toEqual([answered]);
    // Copy puts it on the clipboard.
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
    await page.click(`${panel} .copy button:text-is("Copy")`);
    await page.waitForSelector(`${panel} .copy [role="status"]:text-is("Copied.")`);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await snippet());
  });

  it('a 422 shows each issue next to the field it names', async () => {
    const { page, requests } = await open();
    await runFlow(page, 'search', { query: 'what is ai', top_k: '2.5' });
    expect(await settled(page, 'search')).toBe('error');
    const panel = flowPanel('search');
    expect(await text(page, `${panel} #field-tags-error`)).toMatch(/required/i);
    expect(await text(page, `${panel} #field-top_k-error`)).toMatch(/integer/i);
    expect(await page.getAttribute(`${panel} #field-tags`, 'aria-invalid')).toBe('true');
    expect(await page.getAttribute(`${panel} #field-query`, 'aria-invalid')).toBeNull();
    expect(await page.isHidden(`${panel} #field-query-error`)).toBe(true);
    await page.screenshot({ path: screenshotPath('validation-422') });
    // A field the page cannot read is flagged before anything is sent.
    const posts = () => requests.filter((url) => url.endsWith('/api/search')).length;
    const sent = posts();
    await page.fill(`${panel} #field-filters`, '{not json');
    await page.click(`${panel} button:text-is("Run")`);
    expect(await text(page, `${panel} #field-filters-error`)).toBe('not valid JSON');
    expect(posts()).toBe(sent);
    await page.fill(`${panel} #field-filters`, '');
    // Fixed, it runs: the errors go.
    await page.fill(`${panel} #field-top_k`, '2');
    await page.fill(`${panel} #field-tags`, 'intro');
    await page.click(`${panel} button:text-is("Run")`);
    expect(await settled(page, 'search')).toBe('done');
    expect(await page.isHidden(`${panel} #field-tags-error`)).toBe(true);
  });

  it('is dark under prefers-color-scheme: dark, fits a phone, and runs from the keyboard', async () => {
    const { page } = await open({ colorScheme: 'dark', viewport: { width: 390, height: 844 } });
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe('rgb(22, 24, 28)');
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth)).toBe(true);
    // Keyboard only: focus the question, type, Ctrl+Enter runs.
    await page.focus(`${flowPanel('answer_stream')} #field-query`);
    await page.keyboard.type('what is ai');
    await page.keyboard.press('Control+Enter');
    await waitFor(() => gate.waiting, 'the flow to wait at its gate');
    gate.release();
    expect(await settled(page, 'answer_stream')).toBe('done');
    // Tab moves through real buttons (Stop is disabled once the run ended); the focused one is outlined.
    await page.focus(`${flowPanel('answer_stream')} button:text-is("Run")`);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Rendered');
    await page.keyboard.press('Shift+Tab');
    const focused = await page.evaluate(() => ({
      text: document.activeElement?.textContent,
      outline: getComputedStyle(document.activeElement!).outlineStyle,
    }));
    expect(focused).toEqual({ text: 'Run', outline: 'solid' });
    await page.screenshot({ path: screenshotPath('dark-phone'), fullPage: true });
  });
});

describe('the /docs playground with resume on', () => {
  beforeAll(async () => {
    server = await servePlayground(config(true), [GatedAnswerOp]);
  });
  afterAll(() => server.close());

  it('Disconnect leaves the run going; Reconnect resumes it with Last-Event-ID, nothing twice', async () => {
    const { page, panel } = await heldMidStream('resume me');
    await page.click(`${panel} button:text-is("Disconnect")`);
    expect(await settled(page, 'answer_stream')).toBe('detached');
    // Detached, not aborted: the run goes on and logs the rest.
    gate.release();
    const resumed = page.waitForRequest((request) => request.url().includes('/api/answer_stream/runs/'));
    await page.click(`${panel} button:text-is("Reconnect")`);
    const request = await resumed;
    expect(request.headers()['last-event-id']).toBe('2');
    expect(await settled(page, 'answer_stream')).toBe('done');
    expect(gate.aborted).toBe(0);
    expect(await text(page, `${panel} .answer`)).toBe('Half an answer to "resume me", and the rest of it.');
    expect(await text(page, `${panel} .think .text`)).toBe('Weighing the question first.');
  });

  it('says how to get the timeline when the server keeps none', async () => {
    const { page } = await open();
    await runFlow(page, 'chat', { query: 'hello' });
    expect(await settled(page, 'chat')).toBe('done');
    const panel = flowPanel('chat');
    await page.waitForSelector(`${panel} .timeline-box .hint`);
    expect(await text(page, `${panel} .timeline-box .hint`)).toContain('telemetry.timeline');
    expect(await page.$(`${panel} .timeline`)).toBeNull();
  });

  it('Stop asks the server to stop the run: the flow is aborted and the stream ends saying so', async () => {
    const { page, panel } = await heldMidStream('stop the run');
    const stopRequest = page.waitForRequest((request) => request.url().endsWith('/stop'));
    await page.click(`${panel} button:text-is("Stop")`);
    expect((await stopRequest).method()).toBe('POST');
    expect(await settled(page, 'answer_stream')).toBe('stopped');
    await waitFor(() => gate.aborted === 1, "the flow's signal to abort");
    expect(await text(page, `${panel} .error`)).toBe('the run was stopped');
  });
});
