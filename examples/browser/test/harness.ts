import type { ServiceLogger } from '@flowllm/core';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { type BrowserDemo, type BuildServerOptions, buildServer } from '../src/server.js';

/** Debian's Chromium (`apt-get install chromium`; .ci/run installs it). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = new URL('../test-artifacts/', import.meta.url);

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export const silent: ServiceLogger = { error() {}, warn() {}, info() {} };

/** One request the demo server saw, with the status it answered. */
export interface SeenRequest {
  method: string;
  url: string;
  lastEventId: string | undefined;
  status?: number;
}

export interface OpenedDemo {
  demo: BrowserDemo;
  url: string;
  page: Page;
  context: BrowserContext;
  requests: SeenRequest[];
  /** Uncaught exceptions and console errors of the page. */
  pageErrors: string[];
}

/** Starts demo servers and browser contexts, and closes all of them in `closeAll()`. */
export class DemoHarness {
  private readonly demos: BrowserDemo[] = [];
  private readonly contexts: BrowserContext[] = [];
  browser: Browser | undefined;

  /** Starts a demo server on port 0 and opens `path` of it in a fresh browser context. */
  async open(path = '', options: BuildServerOptions = {}): Promise<OpenedDemo> {
    const demo = this.start(options);
    const url = await demo.listen();
    const requests: SeenRequest[] = [];
    // First in line: the server rewrites request.url below /api before the service sees it.
    demo.server.prependListener('request', (request, response) => {
      const seen: SeenRequest = {
        method: request.method ?? '',
        url: request.url ?? '',
        lastEventId: request.headers['last-event-id'] as string | undefined,
      };
      requests.push(seen);
      response.on('finish', () => {
        seen.status = response.statusCode;
      });
      // A stream the client left (a reload, a drop) never finishes: its status is what was sent.
      response.on('close', () => {
        if (seen.status === undefined && response.headersSent) seen.status = response.statusCode;
      });
    });
    const context = await this.browser!.newContext({ viewport: { width: 1000, height: 900 } });
    this.contexts.push(context);
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    await page.goto(url + path);
    await page.waitForSelector('body[data-ready="true"]');
    return { demo, url, page, context, requests, pageErrors };
  }

  start(options: BuildServerOptions = {}): BrowserDemo {
    const demo = buildServer({ logger: silent, ...options });
    this.demos.push(demo);
    return demo;
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.contexts.splice(0).map((context) => context.close()));
    await Promise.all(this.demos.splice(0).map((demo) => demo.close()));
  }
}

export async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The mock model's scripted think and answer for `question` (see src/demo-config.ts). */
export function expectedReply(question: string): { think: string; answer: string } {
  return {
    think: `The user asks: ${question} I should explain simply, then look up a source.`,
    answer:
      'Artificial intelligence (AI) is the field of building computer systems that do tasks which normally ' +
      'need human intelligence: understanding language, recognising images, making decisions and learning ' +
      `from data. You asked: "${question}" — this answer was streamed token by token by flowllm's offline mock model.`,
  };
}
