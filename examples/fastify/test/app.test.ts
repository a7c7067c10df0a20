// The example, exercised the way a user meets it: buildApp() on a real server on port 0, and the
// real `main.ts` entry started as a child process, both over real sockets.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';

const EXAMPLE_DIR = fileURLToPath(new URL('..', import.meta.url));
const QUESTION = JSON.stringify({ query: 'what is ai' });
const JSON_HEADERS = { 'content-type': 'application/json' };
const THINK = 'The user asks: what is ai Let me explain simply.';
const ANSWER =
  'Artificial intelligence (AI) is the field of building computer systems that do tasks which normally ' +
  'need human intelligence: understanding language, recognising images, making decisions and learning ' +
  `from data. You asked: "what is ai" — this answer was streamed token by token by flowllm's offline mock model.`;

let server: FastifyInstance | undefined;
let child: ChildProcess | undefined;

afterEach(async () => {
  if (server) {
    const closing = server;
    server = undefined;
    await closing.close();
  }
  if (child) {
    const running = child;
    child = undefined;
    if (running.exitCode === null && running.signalCode === null) {
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill();
      await exited;
    }
  }
});

async function startApp(): Promise<string> {
  const app = buildApp({ tokenDelayMs: 5 });
  server = app;
  await app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

interface Read {
  text: string;
  at: number;
}

/** The body as the client's reads delivered it, each with its arrival time. */
async function readAll(response: Response): Promise<Read[]> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const reads: Read[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return reads;
    reads.push({ text: decoder.decode(value, { stream: true }), at: performance.now() });
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

describe('fastify example', () => {
  it("serves the host's own route beside the flows", async () => {
    const base = await startApp();
    const response = await fetch(`${base}/`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ app: 'fastify example', docs: '/api/docs' });
  });

  it('answers /api/health', async () => {
    const base = await startApp();
    const response = await fetch(`${base}/api/health`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('{"status":"healthy"}');
  });

  it('streams think and answer chunks incrementally in FlowLLM framing', async () => {
    const base = await startApp();
    const response = await fetch(`${base}/api/demo_stream_http_flow`, {
      method: 'POST',
      headers: JSON_HEADERS,
      body: QUESTION,
    });
    expect(response.status).toBe(200);
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
    expect(reads[last]!.at - reads[firstAnswer]!.at).toBeGreaterThan(50);
  });

  it('answers the sync flow with one JSON response', async () => {
    const base = await startApp();
    const response = await fetch(`${base}/api/demo_http_flow`, {
      method: 'POST',
      headers: JSON_HEADERS,
      body: QUESTION,
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { answer: unknown; success: unknown; metadata: unknown };
    expect(body.answer).toBe(ANSWER);
    expect(body.success).toBe(true);
    expect(body.metadata).toMatchObject({ reasoning_content: THINK });
  });

  it("main.ts listens, prints the README's curl command, and that command streams", async () => {
    const readmeCurl = /curl -N -X POST http:\/\/localhost:8002\/[^\n]*/.exec(
      readFileSync(new URL('../README.md', import.meta.url), 'utf8'),
    )?.[0];
    expect(readmeCurl).toBeDefined();

    const started = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: EXAMPLE_DIR,
      env: { ...process.env, PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = started;
    const line = await new Promise<string>((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => reject(new Error(`main.ts printed no URL: ${output}`)), 8_000);
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
  });
});
