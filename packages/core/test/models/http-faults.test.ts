import { afterEach, describe, expect, it } from 'vitest';
import { HANG_MS } from '../../../conformance/src/wait.js';
import type { UpstreamOptions, UpstreamScript } from '../../../testing/src/index.js';
import { BACKENDS, type BackendCase, closer, SECRET_KEY } from './helpers/backends.js';
import {
  type FlowServer,
  post,
  RELAY_FLOW,
  sseChunks,
  startFlowServer,
  textOf,
} from './helpers/flow-server.js';

const resources = closer();
const servers: FlowServer[] = [];
afterEach(async () => {
  // Whatever happened, the key never reached a log line.
  for (const server of servers.splice(0)) expect(server.logs.join('\n')).not.toContain(SECRET_KEY);
  await resources.closeAll();
});

const ANSWER = 'one two three four';

async function serve(
  backend: BackendCase,
  script: UpstreamScript,
  extra: Record<string, unknown> = {},
  options: UpstreamOptions = {},
) {
  const upstream = resources.add(await backend.start(script, options));
  const server = resources.add(
    await startFlowServer({
      // status_wait: long enough that a failure before the first token always gets its HTTP status.
      config: {
        http: { status_wait: 5 },
        flow: RELAY_FLOW,
        llm: { default: backend.entry(upstream.url, extra) },
      },
      env: backend.env,
    }),
  );
  servers.push(server);
  const ask = async () => {
    const reply = await post(`${server.url}/relay`, { query: 'hello' });
    expect(reply.body).not.toContain(SECRET_KEY);
    return reply;
  };
  return { upstream, server, ask };
}

/** Everything the server logged, as text. */
function logged(server: FlowServer): string {
  return server.logs.join('\n');
}

/** The `detail` of a JSON error answer. */
function detail(body: string): string {
  return (JSON.parse(body) as { detail: string }).detail;
}

/** The stream's chunks, checking it ended with one error chunk and `data:[DONE]`. */
function failedStream(body: string) {
  const { chunks, done } = sseChunks(body);
  expect(done).toBe(true);
  const errors = chunks.filter((chunk) => chunk.chunk_type === 'error');
  expect(errors).toHaveLength(1);
  expect(chunks.at(-1)?.chunk_type).toBe('error');
  return { chunks, error: String(errors[0]?.chunk) };
}

