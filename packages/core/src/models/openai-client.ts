import OpenAI from 'openai';

/** The OpenAI API, for entries with no `base_url` (and no `FLOW_*_BASE_URL`). */
export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';

/**
 * An `openai` SDK client that uses only what it is given: the SDK would otherwise read
 * OPENAI_BASE_URL, OPENAI_ORG_ID, OPENAI_PROJECT_ID and OPENAI_ADMIN_KEY from process.env, behind
 * the back of `createFlowApp({ env })`. Retries are ours (only before the first token) and the
 * SDK's logger is off (it would print stream data).
 *
 * @example
 * const client = openAiClient('sk-…', undefined); // https://api.openai.com/v1, whatever process.env says
 */
export function openAiClient(apiKey: string, baseUrl: string | undefined): OpenAI {
  return new OpenAI({
    apiKey,
    baseURL: baseUrl || OPENAI_DEFAULT_BASE_URL,
    organization: null,
    project: null,
    adminAPIKey: null,
    maxRetries: 0,
    logLevel: 'off',
  });
}
