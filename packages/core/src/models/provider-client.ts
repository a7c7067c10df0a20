import { createRequire } from 'node:module';
import { FlowllmError } from '../errors.js';
import { type RetrySettings, retrySettings } from './upstream-call.js';
import type { UpstreamLabel } from './upstream-errors.js';

/** The file a package name resolves to; throws (code `MODULE_NOT_FOUND`) when it is not installed. */
export type PackageResolver = (name: string) => string;

const resolveFromCore: PackageResolver = (name) => createRequire(import.meta.url).resolve(name);

/**
 * A provider SDK imported on first use and kept for the process: importing `@flowllm/core` loads no
 * SDK, and an app loads only those its config names.
 *
 * @example
 * const openAiSdk = new LazySdk('openai', () => import('openai'));
 * openAiSdk.installed(); // true: resolvable, not loaded
 * const { default: OpenAI } = await openAiSdk.load();
 */
export class LazySdk<Module> {
  private loading: Promise<Module> | undefined;

  constructor(
    readonly packageName: string,
    private readonly importer: () => Promise<Module>,
    private readonly resolve: PackageResolver = resolveFromCore,
  ) {}

  /** Whether the package can be found from `@flowllm/core`, without loading it. */
  installed(): boolean {
    try {
      this.resolve(this.packageName);
      return true;
    } catch (error) {
      // Only "not found" means missing; anything else is for the import to report.
      return (error as { code?: unknown }).code !== 'MODULE_NOT_FOUND';
    }
  }

  load(): Promise<Module> {
    this.loading ??= this.importer();
    return this.loading;
  }
}

/**
 * What an SDK-backed model entry is built from: its settings and how to make the SDK's client.
 *
 * @example
 * const spec: ProviderSpec<typeof import('openai'), OpenAI> = {
 *   provider: 'openai_compatible', model: 'qwen-max', keyVariable: 'FLOW_LLM_API_KEY',
 *   sdk: openAiSdk, client: (sdk, apiKey, baseUrl) => new sdk.default({ apiKey, baseURL: baseUrl }),
 * };
 */
export interface ProviderSpec<Module, Client> {
  provider: string;
  /** How messages name the model, e.g. `qwen-max` or `text-embedding-v4 (embedding)`. */
  model: string;
  /** The environment variable an entry without `api_key` takes its key from. */
  keyVariable: string;
  sdk: LazySdk<Module>;
  client(sdk: Module, apiKey: string, baseUrl: string | undefined): Client;
}

/** What a model needs to call its provider: the client (once the SDK is loaded), retries, error label. */
export interface ProviderConnection<Client> {
  client: Promise<Client>;
  retry: RetrySettings;
  label: UpstreamLabel;
}

/**
 * Checks an SDK-backed model's settings and starts loading its SDK. Throws, so that a config naming the
 * model fails at start rather than at its first request, when the key is missing or the SDK is not
 * installed.
 *
 * @example
 * const { client, retry, label } = connectProvider({ model_name: 'qwen-max', api_key }, openAiSpec);
 * const chat = (await client).chat;
 */
export function connectProvider<Module, Client>(
  settings: Partial<RetrySettings> & { api_key?: string; base_url?: string },
  spec: ProviderSpec<Module, Client>,
): ProviderConnection<Client> {
  const keyHint = `${spec.keyVariable} or the entry's api_key`;
  const apiKey = settings.api_key;
  if (!apiKey) {
    throw new FlowllmError(
      'FLOWLLM_MODEL_CONFIG',
      `${spec.provider} model ${spec.model}: no API key: set ${keyHint}`,
    );
  }
  if (!spec.sdk.installed()) {
    const name = spec.sdk.packageName;
    throw new FlowllmError(
      'FLOWLLM_MODEL_CONFIG',
      `${spec.provider} model ${spec.model}: install ${name} (npm install ${name}): the ${spec.provider} backend needs it`,
    );
  }
  const retry = retrySettings(settings);
  // Loaded now, in the background, so the first request does not wait for the import.
  const client = spec.sdk.load().then((sdk) => spec.client(sdk, apiKey, settings.base_url));
  client.catch(() => {}); // awaited (and reported) by each request
  return {
    client,
    retry,
    label: { provider: spec.provider, model: spec.model, apiKey, keyHint, timeout: retry.timeout },
  };
}
