import type OpenAI from 'openai';
import { LazySdk, type ProviderSpec } from './provider-client.js';

/** The OpenAI API, for entries with no `base_url` (and no `FLOW_*_BASE_URL`). */
export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';

const openAiSdk = new LazySdk('openai', () => import('openai'));

/**
 * How `openai_compatible` models connect: an `openai` SDK client that uses only what it is given. The
 * SDK would otherwise read OPENAI_BASE_URL, OPENAI_ORG_ID, OPENAI_PROJECT_ID and OPENAI_ADMIN_KEY from
 * process.env, behind the back of `createFlowApp({ env })`. Retries are ours (only before the first
 * token) and the SDK's logger is off (it would print stream data).
 *
 * @example
 * const { client } = connectProvider(settings, openAiSpec('qwen-max', 'FLOW_LLM_API_KEY'));
 */
export function openAiSpec(
  model: string,
  keyVariable: string,
): ProviderSpec<typeof import('openai'), OpenAI> {
  return {
    provider: 'openai_compatible',
    model,
    keyVariable,
    sdk: openAiSdk,
    client: (sdk, apiKey, baseUrl) =>
      new sdk.default({
        apiKey,
        baseURL: baseUrl || OPENAI_DEFAULT_BASE_URL,
        organization: null,
        project: null,
        adminAPIKey: null,
        maxRetries: 0,
        logLevel: 'off',
      }),
  };
}
