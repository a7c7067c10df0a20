import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startOpenAiUpstream } from '../../../testing/src/index.js';
import { createFlowApp } from '../../src/create-flow-app.js';
import { FlowllmError } from '../../src/errors.js';
import { LocalVectorStore } from '../../src/models/local-vector-store.js';
import { MemoryVectorStore } from '../../src/models/memory-vector-store.js';
import { MockEmbeddingModel } from '../../src/models/mock-embedding.js';
import type { EmbeddingModel, VectorNode, WorkspaceVectorStore } from '../../src/models/types.js';
import { matchesFilter } from '../../src/models/vector-filter.js';
import { closer } from './helpers/backends.js';

/** Counts the texts it embeds; fails while `failing` is set. */
class CountingEmbedding extends MockEmbeddingModel {
  embedded: string[] = [];
  failing = false;
  override async embed(texts: string[], options?: { signal?: AbortSignal }): Promise<number[][]> {
    if (this.failing) throw new Error('embedding service down');
    this.embedded.push(...texts);
    return super.embed(texts, options);
  }
}

const node = (
  id: string,
  content: string,
  metadata: Record<string, unknown> = {},
  workspace = 'w',
): VectorNode => ({
  unique_id: id,
  workspace_id: workspace,
  content,
  metadata,
});

const FRUIT = [
  node('1', 'red apples are sweet', {
    kind: 'fruit',
    year: 2024,
    author: { name: 'Ada' },
    tags: ['red', 'sweet'],
  }),
  node('2', 'green apples are sour', { kind: 'fruit', year: 2019, author: { name: 'Bob' }, tags: ['green'] }),
  node('3', 'bananas are yellow', { kind: 'fruit', year: 2022, date: '2022-05-01' }),
  node('4', 'carrots are orange vegetables', { kind: 'vegetable', year: 2024 }),
];

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'flowllm-store-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const ids = (nodes: VectorNode[]) => nodes.map((item) => item.unique_id);

