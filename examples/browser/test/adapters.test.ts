// The demo pages against every adapter example's app (its `buildApp()`, on a real server on port 0):
// the page comes from the browser demo's server, the API from the example, cross-origin (CORS).
// And each app's own /api/docs playground, same-origin, running the demo stream flow.
import { createServer, type RequestListener, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DemoHarness, launchChromium } from './harness.js';
import { runFlow, settled } from './playground-harness.js';

interface Running {
  url: string;
  close(): Promise<unknown>;
}

/** Options every example's buildApp takes; fast tokens keep the test short. */
const APP_OPTIONS = { tokenDelayMs: 5 };
const exampleUrl = (name: string, file: string) => new URL(`../../${name}/${file}`, import.meta.url);

/** Loads examples/<name>/src/app.ts (by URL, so this package's typecheck does not take in the examples). */
async function buildApp<T>(name: string): Promise<T> {
  const module = (await import(/* @vite-ignore */ exampleUrl(name, 'src/app.ts').href)) as {
    buildApp(options: typeof APP_OPTIONS): T;
  };
  return module.buildApp(APP_OPTIONS);
}

async function listenNode(listener: RequestListener): Promise<Running> {
  const server: Server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}

const ADAPTERS: Record<string, () => Promise<Running>> = {
  express: async () => listenNode(await buildApp<RequestListener>('express')),
  koa: async () => listenNode((await buildApp<{ callback(): RequestListener }>('koa')).callback()),
  fastify: async () => {
    const app = await buildApp<{ listen(options: object): Promise<string>; close(): Promise<void> }>(
      'fastify',
    );
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    return { url, close: () => app.close() };
  },
  h3: async () => {
    // h3's own Node bridge, from the h3 the example depends on.
    const h3Entry = createRequire(exampleUrl('h3', 'package.json')).resolve('h3');
    const { toNodeHandler } = (await import(/* @vite-ignore */ pathToFileURL(h3Entry).href)) as {
      toNodeHandler(app: unknown): RequestListener;
    };
    return listenNode(toNodeHandler(await buildApp('h3')));
  },
};

const harness = new DemoHarness();
const running: Running[] = [];
let demoUrl: string;

beforeAll(async () => {
  harness.browser = await launchChromium();
  demoUrl = await harness.start().listen();
});
afterAll(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
  await harness.closeAll();
  await harness.browser?.close();
});

async function ask(page: Page, url: string, question: string) {
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]');
  await page.fill('#question', question);
  await page.click('#send');
  await page.waitForSelector('.turn:not([data-state="streaming"])', { timeout: 30_000 });
  return {
    state: await page.getAttribute('.turn', 'data-state'),
    readyState: await page.getAttribute('.turn', 'data-ready-state'),
    think: await page.textContent('.turn .think-text'),
    answer: await page.textContent('.turn .answer'),
    error: (await page.isVisible('.turn .error')) ? await page.textContent('.turn .error') : undefined,
  };
}

/** The /api/docs playground of `origin` runs the demo stream flow: think and answer, all same-origin. */
async function runPlayground(origin: string, question: string) {
  const context = await harness.browser!.newContext();
  try {
    const page = await context.newPage();
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(`${origin}/api/docs`);
    await page.waitForSelector('body[data-ready="true"]');
    await runFlow(page, 'demo_stream_http_flow', { query: question });
    const panel = 'section.flow[data-flow="demo_stream_http_flow"]';
    return {
      state: await settled(page, 'demo_stream_http_flow'),
      think: await page.textContent(`${panel} .think .text`),
      answer: await page.textContent(`${panel} .answer`),
      outside: requests.filter((url) => new URL(url).origin !== origin),
      paths: requests.map((url) => new URL(url).pathname),
    };
  } finally {
    await context.close();
  }
}

function expectPlaygroundRan(run: Awaited<ReturnType<typeof runPlayground>>, question: string): void {
  expect(run.state).toBe('done');
  expect(run.think).toContain(question);
  expect(run.answer).toContain(`You asked: "${question}"`);
  expect(run.outside).toEqual([]);
  expect(run.paths).toEqual(
    expect.arrayContaining(['/api/docs/playground.js', '/api/openapi.json', '/api/demo_stream_http_flow']),
  );
}

describe('the /docs playground on every adapter, mounted at /api', () => {
  it.concurrent('node:http (the browser demo server): runs the demo stream flow', async () => {
    const question = 'what is ai via node:http';
    expectPlaygroundRan(await runPlayground(new URL(demoUrl).origin, question), question);
  });

  for (const [name, start] of Object.entries(ADAPTERS)) {
    it.concurrent(`${name}: runs the demo stream flow`, async () => {
      const server = await start();
      running.push(server);
      try {
        const question = `what is ai via ${name}`;
        expectPlaygroundRan(await runPlayground(server.url, question), question);
      } finally {
        running.splice(running.indexOf(server), 1);
        await server.close();
      }
    });
  }
});

describe('the demo pages against the adapter examples', () => {
  for (const [name, start] of Object.entries(ADAPTERS)) {
    // Concurrent: each test has its own server and browser context, closed when it ends.
    it.concurrent(`${name}: the chat page and the EventSource page stream the demo flow`, async () => {
      const server = await start();
      running.push(server); // closed in afterAll too, should the test fail before its finally
      const api = `${server.url}/api`;
      expect(new URL(api).origin).not.toBe(new URL(demoUrl).origin);
      const context = await harness.browser!.newContext();
      try {
        const search = `?api=${encodeURIComponent(api)}`;
        const question = `what is ai via ${name}`;
        const [chat, eventSource] = await Promise.all([
          context.newPage().then((page) => ask(page, `${demoUrl}${search}`, question)),
          context.newPage().then((page) => ask(page, `${demoUrl}event-source.html${search}`, question)),
        ]);
        expect(chat).toMatchObject({ state: 'done', error: undefined });
        expect(chat.answer).toContain(`You asked: "${question}"`);
        expect(chat.think).toContain(question);
        expect(eventSource).toEqual({ ...chat, readyState: '2' });
      } finally {
        await context.close();
        running.splice(running.indexOf(server), 1);
        await server.close();
      }
    });
  }
});
