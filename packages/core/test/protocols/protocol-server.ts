import { createFlowApp } from '../../src/create-flow-app.js';
import type { FlowApp } from '../../src/engine/flow-app.js';
import { FlowService } from '../../src/http/service.js';
import type { MockLlm } from '../../src/models/mock-llm.js';
import type { FlowProtocol } from '../../src/protocols/stream-encoder.js';
import { listenService } from '../helpers/listen-service.js';
import { recordingLogger } from '../helpers/recording-logger.js';

/** A real node:http server on port 0 over the protocol routes' test flows. */
export interface ProtocolServer {
  url: string;
  app: FlowApp;
  service: FlowService;
  logs: string[];
  llm(name?: string): MockLlm;
  close(): Promise<void>;
}

const query = { query: { type: 'string' as const, description: 'the question', required: true } };

/**
 * Flows: `chat` (think + answer + usage), `agent` (an offline agent with a search tool), `broken` (fails
 * after two tokens), `slow` (a long answer), `sync` (a sync flow), `picky` (declares `city`, an enum).
 */
export async function startProtocolServer(
  config: Record<string, unknown> = {},
  options: { protocols?: FlowProtocol[]; env?: Record<string, string> } = {},
): Promise<ProtocolServer> {
  const app = createFlowApp({
    env: options.env ?? {},
    cwd: process.cwd(),
    config: {
      http: { heartbeat: 0 },
      ...config,
      llm: {
        default: { backend: 'mock', think: 'Let me see', answer: 'Hello world' },
        broken: { backend: 'mock', answer: 'one two three four', error: 'model fell over', error_after: 2 },
        slow: {
          backend: 'mock',
          answer: Array.from({ length: 400 }, (_, i) => `w${i}`).join(' '),
          token_delay_ms: 20,
        },
        agent: { backend: 'mock' },
        ...(config.llm as Record<string, unknown>),
      },
      flow: {
        chat: { flow_content: 'StreamChatOp()', stream: true, input_schema: query },
        agent: {
          flow_content: 'ReactAgentOp(llm="agent", tool_call_interval=0) << MockSearchOp(num_results=1)',
          stream: true,
        },
        broken: { flow_content: 'StreamChatOp(llm="broken")', stream: true },
        slow: { flow_content: 'StreamChatOp(llm="slow")', stream: true },
        sync: { flow_content: 'ChatOp()', input_schema: query },
        picky: {
          flow_content: 'StreamChatOp()',
          stream: true,
          input_schema: {
            city: { type: 'string' as const, enum: ['Paris', 'Rome'], required: true, description: '' },
          },
        },
      },
    },
  });
  const { logger, logs } = recordingLogger();
  const service = new FlowService(app, { logger, protocols: options.protocols });
  await service.ready();
  const { url, close } = await listenService(service);
  return { url, app, service, logs, llm: (name = 'default') => app.resources.llm(name) as MockLlm, close };
}

/** The `data:` payloads of an SSE body, JSON-parsed (`[DONE]` kept as the string). */
export function dataEvents(text: string): unknown[] {
  return text
    .split('\n\n')
    .filter((event) => event.startsWith('data: '))
    .map((event) => {
      const data = event.slice('data: '.length);
      return data === '[DONE]' ? data : JSON.parse(data);
    });
}

/** A `useChat`-shaped body asking `text`. */
export function chatBody(text: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    id: 'chat-1',
    trigger: 'submit-message',
    messages: [{ id: 'u1', role: 'user', parts: [{ type: 'text', text }] }],
    ...extra,
  });
}
