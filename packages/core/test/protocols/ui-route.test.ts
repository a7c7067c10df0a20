import { afterEach, describe, expect, it } from 'vitest';
import { waitUntil } from '../helpers/wait.js';
import { chatBody, dataEvents, type ProtocolServer, startProtocolServer } from './protocol-server.js';

let server: ProtocolServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const post = (url: string, body: string, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

describe('POST /{flow}/ui', () => {
  it('answers a useChat body with the UI message stream: header v1, the answer in text parts', async () => {
    server = await startProtocolServer();
    const response = await post(`${server.url}/chat/ui`, chatBody('Hi'));
    expect(response.status).toBe(200);
    expect(response.headers.get('x-vercel-ai-ui-message-stream')).toBe('v1');
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = dataEvents(await response.text()) as Record<string, unknown>[];
    const text = events
      .filter((event) => event.type === 'text-delta')
      .map((event) => event.delta)
      .join('');
    expect(text).toBe('Hello world');
    expect(events.at(-2)).toMatchObject({ type: 'finish', messageMetadata: { usage: { outputTokens: 5 } } });
  });

  it("starts the answer under a fresh id, never the request's messageId (an edit names a user message)", async () => {
    server = await startProtocolServer();
    const body = chatBody('Hi', { trigger: 'regenerate-message', messageId: 'u1' });
    const events = dataEvents(await (await post(`${server.url}/chat/ui`, body)).text()) as Record<
      string,
      unknown
    >[];
    expect(events[0]).toMatchObject({ type: 'start' });
    expect(events[0]?.messageId).toMatch(/^msg_[0-9a-f]{32}$/);
  });

  it('gives the flow the last user text as query and the conversation as messages', async () => {
    server = await startProtocolServer({ llm: { default: { backend: 'mock', answer: 'You said {input}' } } });
    const body = JSON.stringify({
      id: 'c',
      trigger: 'submit-message',
      messages: [
        { id: '1', role: 'user', parts: [{ type: 'text', text: 'first' }] },
        { id: '2', role: 'assistant', parts: [{ type: 'step-start' }, { type: 'text', text: 'ok' }] },
        {
          id: '3',
          role: 'user',
          parts: [
            { type: 'text', text: 'second ' },
            { type: 'text', text: 'question' },
          ],
        },
      ],
    });
    const events = dataEvents(await (await post(`${server.url}/chat/ui`, body)).text()) as Record<
      string,
      unknown
    >[];
    const text = events
      .filter((event) => event.type === 'text-delta')
      .map((event) => event.delta)
      .join('');
    expect(text).toBe('You said second question');
  });

  it('checks extra body fields against input_schema (422 naming the field), and passes good ones on', async () => {
    server = await startProtocolServer();
    const bad = await post(`${server.url}/picky/ui`, chatBody('Hi', { city: 'Oslo' }));
    expect(bad.status).toBe(422);
    const detail = ((await bad.json()) as { detail: { loc: string[] }[] }).detail;
    expect(detail[0]?.loc).toEqual(['body', 'city']);
    const good = await post(`${server.url}/picky/ui`, chatBody('Hi', { city: 'Rome' }));
    expect(good.status).toBe(200);
    await good.text();
  });

  it('refuses bodies that are not useChat requests with 422/415/400, as the FlowLLM route does', async () => {
    server = await startProtocolServer();
    const noMessages = await post(`${server.url}/chat/ui`, JSON.stringify({ id: 'c', messages: 'hi' }));
    expect(noMessages.status).toBe(422);
    expect(JSON.stringify(await noMessages.json())).toContain('"messages"');
    const empty = await post(`${server.url}/chat/ui`, JSON.stringify({ id: 'c', messages: [] }));
    expect(empty.status).toBe(422);
    expect(((await empty.json()) as { detail: { type: string }[] }).detail[0]?.type).toBe('too_short');
    expect(server.logs).toEqual([]);
    const badRole = await post(
      `${server.url}/chat/ui`,
      JSON.stringify({ messages: [{ role: 'wizard', parts: [] }] }),
    );
    expect(badRole.status).toBe(422);
    expect(((await badRole.json()) as { detail: { loc: unknown[] }[] }).detail[0]?.loc).toEqual([
      'body',
      'messages',
      0,
      'role',
    ]);
    const notJson = await post(`${server.url}/chat/ui`, 'hi', { 'content-type': 'text/plain' });
    expect(notJson.status).toBe(415);
    const broken = await post(`${server.url}/chat/ui`, '{"messages": [');
    expect(broken.status).toBe(400);
    const get = await fetch(`${server.url}/chat/ui`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST, OPTIONS');
  });

  it('exists only for stream flows, and not at all with ui_stream.enabled false', async () => {
    server = await startProtocolServer({ ui_stream: { enabled: false } });
    expect((await post(`${server.url}/chat/ui`, chatBody('Hi'))).status).toBe(404);
    await server.close();
    server = await startProtocolServer();
    expect((await post(`${server.url}/sync/ui`, chatBody('Hi'))).status).toBe(404);
  });

  it('aborts the flow and its model when the client goes away', async () => {
    server = await startProtocolServer();
    const response = await post(`${server.url}/slow/ui`, chatBody('Hi'));
    const reader = response.body?.getReader();
    await reader?.read();
    await reader?.cancel();
    const llm = server.llm('slow');
    await waitUntil(() => llm.stats.aborted === 1 && server?.service.openStreamCount === 0);
    expect(llm.stats.completed).toBe(0);
  });

  it('answers GET /{flow}/ui/{chatId}/stream with 204 when resume is off', async () => {
    server = await startProtocolServer();
    const response = await fetch(`${server.url}/chat/ui/chat-1/stream`);
    expect(response.status).toBe(204);
  });
});

describe('GET /{flow}/ui/{chatId}/stream with resume on', () => {
  it("replays the chat's running run from its start, then goes on live; 204 once it has ended", async () => {
    server = await startProtocolServer({
      resume: { backend: 'memory' },
      llm: { slow: { backend: 'mock', answer: 'a b c d e f g h', token_delay_ms: 40 } },
    });
    const first = await post(`${server.url}/slow/ui`, chatBody('Hi', { id: 'chat-7' }));
    const reader = first.body?.getReader();
    await reader?.read();
    // The page reloads: its fetch is gone, the run goes on.
    await reader?.cancel();
    const resumed = await fetch(`${server.url}/slow/ui/chat-7/stream`);
    expect(resumed.status).toBe(200);
    expect(resumed.headers.get('x-vercel-ai-ui-message-stream')).toBe('v1');
    const events = dataEvents(await resumed.text()) as Record<string, unknown>[];
    expect(events[0]).toMatchObject({ type: 'start' });
    const text = events
      .filter((event) => event.type === 'text-delta')
      .map((event) => event.delta)
      .join('');
    expect(text).toBe('a b c d e f g h');
    expect(events.at(-1)).toBe('[DONE]');
    // The run's usage is not in the log: it is read from the run itself, where it runs.
    expect(events.at(-2)).toMatchObject({ type: 'finish', messageMetadata: { usage: { outputTokens: 8 } } });
    const after = await fetch(`${server.url}/slow/ui/chat-7/stream`);
    expect(after.status).toBe(204);
    const otherChat = await fetch(`${server.url}/slow/ui/chat-8/stream`);
    expect(otherChat.status).toBe(204);
  });
});
