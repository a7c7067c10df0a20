// One flowllm instance of the resume cluster, in its own process (`node --import tsx`, started by
// resume-cluster.ts): `serve()` with `resume.backend: redis`, so core loads @flowllm/redis itself, as it
// would for a user. Over IPC it reports its address once, then answers `stats` with its model's counters,
// the run-route requests it served and what it logged.
import { createFlowApp, type ServiceLogger, serve } from '@flowllm/core';
import type { MockLlm } from '@flowllm/core/models';

/** What the parent asks for. */
export type InstanceCommand = { op: 'stats' };

/** The model counters, requests by kind, and logged lines of one instance. */
export interface InstanceStats {
  model: { started: number; completed: number; aborted: number; active: number };
  requests: { start: number; resume: number; stop: number };
  logs: { level: string; message: string }[];
}

/** The instance's first message: where it listens. */
export interface InstanceReady {
  ready: string;
}

const env = (name: string, fallback: string) => process.env[name] ?? fallback;
const words = Number(env('ANSWER_WORDS', '80'));

const logs: InstanceStats['logs'] = [];
const at = (level: string) => (message: string) => void logs.push({ level, message });
const logger: ServiceLogger = { error: at('error'), warn: at('warn'), info: at('info') };

const app = createFlowApp({
  env: {},
  config: {
    resume: {
      backend: 'redis',
      redis_url: env('REDIS_URL', ''),
      lease_seconds: Number(env('LEASE_SECONDS', '1')),
      retry_ms: Number(env('RETRY_MS', '250')),
      ttl_seconds: 600,
    },
    flow: { chat: { flow_content: 'StreamChatOp()', stream: true } },
    llm: {
      default: {
        backend: 'mock',
        // `<i>` tokens, so a reader can tell a lost, doubled or reordered token from the text alone.
        answer: Array.from({ length: words }, (_, i) => `t${i}`).join(' '),
        token_delay_ms: Number(env('TOKEN_DELAY_MS', '25')),
      },
    },
  },
});

const running = await serve(app, { port: 0, host: '127.0.0.1', logger });
const requests: InstanceStats['requests'] = { start: 0, resume: 0, stop: 0 };
running.server.on('request', (req: { method?: string; url?: string }) => {
  const path = (req.url ?? '').split('?')[0] ?? '';
  if (path.endsWith('/stop')) requests.stop++;
  else if (path.includes('/runs/')) requests.resume++;
  else if (req.method === 'POST') requests.start++;
});

process.on('message', (command: InstanceCommand) => {
  if (command.op !== 'stats') return;
  const { started, completed, aborted, active } = (app.resources.llm('default') as MockLlm).stats;
  const stats: InstanceStats = { model: { started, completed, aborted, active }, requests, logs };
  process.send?.(stats);
});
process.send?.({ ready: running.url } satisfies InstanceReady);
