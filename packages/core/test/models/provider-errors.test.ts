import { afterEach, describe, expect, it } from 'vitest';
import type { UpstreamScript } from '../../../testing/src/index.js';
import { BACKENDS, type BackendCase, closer, SECRET_KEY } from './helpers/backends.js';
import { type FlowServer, post, RELAY_FLOW, sseChunks, startFlowServer } from './helpers/flow-server.js';

// What a provider may echo back: the prompt, and the key in the shapes it comes in.
const PROMPT = 'my private prompt: the launch code is 7401';
const KEY_ECHOES = {
  upperCased: SECRET_KEY.toUpperCase(),
  base64: btoa(SECRET_KEY),
  base64UrlSafe: btoa(`xy${SECRET_KEY}`).replace(/\+/g, '-').replace(/\//g, '_'),
  basicAuth: `Basic ${btoa(`user:${SECRET_KEY}`)}`,
  prefix: `${SECRET_KEY.slice(0, 8)}...`,
};
/** Pieces of every echo that must not survive anywhere (the base64 ones without their edges). */
const LEAKS = [
  SECRET_KEY.toUpperCase(),
  SECRET_KEY.slice(0, 8),
  btoa(SECRET_KEY).slice(0, 40),
  btoa(`xy${SECRET_KEY}`).slice(4, 40).replace(/\+/g, '-').replace(/\//g, '_'),
  btoa(`user:${SECRET_KEY}`).slice(8, 40),
];

const resources = closer();
afterEach(() => resources.closeAll());

async function serve(backend: BackendCase, script: UpstreamScript): Promise<FlowServer> {
  const upstream = resources.add(await backend.start(script));
  return resources.add(
    await startFlowServer({
      config: {
        // status_wait: long enough that a failure before the first token always gets its HTTP status.
        http: { status_wait: 5 },
        flow: {
          ...RELAY_FLOW,
          chat: { flow_content: 'ChatOp()', input_schema: { query: { type: 'string' } } },
        },
        llm: { default: backend.entry(upstream.url, { max_retries: 0 }) },
      },
      env: backend.env,
    }),
  );
}

/** The text of the request the upstream got, where a provider would find the prompt to echo. */
const echoPrompt = (body: unknown) => (JSON.stringify(body).includes(PROMPT) ? PROMPT : 'no prompt');

for (const backend of BACKENDS) {
  const who = `${backend.backend} model ${backend.model}`;

  describe(`${backend.backend}: what a provider says goes to the log, redacted, and not to clients`, () => {
    it('a 401 echoing the key upper-cased, base64-encoded and as a prefix: redacted everywhere', async () => {
      const message = `Refused: ${Object.values(KEY_ECHOES).join(' | ')} | end`;
      const server = await serve(backend, [{ status: 401, message }]);
      const reply = await post(`${server.url}/relay`, { query: 'hello' });
      expect(reply.status).toBe(502);
      const log = server.logs.join('\n');
      expect(log).toContain('Refused: [redacted] | ');
      expect(log).toContain('Basic ');
      expect(log).toContain('| end');
      for (const leak of LEAKS) {
        expect(log).not.toContain(leak);
        expect(reply.body).not.toContain(leak);
      }
      expect(reply.body).not.toContain('Refused');
    });

    it('a 400 echoing the prompt: the 502 names provider, model, status and code, not the prompt', async () => {
      const server = await serve(backend, (request) => ({
        status: 400,
        message: `bad request: ${echoPrompt(request.body)}`,
      }));
      for (const path of ['/relay', '/chat']) {
        const reply = await post(`${server.url}${path}`, { query: PROMPT });
        expect(reply.status).toBe(502);
        const detail = (JSON.parse(reply.body) as { detail: string }).detail;
        expect(detail).toContain(`${who}: the provider refused the request (HTTP 400)`);
        expect(detail).toContain('(error code: invalid_request_error)');
        expect(reply.body).not.toContain('launch code');
      }
      const failures = server.logs.filter((line) => line.includes(`bad request: ${PROMPT}`));
      expect(failures).toHaveLength(2);
    });

    it("an in-stream error echoing the prompt: the error chunk has the provider's code, not the prompt", async () => {
      const server = await serve(backend, (request) => ({
        answer: 'one two',
        streamError: backend.firstTokenEvent + 1,
        message: `overloaded while answering: ${echoPrompt(request.body)}`,
      }));
      const reply = await post(`${server.url}/relay`, { query: PROMPT });
      expect(reply.status).toBe(200);
      const { chunks } = sseChunks(reply.body);
      const error = String(chunks.find((chunk) => chunk.chunk_type === 'error')?.chunk);
      expect(error).toMatch(
        new RegExp(`${who}: the provider reported an error in the stream \\(error code: \\w+\\)$`),
      );
      expect(reply.body).not.toContain('launch code');
      expect(server.logs.join('\n')).toContain(`overloaded while answering: ${PROMPT}`);
    });
  });
}
