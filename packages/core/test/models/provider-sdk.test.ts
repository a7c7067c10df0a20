// Provider SDKs are imported when a model needs them, never by importing @flowllm/core, and an SDK
// that is not installed fails start-up naming the entry. The packed-install tests run the real case:
// a project without @anthropic-ai/sdk that configures `anthropic` (packages/packaging).
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import type { FlowllmConfigInput } from '../../src/config/config-input.js';
import { createFlowApp } from '../../src/create-flow-app.js';
import { FlowllmError } from '../../src/errors.js';
import type { BackendDefinition } from '../../src/models/backend-registry.js';
import { connectProvider, LazySdk, type ProviderSpec } from '../../src/models/provider-client.js';
import type { Llm } from '../../src/models/types.js';
import { CORE_SRC, sourceFiles } from '../helpers/source-files.js';

/** A package name no project installs: resolving it really fails. */
const NOT_INSTALLED = '@flowllm/no-such-sdk';

function countingSdk(name: string) {
  const counter = { imports: 0 };
  const sdk = new LazySdk(name, async () => {
    counter.imports++;
    return { Client: class {} };
  });
  return { sdk, counter };
}

function spec(
  sdk: LazySdk<{ Client: new () => object }>,
): ProviderSpec<{ Client: new () => object }, object> {
  return {
    provider: 'acme',
    model: 'm1',
    keyVariable: 'ACME_API_KEY',
    sdk,
    client: (module) => new module.Client(),
  };
}

describe('provider SDKs', () => {
  it('no module imports an SDK at load time: only `import type` and import() on first use', () => {
    const eager = sourceFiles(CORE_SRC).filter(({ text }) =>
      /^import(?!\s+type\b)[^;]*from\s+'(openai|@anthropic-ai\/sdk)(\/[^']*)?'/m.test(text),
    );
    expect(eager.map((file) => file.path)).toEqual([]);
  });

  it('an SDK is imported once per process, however many models use it', async () => {
    const { sdk, counter } = countingSdk('openai');
    expect(sdk.installed()).toBe(true);
    expect(counter.imports).toBe(0);
    const first = connectProvider({ api_key: 'k' }, spec(sdk));
    const second = connectProvider({ api_key: 'k' }, spec(sdk));
    expect(await first.client).not.toBe(await second.client);
    expect(counter.imports).toBe(1);
  });

  it('an SDK that is not installed fails the model at construction, saying what to install', () => {
    const { sdk, counter } = countingSdk(NOT_INSTALLED);
    expect(sdk.installed()).toBe(false);
    let caught: unknown;
    try {
      connectProvider({ api_key: 'k' }, spec(sdk));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(FlowllmError);
    expect((caught as FlowllmError).code).toBe('FLOWLLM_MODEL_CONFIG');
    expect((caught as Error).message).toBe(
      `acme model m1: install ${NOT_INSTALLED} (npm install ${NOT_INSTALLED}): the acme backend needs it`,
    );
    expect(counter.imports).toBe(0);
  });

  it('a config naming a backend whose SDK is missing fails createFlowApp with a ConfigError naming the entry', () => {
    const { sdk } = countingSdk(NOT_INSTALLED);
    const acme: BackendDefinition<'llm'> = {
      kind: 'llm',
      name: 'acme',
      keys: { api_key: { type: 'string' } },
      create: (entry) => {
        connectProvider({ api_key: String(entry.api_key) }, spec(sdk));
        return {} as Llm;
      },
    };
    // A backend of this test's own, not declared to the config type.
    const writer = { backend: 'acme', model_name: 'm1', api_key: 'k' };
    const config = { llm: { writer } } as unknown as FlowllmConfigInput;
    const start = () =>
      createFlowApp({
        config,
        backends: [acme],
        env: {},
      });
    expect(start).toThrow(ConfigError);
    expect(start).toThrow(`llm.writer: acme model m1: install ${NOT_INSTALLED}`);
  });
});