for (const backend of BACKENDS) {
  const who = `${backend.backend} model ${backend.model}`;

  describe(`${backend.backend}: failures before the first token get an HTTP status and a JSON detail`, () => {
    it("401 (a refused key): 502 naming the provider, model, status and code; the provider's message only in the log; not retried", async () => {
      const { upstream, server, ask } = await serve(backend, [], {}, { apiKey: 'sk-the-right-one' });
      const reply = await ask();
      expect(reply.status).toBe(502);
      expect(reply.contentType).toContain('application/json');
      const text = detail(reply.body);
      expect(text).toContain(`${who}: the API key was refused (HTTP 401); check`);
      expect(text).toMatch(/\(error code: (invalid_api_key|authentication_error)\)$/);
      expect(text).not.toMatch(/Incorrect API key provided|invalid x-api-key/);
      expect(logged(server)).toMatch(/Incorrect API key provided|invalid x-api-key/);
      expect(text).not.toContain(SECRET_KEY.slice(-4));
      expect(upstream.requests).toHaveLength(1);
    });

    it('a provider message that echoes the key is redacted in the log, and never sent to the client', async () => {
      const { server, ask } = await serve(backend, [
        { status: 401, message: `Key ${SECRET_KEY} is not valid` },
      ]);
      const reply = await ask();
      expect(reply.status).toBe(502);
      expect(detail(reply.body)).not.toContain('is not valid');
      expect(logged(server)).toContain('Key [redacted] is not valid');
    });

    it('403: 502 saying access was denied', async () => {
      const { upstream, server, ask } = await serve(backend, [
        { status: 403, message: 'Region not supported' },
      ]);
      const reply = await ask();
      expect(reply.status).toBe(502);
      expect(detail(reply.body)).toMatch(
        new RegExp(
          `${who}: access denied \\(HTTP 403\\); check the API key and its permissions \\(error code: \\w+\\)$`,
        ),
      );
      expect(logged(server)).toContain('Region not supported');
      expect(upstream.requests).toHaveLength(1);
    });

    it('an unreachable provider (connection refused): 502 after the retries', async () => {
      const closed = await backend.start([]);
      await closed.close();
      const server = resources.add(
        await startFlowServer({
          config: { http: { status_wait: 5 }, flow: RELAY_FLOW, llm: { default: backend.entry(closed.url) } },
          env: backend.env,
        }),
      );
      servers.push(server);
      const reply = await post(`${server.url}/relay`, { query: 'hello' });
      expect(reply.status).toBe(502);
      // The system error code, not its text (which names the provider's host and port).
      expect(detail(reply.body)).toContain(
        `${who}: could not connect to the provider; gave up after 3 attempts (error code: ECONNREFUSED)`,
      );
      expect(logged(server)).toMatch(/connect ECONNREFUSED 127\.0\.0\.1:\d+/);
    });

    it('404 (a wrong model name): 502 saying to check the model name', async () => {
      const { upstream, server, ask } = await serve(backend, [
        { status: 404, message: 'model gpt-nope does not exist' },
      ]);
      const reply = await ask();
      expect(reply.status).toBe(502);
      expect(detail(reply.body)).toContain(
        `${who}: not found (HTTP 404); check the model name '${backend.model}' and base_url (error code: `,
      );
      expect(detail(reply.body)).not.toContain('gpt-nope');
      expect(logged(server)).toContain('model gpt-nope does not exist');
      expect(upstream.requests).toHaveLength(1);
    });

    it('500 every time: retried max_retries times, then 502 saying so', async () => {
      const { upstream, server, ask } = await serve(backend, [{ status: 500, message: 'boom upstream' }]);
      const reply = await ask();
      expect(reply.status).toBe(502);
      expect(detail(reply.body)).toContain(
        `${who}: the provider failed (HTTP 500); gave up after 3 attempts`,
      );
      expect(detail(reply.body)).not.toContain('boom upstream');
      expect(logged(server)).toContain('boom upstream');
      expect(upstream.requests).toHaveLength(3);
    });

    it('429 every time: 502 "rate limited" after the retries', async () => {
      const { upstream, ask } = await serve(backend, [{ status: 429, retryAfter: 0 }], { max_retries: 1 });
      const reply = await ask();
      expect(reply.status).toBe(502);
      expect(detail(reply.body)).toContain(`${who}: rate limited (HTTP 429); gave up after 2 attempts`);
      expect(upstream.requests).toHaveLength(2);
    });

    it('429 asking for more than max_retry_wait fails at once instead of waiting', async () => {
      const { upstream, ask } = await serve(backend, [{ status: 429, retryAfter: 120 }]);
      const started = performance.now();
      const reply = await ask();
      // A hang guard: waiting as asked would take 120 s.
      expect(performance.now() - started).toBeLessThan(30_000);
      expect(reply.status).toBe(502);
      expect(detail(reply.body)).toContain(
        'the provider asks to retry after 120 s, more than max_retry_wait (20 s)',
      );
      expect(upstream.requests).toHaveLength(1);
    });

    it('no answer (hang before the headers): 504 after timeout, retried once', async () => {
      const { upstream, ask } = await serve(backend, [{ hang: 'headers' }], { max_retries: 1, timeout: 0.3 });
      const started = performance.now();
      const reply = await ask();
      const elapsed = performance.now() - started;
      expect(reply.status).toBe(504);
      expect(detail(reply.body)).toContain(
        `${who}: no answer within 0.3 s (timeout); gave up after 2 attempts`,
      );
      expect(upstream.requests).toHaveLength(2);
      expect(elapsed).toBeGreaterThanOrEqual(550);
      await upstream.waitForIdle(HANG_MS); // the timed-out requests were closed, not left hanging
    });
  });

  describe(`${backend.backend}: retries happen only before the first token`, () => {
    it('429 with retry-after: 1 waits about a second, then streams the answer once', async () => {
      const { upstream, ask } = await serve(backend, [{ status: 429, retryAfter: 1 }, { answer: ANSWER }]);
      const reply = await ask();
      expect(reply.status).toBe(200);
      const { chunks, done } = sseChunks(reply.body);
      expect(done).toBe(true);
      expect(textOf(chunks, 'answer')).toBe(ANSWER);
      expect(upstream.requests).toHaveLength(2);
      const gap = upstream.requests[1]!.receivedAt - upstream.requests[0]!.receivedAt;
      console.info(`[measure] ${backend.backend}: retry-after 1 s → next request after ${gap.toFixed(0)} ms`);
      expect(gap).toBeGreaterThanOrEqual(950);
      expect(gap).toBeLessThan(10 * 1000); // a hang guard: not, say, retry-after read as minutes
    });

    it('a connection lost before any token is retried; the answer arrives once', async () => {
      const { upstream, ask } = await serve(backend, [{ answer: ANSWER, drop: 0 }, { answer: ANSWER }]);
      const reply = await ask();
      expect(reply.status).toBe(200);
      const { chunks } = sseChunks(reply.body);
      expect(textOf(chunks, 'answer')).toBe(ANSWER);
      expect(chunks.some((chunk) => chunk.chunk_type === 'error')).toBe(false);
      expect(upstream.requests).toHaveLength(2);
    });

    it('a stream cut after tokens is never retried: the tokens, then an error chunk and [DONE]', async () => {
      const { upstream, server, ask } = await serve(backend, [
        { answer: ANSWER, drop: backend.firstTokenEvent + 2 },
      ]);
      const reply = await ask();
      expect(reply.status).toBe(200);
      const { chunks, error } = failedStream(reply.body);
      expect(textOf(chunks, 'answer')).toBe('one two');
      expect(error).toMatch(new RegExp(`${who}: the stream broke off after \\d+ events`));
      expect(logged(server)).toContain('terminated');
      expect(upstream.requests).toHaveLength(1);
    });
  });

  describe(`${backend.backend}: failures after the first token end the stream with an error chunk`, () => {
    it('a stalled stream (hang) times out', async () => {
      const { upstream, ask } = await serve(
        backend,
        [{ answer: ANSWER, hang: backend.firstTokenEvent + 1 }],
        {
          timeout: 0.3,
        },
      );
      const reply = await ask();
      const { chunks, error } = failedStream(reply.body);
      expect(textOf(chunks, 'answer')).toBe('one');
      expect(error).toContain(`${who}: the stream stalled: no data for 0.3 s (timeout)`);
      expect(upstream.requests).toHaveLength(1);
      await upstream.waitForIdle(HANG_MS);
    });

    it('malformed stream data (invalid JSON)', async () => {
      const { upstream, ask } = await serve(backend, [
        { answer: ANSWER, invalidJson: backend.firstTokenEvent + 1 },
      ]);
      const { chunks, error } = failedStream((await ask()).body);
      expect(textOf(chunks, 'answer')).toBe('one');
      expect(error).toContain(`${who}: the provider sent malformed stream data (not JSON)`);
      expect(upstream.requests).toHaveLength(1);
    });

    it('malformed data before any token: 200 was sent (the upstream had accepted), then the error chunk; not retried', async () => {
      const { upstream, ask } = await serve(backend, [{ answer: ANSWER, invalidJson: 0 }]);
      const reply = await ask();
      expect(reply.status).toBe(200);
      const { chunks, error } = failedStream(reply.body);
      expect(chunks).toHaveLength(1);
      expect(error).toContain('malformed stream data');
      expect(upstream.requests).toHaveLength(1);
    });

    it('a stream that ends early without its terminator', async () => {
      const { server, ask } = await serve(backend, [
        { answer: ANSWER, truncate: backend.firstTokenEvent + 1 },
      ]);
      const { chunks, error } = failedStream((await ask()).body);
      expect(textOf(chunks, 'answer')).toBe('one');
      expect(error).toMatch(/the stream broke off after \d+ events/);
      expect(logged(server)).toContain('the stream ended before');
    });

    it("the provider's in-stream error event: its code in the chunk, its message in the log", async () => {
      const { server, ask } = await serve(backend, [
        { answer: ANSWER, streamError: backend.firstTokenEvent + 1, message: 'Overloaded right now' },
      ]);
      const { error } = failedStream((await ask()).body);
      expect(error).toMatch(
        new RegExp(`${who}: the provider reported an error in the stream( \\(error code: \\w+\\))?$`),
      );
      expect(error).not.toContain('Overloaded right now');
      expect(logged(server)).toContain('Overloaded right now');
    });

    it('a slow trickle is streamed as it comes and does not trip the idle timeout', async () => {
      // Gaps of 0.4 s under a 1.5 s idle timeout (a stalled event loop can add a second), adding up to more.
      const { ask } = await serve(backend, [{ answer: ANSWER, delayMs: 400 }], { timeout: 1.5 });
      const reply = await ask();
      const { chunks, done } = sseChunks(reply.body);
      expect(done).toBe(true);
      expect(textOf(chunks, 'answer')).toBe(ANSWER);
      const answerPieces = reply.pieces.filter((piece) => piece.text.includes('"answer"'));
      expect(answerPieces.length).toBeGreaterThanOrEqual(3);
      expect(answerPieces.at(-1)!.at - answerPieces[0]!.at).toBeGreaterThanOrEqual(150);
    });
  });

  describe(`${backend.backend}: a client disconnect`, () => {
    it('closes the upstream connection', async () => {
      // 4 s of words: an upstream request that ends incomplete was closed by the disconnect.
      const words = Array.from({ length: 200 }, (_, index) => `w${index}`).join(' ');
      const { upstream, server } = await serve(backend, [{ answer: words, delayMs: 20 }]);
      let destroyedAt = 0;
      const reply = await post(`${server.url}/relay`, { query: 'hello' }, (body, destroy) => {
        if (!destroyedAt && body.includes('"answer"')) {
          destroyedAt = performance.now();
          destroy();
        }
      });
      expect(reply.status).toBe(200);
      expect(destroyedAt).toBeGreaterThan(0);
      await upstream.waitForIdle(HANG_MS);
      const request = upstream.requests[0]!;
      expect(request.completed).toBe(false);
      const closeMs = request.closedAt! - destroyedAt;
      console.info(
        `[measure] ${backend.backend}: client disconnect → upstream connection closed in ${closeMs.toFixed(1)} ms`,
      );
      expect(closeMs).toBeGreaterThanOrEqual(0);
      expect(upstream.openConnections).toBe(0);
      expect(upstream.requests).toHaveLength(1);
    });
  });
}