for (const [name, make] of [
  ['memory', (embedding: CountingEmbedding) => new MemoryVectorStore(embedding, dir)],
  ['local', (embedding: CountingEmbedding) => new LocalVectorStore(embedding, dir)],
] as const) {
  describe(`the ${name} vector store`, () => {
    let embedding: CountingEmbedding;
    let store: WorkspaceVectorStore;
    beforeEach(async () => {
      embedding = new CountingEmbedding({ dimensions: 64 });
      store = make(embedding);
      await store.insert(FRUIT);
    });

    it('ranks by cosine similarity and sets metadata.score', async () => {
      const found = await store.search('apples sweet', { workspaceId: 'w', topK: 2 });
      expect(ids(found)).toEqual(['1', '2']);
      expect(found[0]!.metadata.score).toBeGreaterThan(found[1]!.metadata.score as number);
      expect(found[0]!.metadata).toMatchObject({ kind: 'fruit', year: 2024 });
      expect(found[0]!.vector).toHaveLength(64);
      expect(await store.search('apples', { workspaceId: 'other' })).toEqual([]);
    });

    it("applies FlowLLM's filters: terms, lists, ranges, dotted keys", async () => {
      const search = (filter: Record<string, unknown>) =>
        store.search('apples', { workspaceId: 'w', topK: 10, filter });
      expect(ids(await search({ kind: 'vegetable' }))).toEqual(['4']);
      expect(ids(await search({ year: [2019, 2022] })).sort()).toEqual(['2', '3']);
      expect(ids(await search({ year: { gte: 2022 }, kind: 'fruit' })).sort()).toEqual(['1', '3']);
      expect(ids(await search({ year: { gt: 2019, lt: 2024 } }))).toEqual(['3']);
      expect(ids(await search({ 'author.name': 'Bob' }))).toEqual(['2']);
      expect(ids(await search({ 'metadata.author.name': 'Ada' }))).toEqual(['1']);
      expect(ids(await search({ tags: 'sweet' }))).toEqual(['1']);
      expect(ids(await search({ date: { gte: '2022-01-01' } }))).toEqual(['3']);
      expect(ids(await search({ missing: 'x' }))).toEqual([]);
    });

    it('upserts by unique_id, embeds only nodes without a vector, deletes by id', async () => {
      expect(embedding.embedded).toHaveLength(4);
      await store.insert([node('1', 'red apples are very sweet', { kind: 'fruit', year: 2025 })]);
      await store.insert([{ ...node('5', 'pre-embedded'), vector: new Array(64).fill(0.125) }]);
      expect(embedding.embedded).toEqual([...FRUIT.map((item) => item.content), 'red apples are very sweet']);
      await store.delete(['2', 'nope'], 'w');
      const nodes = await store.workspaceNodes('w');
      expect(ids(nodes).sort()).toEqual(['1', '3', '4', '5']);
      expect(nodes.find((item) => item.unique_id === '1')?.metadata.year).toBe(2025);
    });

    it('manages workspaces: exist, create, copy, list, delete', async () => {
      expect(await store.existWorkspace('w')).toBe(true);
      expect(await store.existWorkspace('empty')).toBe(false);
      await store.createWorkspace('empty');
      expect(await store.existWorkspace('empty')).toBe(true);
      expect(await store.copyWorkspace('w', 'copy')).toEqual({ size: 4 });
      expect((await store.workspaceNodes('copy')).every((item) => item.workspace_id === 'copy')).toBe(true);
      expect((await store.listWorkspaces()).sort()).toEqual(['copy', 'empty', 'w']);
      await store.deleteWorkspace('w');
      expect(await store.existWorkspace('w')).toBe(false);
      expect(await store.search('apples', { workspaceId: 'w' })).toEqual([]);
      expect(embedding.embedded).toHaveLength(4); // copies keep their vectors
    });

    it('dumps a workspace to JSONL and loads it back', async () => {
      const backup = join(dir, 'backup');
      const dumped = await store.dumpWorkspace('w', backup);
      expect(dumped).toEqual({ size: 4, path: join(backup, 'w.jsonl') });
      const lines = (await readFile(dumped.path, 'utf8'))
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      expect(lines).toHaveLength(4);
      expect(Object.keys(lines[0])).toEqual(['unique_id', 'workspace_id', 'content', 'metadata', 'vector']);
      await store.deleteWorkspace('w');
      expect(await store.loadWorkspace('w', backup, [node('9', 'extra kiwi')])).toEqual({ size: 5 });
      expect(embedding.embedded.slice(4)).toEqual(['extra kiwi']); // dumped nodes were not embedded again
      expect(ids(await store.search('bananas are yellow', { workspaceId: 'w', topK: 1 }))).toEqual(['3']);
    });

    it("returns FlowLLM's default top_k of 1 result", async () => {
      expect(ids(await store.search('apples', { workspaceId: 'w' }))).toHaveLength(1);
    });

    it('keeps the workspace when loading fails to embed (nothing replaced, nothing deleted)', async () => {
      const backup = join(dir, 'backup');
      await store.dumpWorkspace('w', backup);
      await store.insert([node('5', 'plums are purple')]);
      embedding.failing = true;
      await expect(store.loadWorkspace('w', backup, [node('9', 'extra kiwi')])).rejects.toThrow(
        'embedding service down',
      );
      expect(ids(await store.workspaceNodes('w')).sort()).toEqual(['1', '2', '3', '4', '5']);
      embedding.failing = false;
      expect(await store.loadWorkspace('w', backup, [node('9', 'extra kiwi')])).toEqual({ size: 5 });
      expect(ids(await store.workspaceNodes('w')).sort()).toEqual(['1', '2', '3', '4', '9']);
    });

    it('refuses workspace ids outside the allow-list, with a 400', async () => {
      await expect(store.dumpWorkspace('../escape', dir)).rejects.toThrow('cannot name a file');
      for (const bad of ['a b', 'x:y', 'semi;colon', 'tab\tid', '..', 'a'.repeat(300)]) {
        const error = await store.dumpWorkspace(bad, dir).catch((caught: unknown) => caught);
        expect(FlowllmError.isInstance(error), bad).toBe(true);
        expect(error).toMatchObject({ status: 400, expose: true });
        expect((error as Error).message).toMatch(/cannot name a file: use 1 to 128 letters/);
      }
      expect(await store.dumpWorkspace('Notes_2024-v1.2', dir)).toMatchObject({ size: 0 });
    });
  });
}

