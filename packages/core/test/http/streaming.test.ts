import { expect, it } from 'vitest';
import { SSE_HEADERS } from '../../src/sse/headers.js';
import { DONE, FLOW_ID, firstFlowId, frame, openStream, postJson, streamBody } from './client.js';
import { describeTransports, flows } from './harness.js';

const talk = (llm: Record<string, unknown>, http: Record<string, unknown> = {}) => ({
  http,
  flow: flows({ talk: { flow_content: 'StreamChatOp()', stream: true } }),
  llm: { default: { backend: 'mock', ...llm } },
});

const PING = ': ping\n\n';

it('SSE_HEADERS sets no hop-by-hop header (they break HTTP/2)', () => {
  const names = Object.keys(SSE_HEADERS).map((name) => name.toLowerCase());
  for (const forbidden of ['connection', 'keep-alive', 'transfer-encoding', 'upgrade'])
    expect(names).not.toContain(forbidden);
});

describeTransports('streaming', (target) => {
  it('frames a stream byte for byte like FlowLLM, ending with data:[DONE], with a new 32-hex flow_id per request', async () => {
    const { url } = await target.start(talk({ think: 'Let me see', answer: 'Hello {input}!' }));
    const first = await postJson(url, '/talk', { query: 'hi' });
    expect(first.status).toBe(200);
    const flowId = firstFlowId(first.body);
    expect(flowId).toMatch(FLOW_ID);
    expect(first.body).toBe(
      streamBody(flowId, [
        ['think', 'Let'],
        ['think', ' me'],
        ['think', ' see'],
        ['answer', 'Hello'],
        ['answer', ' hi'],
        ['answer', '!'],
      ]),
    );
    const second = await postJson(url, '/talk', { query: 'hi' });
    const secondId = firstFlowId(second.body);
    expect(secondId).toMatch(FLOW_ID);
    expect(secondId).not.toBe(flowId);
    expect(second.body).toBe(first.body.replaceAll(flowId, secondId));
  });

  it('sends the SSE headers: text/event-stream, no-cache + no-transform, x-accel-buffering: no', async () => {
    const { url } = await target.start(talk({ answer: 'ok' }));
    const reply = await postJson(url, '/talk', { query: 'hi' });
    expect(reply.headers['content-type']).toMatch(/^text\/event-stream(;\s*charset=utf-8)?$/i);
    const cacheControl = reply.headers['cache-control'] ?? '';
    expect(cacheControl).toContain('no-cache');
    expect(cacheControl).toContain('no-transform');
    expect(reply.headers['x-accel-buffering']).toBe('no');
    expect(reply.headers['content-length']).toBeUndefined();
  });

  it('puts the headers on the wire before the first token', async () => {
    const { url } = await target.start(talk({ answer: 'late', first_token_delay_ms: 800 }));
    const client = openStream(url, '/talk', { body: { query: 'hi' } });
    const firstDataAt = await client.waitForText((text) => text.includes('data:'));
    const headersAfter = client.responseAt! - client.startedAt;
    const dataAfter = firstDataAt - client.startedAt;
    console.log(
      `[${target.transport}] headers after ${headersAfter.toFixed(0)} ms, first data after ${dataAfter.toFixed(0)} ms`,
    );
    expect(headersAfter).toBeLessThan(400);
    expect(dataAfter).toBeGreaterThanOrEqual(700);
    // Nothing but headers arrived before the token.
    expect(client.pieces[0]!.text.startsWith('data:')).toBe(true);
  });

  it('delivers chunks as they are produced, not all at the end', async () => {
    const { url } = await target.start(talk({ answer: 'a b c d e f g h i j', token_delay_ms: 50 }));
    const client = openStream(url, '/talk', { body: { query: 'hi' } });
    await client.ended;
    const flowId = firstFlowId(client.text());
    const arrival = (needle: string) => {
      let seen = '';
      for (const piece of client.pieces) {
        seen += piece.text;
        if (seen.includes(needle)) return piece.at;
      }
      throw new Error(`never received ${needle}`);
    };
    const spread = arrival(frame(flowId, 'answer', ' j')) - arrival(frame(flowId, 'answer', 'a'));
    expect(spread).toBeGreaterThan(300);
    expect(client.text()).toBe(
      streamBody(
        flowId,
        'a b c d e f g h i j'
          .split(' ')
          .map((letter, i): [string, string] => ['answer', i === 0 ? letter : ` ${letter}`]),
      ),
    );
  });

  it('sends ": ping" heartbeats while the flow is idle', async () => {
    const { url } = await target.start(
      talk({ answer: 'pong', first_token_delay_ms: 600 }, { heartbeat: 0.1 }),
    );
    const client = openStream(url, '/talk', { body: { query: 'hi' } });
    await client.ended;
    const body = client.text();
    const beforeData = body.slice(0, body.indexOf('data:'));
    expect(beforeData.split(PING).length - 1).toBeGreaterThanOrEqual(2);
    expect(beforeData.replaceAll(PING, '')).toBe('');
    const flowId = firstFlowId(body);
    expect(body.replaceAll(PING, '')).toBe(frame(flowId, 'answer', 'pong') + DONE);
  });

  it('sends no heartbeat with http.heartbeat: 0', async () => {
    const { url } = await target.start(talk({ answer: 'pong', first_token_delay_ms: 400 }, { heartbeat: 0 }));
    const client = openStream(url, '/talk', { body: { query: 'hi' } });
    await client.ended;
    expect(
      client
        .text()
        .split('\n')
        .filter((line) => line.startsWith(':')),
    ).toEqual([]);
    expect(client.text()).toBe(frame(firstFlowId(client.text()), 'answer', 'pong') + DONE);
  });
});
