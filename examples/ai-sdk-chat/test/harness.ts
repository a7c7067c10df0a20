// What the chat tests share: the page built once, Chromium, and the chat server on port 0 with the
// requests it saw.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MockLlm, type MockReply } from '@flowllm/core/models';
import { demoConfig } from '@flowllm-examples/shared';
import { nodeServer, type RunningApp } from '@flowllm-examples/shared/testing';
import { type Browser, chromium, type Page } from 'playwright-core';
import { vi } from 'vitest';
import { buildClient } from '../src/build-client.ts';
import { buildChatApp } from '../src/server.ts';

/** Debian's Chromium (`apt-get install chromium`); `CHROMIUM_PATH` overrides. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = new URL('../test-artifacts/', import.meta.url);

/** The mock model's scripted think and answer for `question`, read from the demo config it runs. */
export function expectedReply(question: string): { think: string; answer: string } {
  const script = (demoConfig() as { llm: { default: { script: MockReply[] } } }).llm.default.script;
  const reply = script.at(-1)!;
  return {
    think: reply.think!.replace('{input}', question),
    answer: reply.answer!.replace('{input}', question),
  };
}

/** The page, built by Vite into a temporary directory (dist/ stays as `pnpm build` left it). */
export async function buildPage(): Promise<{ dir: string; remove(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'ai-sdk-chat-'));
  await buildClient(dir);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
}

export interface OpenedChat {
  page: Page;
  /** `METHOD path` of every request the server saw. */
  requests: string[];
  /** Uncaught exceptions and console errors of the page. */
  pageErrors: string[];
}

/** Starts chat servers and pages, and closes all of them in `closeAll()`. */
export class ChatHarness {
  private readonly running: RunningApp[] = [];
  private readonly pages: Page[] = [];

  constructor(
    private readonly browser: () => Browser,
    private readonly staticDir: () => string,
  ) {}

  /** Serves the page and the express example's flows (mock tokens `tokenDelayMs` apart) and opens it. */
  async open(tokenDelayMs: number): Promise<OpenedChat> {
    const server = buildChatApp({ staticDir: this.staticDir(), tokenDelayMs }).listen(0, '127.0.0.1');
    const requests: string[] = [];
    server.prependListener('request', (request) => requests.push(`${request.method} ${request.url}`));
    const running = await nodeServer(server);
    this.running.push(running);
    const page = await this.browser().newPage();
    this.pages.push(page);
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    await page.goto(`${running.url}/`);
    await page.waitForSelector('main[data-status="ready"]');
    return { page, requests, pageErrors };
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.pages.splice(0).map((page) => page.close()));
    await Promise.all(this.running.splice(0).map((running) => running.close()));
  }
}

/**
 * Every mock model the server streams from, to read its own counters (`stats.aborted` once Stop cut the
 * flow): the express example keeps its flow app to itself, so the test watches the class it runs.
 * Restored by `vi.restoreAllMocks()`.
 */
export function watchMockModels(): Set<MockLlm> {
  const models = new Set<MockLlm>();
  const stream = MockLlm.prototype.stream;
  vi.spyOn(MockLlm.prototype, 'stream').mockImplementation(function (this: MockLlm, ...args) {
    models.add(this);
    return stream.apply(this, args);
  });
  return models;
}