describe('the local vector store on disk', () => {
  it('survives a restart: a new instance on the same store_dir finds the workspaces', async () => {
    const embedding = new CountingEmbedding({ dimensions: 32 });
    const first = new LocalVectorStore(embedding, dir);
    await first.insert([...FRUIT, node('x', 'other workspace', {}, 'notes')]);
    await first.delete(['4'], 'w');
    expect((await readdir(dir)).sort()).toEqual(['notes.jsonl', 'w.jsonl']);

    const second = new LocalVectorStore(new CountingEmbedding({ dimensions: 32 }), dir);
    expect((await second.listWorkspaces()).sort()).toEqual(['notes', 'w']);
    const found = await second.search('apples', {
      workspaceId: 'w',
      topK: 10,
      filter: { year: { gte: 2020 } },
    });
    expect(ids(found).sort()).toEqual(['1', '3']);
    await second.deleteWorkspace('notes');
    expect(await readdir(dir)).toEqual(['w.jsonl']);
  });

  it('reads a FlowLLM dump and reports a broken line with file and line number', async () => {
    const vector = new MockEmbeddingModel({ dimensions: 16 });
    const [v] = await vector.embed(['hello there']);
    await writeFile(
      join(dir, 'py.jsonl'),
      `${JSON.stringify({ workspace_id: 'py', unique_id: 'a', content: 'hello there', metadata: { n: 1 }, vector: v })}\n`,
    );
    const store = new LocalVectorStore(vector, dir);
    expect(ids(await store.search('hello', { workspaceId: 'py' }))).toEqual(['a']);
    await writeFile(join(dir, 'bad.jsonl'), '{"unique_id":"a"}\nnot json\n');
    await expect(store.search('x', { workspaceId: 'bad' })).rejects.toThrow(/bad\.jsonl:2: not a JSON line/);
  });

  it('keeps the last state when writes overlap', async () => {
    const store = new LocalVectorStore(new CountingEmbedding({ dimensions: 8 }), dir);
    await Promise.all(
      Array.from({ length: 8 }, (_, index) => store.insert([node(String(index), `n ${index}`)])),
    );
    const reread = new LocalVectorStore(new CountingEmbedding({ dimensions: 8 }), dir);
    expect(ids(await reread.workspaceNodes('w')).sort()).toEqual(['0', '1', '2', '3', '4', '5', '6', '7']);
  });

  it('is built from config (backend: local, store_dir) over an openai_compatible embedding model', async () => {
    const resources = closer();
    try {
      const upstream = resources.add(await startOpenAiUpstream());
      const app = createFlowApp({
        config: {
          embedding_model: { default: { backend: 'openai_compatible', model_name: 'emb', dimensions: 16 } },
          vector_store: { default: { backend: 'local', embedding_model: 'default', store_dir: dir } },
        },
        env: { FLOW_EMBEDDING_API_KEY: 'sk-e', FLOW_EMBEDDING_BASE_URL: upstream.url },
      });
      const store = app.resources.vectorStore('default');
      expect(store.backend).toBe('local');
      await store.insert(FRUIT);
      expect(ids(await store.search('yellow bananas', { workspaceId: 'w', topK: 1 }))).toEqual(['3']);
      expect(upstream.requests).toHaveLength(2);
      expect(await readdir(dir)).toEqual(['w.jsonl']);
    } finally {
      await resources.closeAll();
    }
  });
});

// The time an insert takes (linear, not quadratic) is measured in bench/src/micro/vector-insert.ts:
// a time ratio is no pass/fail test on a shared machine.
describe('the memory vector store at scale', () => {
  /** An embedding model that costs nothing. */
  const trivial: EmbeddingModel = {
    backend: 'trivial',
    modelName: 'trivial',
    dimensions: 2,
    embed: async (texts) => texts.map(() => [1, 0]),
  };
  const TOTAL = 20_000;
  /** A new store holding TOTAL nodes inserted in `batches` calls. */
  async function filled(batches: number): Promise<MemoryVectorStore> {
    const store = new MemoryVectorStore(trivial, dir);
    const size = TOTAL / batches;
    for (let batch = 0; batch < batches; batch++)
      await store.insert(
        Array.from({ length: size }, (_, index) => node(String(batch * size + index), `text ${index}`)),
      );
    return store;
  }

  it('20,000 nodes inserted at once or in 16 batches make the same store', async () => {
    const whole = await (await filled(1)).workspaceNodes('w');
    const batched = await (await filled(16)).workspaceNodes('w');
    expect(whole).toHaveLength(TOTAL);
    // Compared as text: a failing deep diff of 20,000 nodes would take minutes to print.
    expect(JSON.stringify(batched.map((each) => each.unique_id))).toBe(
      JSON.stringify(whole.map((each) => each.unique_id)),
    );
    expect(whole.at(-1)).toMatchObject({ unique_id: String(TOTAL - 1), vector: [1, 0] });
  });
});

describe('matchesFilter', () => {
  it('needs every condition; a range never matches another type', () => {
    expect(matchesFilter({ a: 1, b: 'x' }, { a: 1, b: 'x' })).toBe(true);
    expect(matchesFilter({ a: 1, b: 'x' }, { a: 1, b: 'y' })).toBe(false);
    expect(matchesFilter({ a: '5' }, { a: { gte: 1 } })).toBe(false);
    expect(matchesFilter({ a: { b: { c: true } } }, { 'a.b.c': true })).toBe(true);
    expect(matchesFilter({ a: null }, { a: null })).toBe(true);
    expect(matchesFilter({}, {})).toBe(true);
  });
});
