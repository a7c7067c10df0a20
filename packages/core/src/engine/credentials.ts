import { ConfigError, type ConfigIssue } from '../config/config-error.js';
import type { ConfigSetup } from './config-resources.js';

// Slow enough that a person sees the answer stream in; GenSystemPromptOp's request gets a short
// system prompt, so the demo flow starts streaming at once.
const OFFLINE_LLM = {
  token_delay_ms: 20,
  script: [{ match: '```prompt', answer: '```prompt\nYou are a helpful assistant. Answer clearly.\n```' }],
};

/**
 * Finds model entries that cannot work for lack of a credential (no API key) before anything is
 * served. With `offlineFallback`, each is switched to the offline `mock` backend and a notice says so;
 * without, start-up fails naming the entry and the missing setting.
 *
 * @example
 * const notices = checkCredentials({ config, backends, env: process.env, offlineFallback: true });
 * // ["llm 'default' (openai_compatible qwen-max): no API key: set FLOW_LLM_API_KEY …; using the offline mock model"]
 */
export function checkCredentials(setup: ConfigSetup & { offlineFallback: boolean }): string[] {
  const { config, backends, env, sources } = setup;
  const notices: string[] = [];
  const issues: ConfigIssue[] = [];
  for (const kind of ['llm', 'embedding_model'] as const) {
    for (const [name, entry] of Object.entries(config[kind])) {
      const missing = backends.get(kind, entry.backend).missingCredentials?.(entry, env);
      if (!missing) continue;
      const label = `${kind} '${name}' (${entry.backend}${entry.model_name ? ` ${entry.model_name}` : ''})`;
      if (!setup.offlineFallback) {
        issues.push({
          path: `${kind}.${name}`,
          message: `${entry.backend}: ${missing}`,
          source: sources?.lookup([kind, name]),
        });
        continue;
      }
      const dimensions = entry.dimensions ?? entry.params.dimensions;
      config[kind][name] = {
        backend: 'mock',
        model_name: entry.model_name,
        params: entry.params,
        ...(kind === 'embedding_model' && typeof dimensions === 'number' ? { dimensions } : {}),
        ...(kind === 'llm' ? OFFLINE_LLM : {}),
      };
      notices.push(`${label}: ${missing}; using the offline mock model instead`);
    }
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return notices;
}
