import {
  type LocalUpstream,
  startAnthropicUpstream,
  startOpenAiUpstream,
  type UpstreamOptions,
  type UpstreamScript,
} from '../../../../testing/src/index.js';

/** A key that must never reach a client, a log line or an error message. */
export const SECRET_KEY = 'sk-flowllm-test-0123456789-secret';

/** Short retry pauses and timeouts, so fault tests stay fast. */
// The timeout is generous: on a loaded machine a healthy first answer can take longer than half a second,
// which would turn it into a timeout and a retry. Tests about timeouts set their own.
export const FAST = { retry_delay: 0.01, timeout: 3 };

/** One backend under test: its local upstream, config entry and environment. */
export interface BackendCase {
  backend: 'openai_compatible' | 'anthropic';
  model: string;
  start(script: UpstreamScript, options?: UpstreamOptions): Promise<LocalUpstream>;
  entry(url: string, extra?: Record<string, unknown>): Record<string, unknown>;
  env: Record<string, string>;
  /** Events the upstream sends before the first answer token of a plain answer. */
  firstTokenEvent: number;
  /** Where the system prompt landed in a recorded request body. */
  systemPrompt(body: Record<string, unknown>): unknown;
}

export const BACKENDS: BackendCase[] = [
  {
    backend: 'openai_compatible',
    model: 'gpt-test',
    start: startOpenAiUpstream,
    entry: (url, extra = {}) => ({
      backend: 'openai_compatible',
      model_name: 'gpt-test',
      base_url: url,
      ...FAST,
      ...extra,
    }),
    env: { FLOW_LLM_API_KEY: SECRET_KEY },
    firstTokenEvent: 1,
    systemPrompt: (body) => (body.messages as { role: string; content: string }[])[0],
  },
  {
    backend: 'anthropic',
    model: 'claude-test',
    start: startAnthropicUpstream,
    entry: (url, extra = {}) => ({
      backend: 'anthropic',
      model_name: 'claude-test',
      base_url: url,
      ...FAST,
      ...extra,
    }),
    env: { ANTHROPIC_API_KEY: SECRET_KEY },
    firstTokenEvent: 3,
    systemPrompt: (body) => body.system,
  },
];

/** Runs `body` with upstreams and servers it registers, closing them all afterwards. */
export function closer(): {
  add<T extends { close(): Promise<void> }>(item: T): T;
  closeAll(): Promise<void>;
} {
  const items: { close(): Promise<void> }[] = [];
  return {
    add(item) {
      items.push(item);
      return item;
    },
    closeAll: async () => {
      await Promise.all(items.splice(0).map((item) => item.close()));
    },
  };
}
