import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startOpenAiUpstream } from '../../../testing/src/index.js';
import { FlowllmError } from '../../src/errors.js';
import { LocalVectorStore } from '../../src/models/local-vector-store.js';
import { MockEmbeddingModel } from '../../src/models/mock-embedding.js';
import { OpenAiCompatibleEmbedding } from '../../src/models/openai-compatible-embedding.js';
import type { VectorNode } from '../../src/models/types.js';
import { closer } from './helpers/backends.js';

const node = (id: string, content: string, workspace = 'w'): VectorNode => ({
  unique_id: id,
  workspace_id: workspace,
  content,
  metadata: {},
});
const FRUIT = [
  node('1', 'red apples'),
  node('2', 'green apples'),
  node('3', 'yellow bananas'),
  node('4', 'orange carrots'),
];
const ids = (nodes: VectorNode[]) => nodes.map((item) => item.unique_id).sort();
const lines = async (file: string) => (await readFile(file, 'utf8')).trim().split('\n');

let dir: string;
const resources = closer();
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'flowllm-local-store-'));
});
afterEach(async () => {
  await resources.closeAll();
  await rm(dir, { recursive: true, force: true });
});

/** An embedding model on the local upstream: the first `ok` requests succeed, later ones get a 401. */
async function upstreamEmbedding(ok: number) {
  const upstream = resources.add(
    await startOpenAiUpstream((_request, index) => (index < ok ? {} : { status: 401 })),
  );
  const embedding = new OpenAiCompatibleEmbedding({
    model_name: 'emb',
    dimensions: 8,
    api_key: 'sk-e',
    base_url: upstream.url,
    max_retries: 0,
  });
  return { upstream, embedding };
}

describe('the local vector store: failures keep the data', () => {
  it('a load whose embedding fails leaves the workspace and its file as they were', async () => {
    const { upstream, embedding } = await upstreamEmbedding(1);
    const store = new LocalVectorStore(embedding, dir);
    await store.insert(FRUIT);
    const backup = join(dir, 'backup');
    await store.dumpWorkspace('w', backup);
    const before = await readFile(join(dir, 'w.jsonl'), 'utf8');

    const error = await store.loadWorkspace('w', backup, [node('9', 'kiwi')]).catch((caught) => caught);
    expect(error).toMatchObject({ code: 'FLOWLLM_MODEL_AUTH' });
    expect(upstream.requests).toHaveLength(2);
    expect(await readFile(join(dir, 'w.jsonl'), 'utf8')).toBe(before);
    expect(ids(await store.workspaceNodes('w'))).toEqual(['1', '2', '3', '4']);
    const restarted = new LocalVectorStore(new MockEmbeddingModel({ dimensions: 8 }), dir);
    expect(ids(await restarted.workspaceNodes('w'))).toEqual(['1', '2', '3', '4']);
  });

  it('checks the workspace id before calling the embedding API', async () => {
    const { upstream, embedding } = await upstreamEmbedding(10);
    const store = new LocalVectorStore(embedding, dir);
    for (const bad of ['../escape', 'a b', 'x'.repeat(300)]) {
      const error = await store.insert([node('1', 'paid text', bad)]).catch((caught: unknown) => caught);
      expect(FlowllmError.isInstance(error), bad).toBe(true);
      expect(error).toMatchObject({ code: 'FLOWLLM_VECTOR_STORE', status: 400 });
    }
    expect(upstream.requests).toHaveLength(0);
  });

  it('a very long workspace id is a clear 400, not ENAMETOOLONG', async () => {
    const store = new LocalVectorStore(new MockEmbeddingModel({ dimensions: 8 }), dir);
    const error = await store.search('x', { workspaceId: 'a'.repeat(300) }).catch((caught) => caught);
    expect(FlowllmError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ status: 400, expose: true });
    expect((error as Error).message).toMatch(/^workspace id "a{40}…" cannot name a file/);
  });

  it('a dump with `vector: null` loads, and search skips the nodes without a vector', async () => {
    const embedding = new MockEmbeddingModel({ dimensions: 8 });
    const [vector] = await embedding.embed(['red apples']);
    const rows = [
      { unique_id: 'a', workspace_id: 'py', content: 'red apples', metadata: {}, vector },
      { unique_id: 'b', workspace_id: 'py', content: 'red apples too', metadata: {}, vector: null },
      { unique_id: 'c', workspace_id: 'py', content: 'red apples again', metadata: {}, vector: [] },
    ];
    await writeFile(join(dir, 'py.jsonl'), `${rows.map((row) => JSON.stringify(row)).join('\n')}\n`);
    const store = new LocalVectorStore(embedding, dir);
    expect(ids(await store.search('red apples', { workspaceId: 'py', topK: 10 }))).toEqual(['a']);
  });
});

describe('the local vector store: concurrent use', () => {
  it('a delete racing the first read of a workspace does not bring it back', async () => {
    await new LocalVectorStore(new MockEmbeddingModel({ dimensions: 8 }), dir).insert(FRUIT);
    const store = new LocalVectorStore(new MockEmbeddingModel({ dimensions: 8 }), dir);
    const reading = store.existWorkspace('w');
    await store.deleteWorkspace('w');
    await reading;
    expect(await store.existWorkspace('w')).toBe(false);
    expect(await store.listWorkspaces()).toEqual([]);
    expect(await readdir(dir)).toEqual([]);
  });

  it('a read started right after a delete does not load the file the delete is about to remove', async () => {
    const store = new LocalVectorStore(new MockEmbeddingModel({ dimensions: 8 }), dir);
    await store.insert(FRUIT);
    const changing = store.delete(['4'], 'w');
    const deleting = store.deleteWorkspace('w');
    const exists = store.existWorkspace('w');
    await Promise.all([changing, deleting]);
    expect(await exists).toBe(false);
    expect(await store.search('apples', { workspaceId: 'w' })).toEqual([]);
    expect(await readdir(dir)).toEqual([]);
  });

  it('20 concurrent dumps of one workspace, into store_dir and elsewhere, all succeed', async () => {
    const store = new LocalVectorStore(new MockEmbeddingModel({ dimensions: 8 }), dir);
    await store.insert(FRUIT);
    const backup = join(dir, 'backup');
    const dumps = await Promise.allSettled(
      Array.from({ length: 20 }, (_, index) => store.dumpWorkspace('w', index % 2 ? backup : undefined)),
    );
    expect(dumps.filter((dump) => dump.status === 'rejected')).toEqual([]);
    expect(await lines(join(dir, 'w.jsonl'))).toHaveLength(4);
    expect(await lines(join(backup, 'w.jsonl'))).toHaveLength(4);
    expect((await readdir(dir)).sort()).toEqual(['backup', 'w.jsonl']);
    expect(await readdir(backup)).toEqual(['w.jsonl']);
  });

  it('forgets a workspace write chain once it settled', async () => {
    const store = new LocalVectorStore(new MockEmbeddingModel({ dimensions: 8 }), dir);
    await Promise.all([
      store.insert(FRUIT),
      store.insert([node('x', 'other', 'notes')]),
      store.createWorkspace('empty'),
    ]);
    await store.deleteWorkspace('empty');
    const { writes } = store as unknown as { writes: Map<string, unknown> };
    expect(writes.size).toBe(0);
    expect((await readdir(dir)).sort()).toEqual(['notes.jsonl', 'w.jsonl']);
  });
});
