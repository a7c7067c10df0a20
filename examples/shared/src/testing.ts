// The test every adapter example runs, exercising it the way a user meets it: the example's buildApp()
// on a real server on port 0, and its real `src/main.ts` entry started as a child process, both over
// real sockets. Each example's test file only says how to serve its app.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { DemoConfigOptions } from './demo-config.js';

/** A node:http server (listening, or asked to) as a `RunningApp`: closing it closes every connection. */
export { nodeServer } from '@flowllm/conformance';

/** An example app serving on a real socket. */
export interface RunningApp {
  /** The origin, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** Closes the server and every connection to it. */
  close(): Promise<unknown>;
}

export interface ExampleApp {
  /** 'express', 'koa', …: the suite is named `<name> example`, as the app's own `GET /` names itself. */
  name: string;
  /** The example's folder, which holds README.md and src/main.ts: `new URL('..', import.meta.url)`. */
  dir: URL;
  /** Serves the example's `buildApp(options)` on 127.0.0.1, port 0. */
  start(options: DemoConfigOptions): Promise<RunningApp>;
}

/**
 * Fast tokens keep the test short (about a second of answer), yet slow enough for the stream to be seen
 * arriving in pieces even when a loaded machine stalls the client for a few hundred ms.
 */
const APP_OPTIONS: DemoConfigOptions = { tokenDelayMs: 20 };
const QUESTION = JSON.stringify({ query: 'what is ai' });
const JSON_HEADERS = { 'content-type': 'application/json' };
const THINK = 'The user asks: what is ai Let me explain simply.';
const ANSWER =
  'Artificial intelligence (AI) is the field of building computer systems that do tasks which normally ' +
  'need human intelligence: understanding language, recognising images, making decisions and learning ' +
  `from data. You asked: "what is ai" — this answer was streamed token by token by flowllm's offline mock model.`;

interface Read {
  text: string;
}

/** The body as the client's reads delivered it. */
async function readAll(response: Response): Promise<Read[]> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const reads: Read[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return reads;
    reads.push({ text: decoder.decode(value, { stream: true }) });
  }
}

interface Chunk {
  chunk_type: string;
  chunk: unknown;
  done: boolean;
}

/** Checks FlowLLM's framing byte for byte and returns the chunks. */
function parseSse(text: string): Chunk[] {
  expect(text).toMatch(/^(data:\{[^\n]*\}\n\n)+data:\[DONE\]\n\n$/);
  return text
    .split('\n\n')
    .filter((event) => event.startsWith('data:{'))
    .map((event) => JSON.parse(event.slice('data:'.length)) as Chunk);
}

function joined(chunks: Chunk[], type: string): string {
  return chunks
    .filter((chunk) => chunk.chunk_type === type)
    .map((chunk) => chunk.chunk)
    .join('');
}

