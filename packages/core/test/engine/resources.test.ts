import { describe, expect, it } from 'vitest';
import { settles } from '../../../conformance/src/wait.js';
import { defineConfig } from '../../src/config/config-input.js';
import { createFlowApp } from '../../src/create-flow-app.js';
import type { BackendDefinition } from '../../src/models/backend-registry.js';
import type { MockLlm } from '../../src/models/mock-llm.js';
import type { VectorNode, VectorSearchOptions, VectorStore } from '../../src/models/types.js';
import { BaseOp } from '../../src/op/base-op.js';
import { collect } from '../helpers/app.js';

/** A tiny store for this test: keeps nodes, "searches" by returning those of the workspace. */
class ListStore implements VectorStore {
  readonly backend = 'list';
  readonly nodes: VectorNode[] = [];
  constructor(readonly label: string) {}
  async insert(nodes: VectorNode[]): Promise<void> {
    this.nodes.push(...nodes);
  }
  async delete(): Promise<void> {}
  async search(_query: string, options: VectorSearchOptions): Promise<VectorNode[]> {
    return this.nodes.filter((node) => node.workspace_id === options.workspaceId);
  }
}

// A custom backend's keys, declared so config objects naming it type-check (see CustomLlmBackends).
declare module '../../src/config/config-input.js' {
  interface CustomVectorStoreBackends {
    list: { label?: string };
  }
}

const listBackend: BackendDefinition<'vector_store'> = {
  kind: 'vector_store',
  name: 'list',
  keys: { label: { type: 'string', default: 'unnamed' } },
  create: (entry, context) => {
    context.embeddingModel(String(entry.embedding_model));
    return new ListStore(String(entry.label));
  },
};

class RememberOp extends BaseOp {
  async execute(): Promise<void> {
    const [vector] = await this.embeddingModel.embed([String(this.context.get('query'))], {
      signal: this.signal,
    });
    const store = this.vectorStore as ListStore;
    await store.insert([{ unique_id: '1', workspace_id: 'w', content: 'hi', vector, metadata: {} }]);
    const found = await store.search('hi', { workspaceId: 'w' });
    this.context.response.answer = `${this.llm.modelName}|${this.embeddingModel.modelName}|${vector?.length}|${store.label}|${found.length}`;
  }
}

describe('ops reach the models and stores named in config', () => {
  const config = defineConfig({
    llm: { default: { backend: 'mock' }, fast: { backend: 'mock', model_name: 'fast-chat' } },
    embedding_model: { small: { backend: 'mock', model_name: 'small-embed', dimensions: 8 } },
    vector_store: { notes: { backend: 'list', embedding_model: 'small', label: 'my notes' } },
    flow: {
      f: { flow_content: 'RememberOp(llm="fast", embedding_model="small", vector_store="notes")' },
    },
  });

  it('by the names given in kwargs, with backend-specific keys from config', async () => {
    const app = createFlowApp({ config, env: {}, ops: [RememberOp], backends: [listBackend] });
    expect(await app.run('f', { query: 'hello' })).toMatchObject({
      answer: 'fast-chat|small-embed|8|my notes|1',
    });
  });

  it('an unknown vector store backend lists the registered ones', () => {
    expect(() => createFlowApp({ config, env: {}, ops: [RememberOp] })).toThrow(/vector_store.notes.backend/);
  });
});

describe('the abort signal reaches the model call', () => {
  it('a consumer that stops after the first chunk aborts the upstream model stream at once', async () => {
    const app = createFlowApp({
      env: {},
      config: {
        // The next token is a minute away: the stream settles now only if the abort reached the model.
        llm: { default: { backend: 'mock', answer: 'a b c', token_delay_ms: 60_000 } },
        flow: { f: { flow_content: 'StreamChatOp()', stream: true } },
      },
    });
    const llm = app.resources.llm('default') as MockLlm;
    const stream = app.stream('f', { query: 'x' });
    let stoppedAt = 0;
    for await (const _chunk of stream) {
      stoppedAt = performance.now();
      break;
    }
    await settles(stream.settled, 'the stream to settle');
    expect(llm.stats).toMatchObject({ started: 1, aborted: 1, completed: 0, active: 0 });
    expect(llm.stats.lastAbortAt).toBeGreaterThanOrEqual(stoppedAt);
    expect(await collect(stream)).toEqual([]);
  });
});
