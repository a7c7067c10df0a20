// Serving a config's /docs playground under /api on node:http, and opening it in Chromium with every
// request the page makes recorded.
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createFlowApp, createFlowService, type FlowService } from '@flowllm/core';
import type { OpClass } from '@flowllm/core/ops';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { silent } from './harness.js';

/** Where the screenshots of docs/playground.md are written (the repository's docs/playground/). */
export const SCREENSHOTS = new URL('../../../docs/playground/', import.meta.url);

export function screenshotPath(name: string): string {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return fileURLToPath(new URL(`${name}.png`, SCREENSHOTS));
}

export interface PlaygroundServer {
  /** The origin, e.g. `http://127.0.0.1:41234`; the page is `${origin}/api/docs`. */
  origin: string;
  service: FlowService;
  close(): Promise<void>;
}

/** A node:http server with the config's flows mounted under /api (as connect mounts middleware). */
export async function servePlayground(
  config: Record<string, unknown>,
  ops: OpClass[] = [],
): Promise<PlaygroundServer> {
  const app = createFlowApp({ config, ops, env: {} });
  const service = createFlowService(app, { logger: silent });
  await service.ready();
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (!url.pathname.startsWith('/api/')) return void response.writeHead(404).end();
    request.url = url.pathname.slice(4) + url.search;
    service.node(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    service,
    close: () =>
      new Promise((resolve) => {
        service.shutdown();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface OpenedPlayground {
  page: Page;
  context: BrowserContext;
  /** Every URL the page asked for, in order. */
  requests: string[];
  /** Bytes of each response the page got, by URL. */
  responseBytes: Map<string, number>;
  /** Uncaught exceptions of the page. */
  pageErrors: string[];
}

/** Opens `url` (a playground page) in a fresh context and waits until it has listed the flows. */
export async function openPlayground(
  browser: Browser,
  url: string,
  options: { colorScheme?: 'light' | 'dark'; viewport?: { width: number; height: number } } = {},
): Promise<OpenedPlayground> {
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1100, height: 860 },
    colorScheme: options.colorScheme ?? 'light',
  });
  const page = await context.newPage();
  const requests: string[] = [];
  const responseBytes = new Map<string, number>();
  const pageErrors: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('response', (response) => {
    // A stream's body is read by the page; only complete files are weighed.
    if (response.request().resourceType() !== 'fetch')
      response.body().then(
        (body) => responseBytes.set(response.url(), body.length),
        () => {},
      );
  });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]');
  return { page, context, requests, responseBytes, pageErrors };
}

/** Picks a flow in the list, fills the form's fields (by name) and runs it. */
export async function runFlow(page: Page, flow: string, fields: Record<string, string>): Promise<void> {
  await page.click(`nav a[href="#${encodeURIComponent(flow)}"]`);
  const panel = page.locator(`section.flow[data-flow="${flow}"]`);
  await panel.waitFor();
  for (const [name, value] of Object.entries(fields)) await panel.locator(`#field-${name}`).fill(value);
  await panel.getByRole('button', { name: 'Run' }).click();
}

/** The state of the panel's result once its run is no longer running or streaming. */
export async function settled(page: Page, flow: string): Promise<string> {
  const result = `section.flow[data-flow="${flow}"] .result`;
  await page.waitForSelector(`${result}:not([data-state="running"]):not([data-state="streaming"])`, {
    timeout: 30_000,
  });
  return (await page.getAttribute(result, 'data-state')) ?? '';
}