/** The example's tests: its own route, /api/health, both demo flows, and `main.ts` with the README's curl. */
export function describeExampleApp({ name, dir, start }: ExampleApp): void {
  describe(`${name} example`, () => {
    let running: RunningApp | undefined;
    let child: ChildProcess | undefined;

    afterEach(async () => {
      if (running) {
        const closing = running;
        running = undefined;
        await closing.close();
      }
      if (child) {
        const started = child;
        child = undefined;
        if (started.exitCode === null && started.signalCode === null) {
          const exited = new Promise((resolve) => started.once('exit', resolve));
          started.kill();
          await exited;
        }
      }
    });

    async function startApp(): Promise<string> {
      running = await start(APP_OPTIONS);
      return running.url;
    }

    it("serves the host's own route beside the flows", async () => {
      const base = await startApp();
      const response = await fetch(`${base}/`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ app: `${name} example`, docs: '/api/docs' });
    });

    it('answers /api/health', async () => {
      const base = await startApp();
      const response = await fetch(`${base}/api/health`);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('{"status":"healthy"}');
    });

    /** POSTs the question to the demo flow `flow` of a started app; it answers 200. */
    async function ask(flow: string): Promise<Response> {
      const base = await startApp();
      const response = await fetch(`${base}/api/${flow}`, {
        method: 'POST',
        headers: JSON_HEADERS,
        body: QUESTION,
      });
      expect(response.status).toBe(200);
      return response;
    }

    it('streams think and answer chunks incrementally in FlowLLM framing', async () => {
      const response = await ask('demo_stream_http_flow');
      expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const reads = await readAll(response);
      const chunks = parseSse(reads.map((read) => read.text).join(''));
      expect(joined(chunks, 'think')).toBe(THINK);
      expect(joined(chunks, 'answer')).toBe(ANSWER);
      const types = chunks.map((chunk) => chunk.chunk_type);
      expect(types.indexOf('answer')).toBeGreaterThan(types.lastIndexOf('think'));

      // Incremental: the first answer token is in the client's hands well before the end arrives.
      const firstAnswer = reads.findIndex((read) => read.text.includes('"chunk_type":"answer"'));
      const last = reads.length - 1;
      expect(reads[last]!.text).toContain('data:[DONE]');
      expect(firstAnswer).toBeGreaterThanOrEqual(0);
      expect(last - firstAnswer).toBeGreaterThanOrEqual(5);
      expect(reads.slice(0, last).some((read) => read.text.includes('[DONE]'))).toBe(false);
    });

    it('answers the sync flow with one JSON response', async () => {
      const response = await ask('demo_http_flow');
      const body = (await response.json()) as { answer: unknown; success: unknown; metadata: unknown };
      expect(body.answer).toBe(ANSWER);
      expect(body.success).toBe(true);
      expect(body.metadata).toMatchObject({ reasoning_content: THINK });
    });

    it("main.ts listens, prints the README's curl command, and that command streams", async () => {
      const readmeCurl = /curl -N -X POST http:\/\/localhost:8002\/[^\n]*/.exec(
        readFileSync(new URL('README.md', dir), 'utf8'),
      )?.[0];
      expect(readmeCurl).toBeDefined();

      const started = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
        cwd: fileURLToPath(dir),
        env: { ...process.env, PORT: '0' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = started;
      const line = await new Promise<string>((resolve, reject) => {
        let output = '';
        // tsx compiles main.ts on start: on a busy 2-core machine that alone can take several seconds.
        const timer = setTimeout(() => reject(new Error(`main.ts printed no URL: ${output}`)), 60_000);
        const collect = (data: Buffer) => {
          output += data.toString();
          const found = /^listening on http:\/\/localhost:\d+ .*$/m.exec(output);
          if (found) {
            clearTimeout(timer);
            resolve(found[0]);
          }
        };
        started.stdout!.on('data', collect);
        started.stderr!.on('data', collect);
        started.once('exit', (code) => reject(new Error(`main.ts exited (${code}): ${output}`)));
      });
      const port = /localhost:(\d+)/.exec(line)![1]!;
      expect(Number(port)).toBeGreaterThan(0);
      const printedCurl = line.slice(line.indexOf('curl '));
      expect(printedCurl).toBe(readmeCurl!.replace('localhost:8002', `localhost:${port}`));

      // Run the curl request with fetch: curl -N -X METHOD URL -H 'Name: value' -d 'body'.
      const [, method, url, header, value, data] =
        /^curl -N -X (\w+) (\S+) -H '([^:]+): ([^']+)' -d '([^']+)'$/.exec(printedCurl)!;
      const response = await fetch(url!, { method: method!, headers: { [header!]: value! }, body: data! });
      expect(response.status).toBe(200);
      const chunks = parseSse(await response.text());
      expect(joined(chunks, 'think')).toBe(THINK);
      expect(joined(chunks, 'answer')).toBe(ANSWER);
    }, 90_000);
  });
}
