import { ConfigError, type ConfigIssue } from '../config/config-error.js';
import type { FlowllmConfig } from '../config/config-types.js';
import { opNamesIn } from '../expression/op-names.js';
import { parseFlowExpression } from '../expression/parser.js';
import { servedFlowNames } from './build-flows.js';
import type { ConfigSetup } from './config-resources.js';

// Slow enough that a person sees the answer stream in; GenSystemPromptOp's request gets a short
// system prompt, so the demo flow starts streaming at once.
// MockSearchOp's request gets one made-up result, so FlowLLM's demo_mcp_flow answers offline too.
const OFFLINE_LLM = {
  token_delay_ms: 20,
  script: [
    { match: '```prompt', answer: '```prompt\nYou are a helpful assistant. Answer clearly.\n```' },
    {
      match: 'realistic web search results',
      answer: `\`\`\`json\n${JSON.stringify([
        {
          snippet:
            'A made-up result: the offline mock model has no web access. Set FLOW_LLM_API_KEY for real ones.',
          title: 'Offline search result',
          url: 'https://example.com/offline-result',
          hostname: 'example.com',
          hostlogo: '',
        },
      ])}\n\`\`\``,
    },
  ],
};

/**
 * Finds model entries that cannot work for lack of a credential (no API key) before anything is
 * served. With `offlineFallback`, each is switched to the offline `mock` backend and a notice says so;
 * without, start-up fails naming the entry and the missing setting. Only entries a flow may use are
 * checked: `default`, those a served flow (or `cmd.flow`) names in `llm=` / `embedding_model=`, and
 * vector stores' embedding models — so FlowLLM's named entries (`qwen3_30b_instruct`, …) in the
 * built-in config cost nothing until a flow names one.
 *
 * @example
 * const notices = checkCredentials({ config, backends, env: process.env, offlineFallback: true });
 * // ["llm 'default' (openai_compatible qwen-max): no API key: set FLOW_LLM_API_KEY …; using the offline mock model"]
 */
export function checkCredentials(setup: ConfigSetup & { offlineFallback: boolean }): string[] {
  const { config, backends, env, sources } = setup;
  const notices: string[] = [];
  const issues: ConfigIssue[] = [];
  const used = modelsInUse(config);
  for (const kind of ['llm', 'embedding_model'] as const) {
    for (const [name, entry] of Object.entries(config[kind])) {
      if (!used[kind].has(name)) continue;
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

/**
 * The model entries flows may use: `default`, those named in served flows' and `cmd.flow`'s op
 * kwargs, and vector stores' embedding models.
 *
 * @example
 * modelsInUse(config).llm.has('qwen3_30b_instruct'); // true when a flow says ChatOp(llm="qwen3_30b_instruct")
 */
export function modelsInUse(config: FlowllmConfig): Record<'llm' | 'embedding_model', Set<string>> {
  const used = { llm: new Set(['default']), embedding_model: new Set(['default']) };
  for (const store of Object.values(config.vector_store)) used.embedding_model.add(store.embedding_model);
  const expressions = servedFlowNames(config).map((name) => config.flow[name]?.flow_content ?? '');
  if (config.backend === 'cmd' && config.cmd.flow) expressions.push(config.cmd.flow);
  for (const expression of expressions) {
    let calls: ReturnType<typeof opNamesIn>;
    try {
      calls = opNamesIn(parseFlowExpression(expression));
    } catch {
      continue; // building the flow reports the error with its line and column
    }
    for (const { kwargs } of calls) {
      for (const { name, value } of kwargs) {
        if ((name === 'llm' || name === 'embedding_model') && typeof value === 'string')
          used[name].add(value);
      }
    }
  }
  return used;
}
