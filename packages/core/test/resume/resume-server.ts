import { request as httpRequest, type Server } from 'node:http';
import { createFlowApp } from '../../src/create-flow-app.js';
import type { FlowApp } from '../../src/engine/flow-app.js';
import { FlowService } from '../../src/http/service.js';
import type { MockLlm } from '../../src/models/mock-llm.js';
import type { EventLog } from '../../src/resume/event-log.js';
import { listenService } from '../helpers/listen-service.js';
import { recordingLogger } from '../helpers/recording-logger.js';

/** A real server on port 0 serving `chat` (a mock model's streamed answer) and `other`, resume as given. */
export interface ResumeServer {
  url: string;
  app: FlowApp;
  service: FlowService;
  server: Server;
  llm: MockLlm;
  logs: string[];
  close(): Promise<void>;
}

export async function startResumeServer(
  options: {
    resume?: Record<string, unknown>;
    llm?: Record<string, unknown>;
    eventLog?: EventLog;
    via?: 'node' | 'fetch';
  } = {},
): Promise<ResumeServer> {
  const app = createFlowApp({
    env: {},
    cwd: process.cwd(),
    config: {
      ...(options.resume ? { resume: options.resume } : {}),
      http: { heartbeat: 0 },
      llm: { default: { backend: 'mock', answer: 'one two three four five six', ...options.llm } },
      flow: {
        chat: { flow_content: 'StreamChatOp()', stream: true },
        other: { flow_content: 'StreamChatOp()', stream: true },
      },
    },
  });
  const { logger, logs } = recordingLogger();
  const service = new FlowService(app, { logger, eventLog: options.eventLog });
  await service.ready();
  const { url, server, close } = await listenService(
    service,
    options.via === 'fetch' ? fetchBridge(service) : service.node,
  );
  return { url, app, service, server, llm: app.resources.llm('default') as MockLlm, logs, close };
}

/** Serves through `service.fetch` (the web Request/Response path) on a node:http server. */
function fetchBridge(service: FlowService) {
  return async (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
    const controller = new AbortController();
    res.on('close', () => controller.abort());
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = ['GET', 'HEAD'].includes(req.method ?? 'GET') ? undefined : Buffer.concat(chunks);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers))
      if (typeof value === 'string') headers.set(name, value);
    const request = new Request(`http://${req.headers.host}${req.url}`, {
      method: req.method,
      headers,
      body,
      signal: controller.signal,
    });
    const response = await service.fetch(request);
    res.writeHead(response.status, Object.fromEntries(response.headers));
    if (!response.body) return void res.end();
    const reader = response.body.getReader();
    res.on('close', () => void reader.cancel().catch(() => {}));
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true as const }));
      if (done) break;
      res.write(value);
    }
    res.end();
  };
}

/** One SSE event as written: its id (if any), its data, and whether it carried `retry:`. */
export interface WireEvent {
  id?: string;
  data?: string;
  retry?: string;
  event?: string;
}

/** Splits SSE text into events (comments skipped). */
export function parseEvents(text: string): WireEvent[] {
  const events: WireEvent[] = [];
  for (const block of text.split('\n\n')) {
    if (block.trim() === '') continue;
    const event: WireEvent = {};
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) continue;
      const at = line.indexOf(':');
      const field = line.slice(0, at) as keyof WireEvent;
      event[field] = line.slice(at + 1);
    }
    if (Object.keys(event).length > 0) events.push(event);
  }
  return events;
}

/** The answer text carried by a list of events' data. */
export function answerOf(events: WireEvent[]): string {
  return events
    .filter((event) => event.data && event.data !== '[DONE]')
    .map((event) => JSON.parse(event.data as string) as { chunk_type: string; chunk: unknown })
    .filter((chunk) => chunk.chunk_type === 'answer')
    .map((chunk) => String(chunk.chunk))
    .join('');
}

/** A stream read over a real socket, which the test may cut at any point. */
export interface OpenStream {
  status: number;
  headers: import('node:http').IncomingHttpHeaders;
  /** Everything received so far. */
  text(): string;
  /** Resolves once `condition(text)` holds, or the stream ended. */
  until(condition: (text: string) => boolean): Promise<string>;
  /** Resolves with the whole body once the server ended it. */
  ended: Promise<string>;
  /** Drops the connection (the client went away). */
  drop(): void;
}

/** Opens a request and hands back the live response (its body is read as it arrives). */
export function openStream(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<OpenStream> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: options.method ?? 'GET', headers: options.headers });
    request.on('error', reject);
    request.on('response', (response) => {
      let text = '';
      let over = false;
      const waiters = new Set<() => void>();
      const ended = new Promise<string>((done) => {
        const finish = () => {
          over = true;
          for (const waiter of [...waiters]) waiter();
          done(text);
        };
        response.on('end', finish);
        response.on('close', finish);
        response.on('error', finish);
      });
      response.setEncoding('utf8');
      response.on('data', (data: string) => {
        text += data;
        for (const waiter of [...waiters]) waiter();
      });
      resolve({
        status: response.statusCode ?? 0,
        headers: response.headers,
        text: () => text,
        ended,
        until: (condition) =>
          new Promise<string>((done) => {
            const check = () => {
              if (!condition(text) && !over) return;
              waiters.delete(check);
              done(text);
            };
            waiters.add(check);
            check();
          }),
        drop: () => request.destroy(),
      });
    });
    request.end(options.body);
  });
}

/** POSTs `{"query": …}` to a stream flow and returns the open response. */
export function postStream(base: string, flow: string, query = 'hi', headers: Record<string, string> = {}) {
  return openStream(`${base}/${flow}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });
}
