import type { EmbeddingModel, VectorNode, VectorSearchOptions, VectorStore } from './types.js';

/**
 * FlowLLM's `memory` vector store: workspaces of nodes in memory; `insert` embeds what has no
 * vector and upserts by `unique_id`; `search` ranks by cosine similarity, applies filters on
 * `metadata` and sets `metadata.score`.
 *
 * Filters: `{key: value}` (equal), `{key: [a, b]}` (any of), `{key: {gte, lte, gt, lt}}` (range);
 * keys may be dotted paths (`"author.name"`).
 *
 * @example
 * const store = new MemoryVectorStore(embeddingModel);
 * await store.insert([{ unique_id: '1', workspace_id: 'w', content: 'red apples', metadata: { year: 2024 } }]);
 * await store.search('apple', { workspaceId: 'w', topK: 3, filter: { year: { gte: 2020 } } });
 */
export class MemoryVectorStore implements VectorStore {
  readonly backend = 'memory';
  private readonly workspaces = new Map<string, Map<string, VectorNode>>();

  constructor(private readonly embedding: EmbeddingModel) {}

  async insert(nodes: VectorNode[], options: { signal?: AbortSignal } = {}): Promise<void> {
    const missing = nodes.filter((node) => !node.vector);
    const vectors = await this.embedding.embed(
      missing.map((node) => node.content),
      options,
    );
    missing.forEach((node, index) => {
      node.vector = vectors[index];
    });
    for (const node of nodes) this.workspace(node.workspace_id).set(node.unique_id, structuredClone(node));
  }

  async delete(ids: string[], workspaceId: string): Promise<void> {
    const workspace = this.workspaces.get(workspaceId);
    for (const id of ids) workspace?.delete(id);
  }

  async search(query: string, options: VectorSearchOptions): Promise<VectorNode[]> {
    const [vector = []] = await this.embedding.embed([query], { signal: options.signal });
    const nodes = [...(this.workspaces.get(options.workspaceId)?.values() ?? [])];
    return nodes
      .filter((node) => matchesFilter(node.metadata, options.filter ?? {}))
      .map((node) => ({ node, score: cosine(vector, node.vector ?? []) }))
      .sort((a, b) => b.score - a.score)
      .slice(0, options.topK ?? 5)
      .map(({ node, score }) => ({ ...structuredClone(node), metadata: { ...node.metadata, score } }));
  }

  private workspace(id: string): Map<string, VectorNode> {
    let workspace = this.workspaces.get(id);
    if (!workspace) {
      workspace = new Map();
      this.workspaces.set(id, workspace);
    }
    return workspace;
  }
}

function cosine(a: number[], b: number[]): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    dot += (a[i] ?? 0) * (b[i] ?? 0);
    normA += (a[i] ?? 0) ** 2;
    normB += (b[i] ?? 0) ** 2;
  }
  return normA && normB ? dot / Math.sqrt(normA * normB) : 0;
}

function valueAt(metadata: Record<string, unknown>, path: string): unknown {
  let current: unknown = metadata;
  for (const key of path.split('.')) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function matchesFilter(metadata: Record<string, unknown>, filter: Record<string, unknown>): boolean {
  return Object.entries(filter).every(([path, condition]) => {
    const value = valueAt(metadata, path);
    if (Array.isArray(condition)) return condition.includes(value);
    if (typeof condition === 'object' && condition !== null) {
      const { gte, lte, gt, lt } = condition as Record<string, number | undefined>;
      if (typeof value !== 'number') return false;
      return (
        (gte === undefined || value >= gte) &&
        (lte === undefined || value <= lte) &&
        (gt === undefined || value > gt) &&
        (lt === undefined || value < lt)
      );
    }
    return value === condition;
  });
}
