import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFlowApp } from '../../../src/create-flow-app.js';
import type { FlowApp } from '../../../src/engine/flow-app.js';
import { createFlowService } from '../../../src/http/service-source.js';
import type { ToolSpec } from '../../../src/models/types.js';
import { BaseOp, type OpClass } from '../../../src/op/base-op.js';

export const WEATHER_TOOL: ToolSpec = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather of a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

/**
 * Streams every chunk of one model call to the client — usage included, unlike StreamChatOp — with
 * a system prompt and the weather tool offered.
 */
export class RelayOp extends BaseOp {
  async execute(): Promise<void> {
    const messages = [
      { role: 'system' as const, content: 'You are terse.' },
      { role: 'user' as const, content: String(this.context.get('query')) },
    ];
    for await (const chunk of this.llm.stream(messages, { signal: this.signal, tools: [WEATHER_TOOL] })) {
      await this.context.addStreamChunk(chunk);
    }
  }
}

export const RELAY_FLOW = {
  relay: { flow_content: 'RelayOp()', stream: true, input_schema: { query: { type: 'string' } } },
};

export interface FlowServer {
  url: string;
  app: FlowApp;
  /** Everything the service logged. */
  logs: string[];
  close(): Promise<void>;
}

/** Serves a config (with RelayOp and `ops`), or an app built already, with `createFlowService(app).node` on 127.0.0.1, port 0. */
export async function startFlowServer(
  options:
    | {
        config: string | Record<string, unknown> | (string | Record<string, unknown>)[];
        env: Record<string, string>;
        overrides?: string[];
        ops?: OpClass[];
      }
    | { app: FlowApp },
): Promise<FlowServer> {
  const app =
    'app' in options ? options.app : createFlowApp({ ...options, ops: [RelayOp, ...(options.ops ?? [])] });
  const logs: string[] = [];
  const log = (message: string, details?: Record<string, unknown>) =>
    logs.push(`${message} ${JSON.stringify(details ?? {})}`);
  const service = createFlowService(app, { logger: { error: log, warn: log, info: log } });
  const server = createServer(service.node);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    app,
    logs,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface ClientReply {
  status: number;
  contentType: string;
  body: string;
  /** `performance.now()` when each body piece arrived. */
  pieces: { at: number; text: string }[];
}

/** POSTs JSON and reads the whole response; `onPiece` may destroy the request (a disconnect). */
export function post(
  url: string,
  body: unknown,
  onPiece?: (text: string, destroy: () => void) => void,
): Promise<ClientReply> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const request = httpRequest(url, {
      method: 'POST',
      agent: false,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
    });
    request.on('response', (response) => {
      const reply: ClientReply = {
        status: response.statusCode ?? 0,
        contentType: String(response.headers['content-type']),
        body: '',
        pieces: [],
      };
      response.setEncoding('utf8');
      response.on('data', (text: string) => {
        reply.body += text;
        reply.pieces.push({ at: performance.now(), text });
        onPiece?.(reply.body, () => request.destroy());
      });
      response.on('end', () => resolve(reply));
      response.on('close', () => resolve(reply));
    });
    request.on('error', (error) => (request.destroyed ? undefined : reject(error)));
    request.end(payload);
  });
}

export interface SseChunk {
  chunk_type: string;
  chunk: unknown;
  done: boolean;
}

/** The chunks of an SSE body, and whether it ended with `data:[DONE]`. */
export function sseChunks(body: string): { chunks: SseChunk[]; done: boolean } {
  const data = body
    .split('\n')
    .filter((line) => line.startsWith('data:'))
    .map((line) => line.slice(5).trim());
  const done = data.at(-1) === '[DONE]';
  const chunks = data.filter((item) => item !== '[DONE]').map((item) => JSON.parse(item) as SseChunk);
  return { chunks, done };
}

/** Joins the text of the chunks of one type. */
export function textOf(chunks: SseChunk[], type: string): string {
  return chunks
    .filter((chunk) => chunk.chunk_type === type)
    .map((chunk) => String(chunk.chunk))
    .join('');
}
