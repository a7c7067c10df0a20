import { FlowllmError } from '../errors.js';
import { readNodes, workspaceFile, writeNodes } from './jsonl-nodes.js';
import type { EmbeddingModel, VectorNode, VectorSearchOptions, WorkspaceVectorStore } from './types.js';
import { cosine, matchesFilter } from './vector-filter.js';

/** The nodes of one workspace, by `unique_id`. */
export type Workspace = Map<string, VectorNode>;

/** How many nodes `search` returns without a `topK`: 1, FlowLLM's default `top_k`. */
export const DEFAULT_TOP_K = 1;

/**
 * FlowLLM's `memory` vector store: workspaces of nodes in memory. `insert` embeds the nodes that
 * have no vector and upserts by `unique_id`; `search` ranks by cosine similarity, applies FlowLLM's
 * filters on `metadata` (see `matchesFilter`), sets `metadata.score` and returns `topK` nodes
 * (default 1, as FlowLLM). `dumpWorkspace` / `loadWorkspace` write and read
 * `<dir>/<workspace_id>.jsonl` (default dir: `storeDir`).
 *
 * @example
 * const store = new MemoryVectorStore(embeddingModel);
 * await store.insert([{ unique_id: '1', workspace_id: 'w', content: 'red apples', metadata: { year: 2024 } }]);
 * await store.search('apple', { workspaceId: 'w', topK: 3, filter: { year: { gte: 2020 } } });
 */
export class MemoryVectorStore implements WorkspaceVectorStore {
  readonly backend: string = 'memory';
  protected readonly workspaces = new Map<string, Workspace>();

  constructor(
    protected readonly embedding: EmbeddingModel,
    /** Where `dumpWorkspace` / `loadWorkspace` go without a `dir`. */
    readonly storeDir = './memory_vector_store',
  ) {}

  async insert(nodes: VectorNode[], options: { signal?: AbortSignal } = {}): Promise<void> {
    // Refuse a bad workspace id before paying for the embeddings.
    for (const id of new Set(nodes.map((node) => node.workspace_id))) this.checkWorkspaceId(id);
    const byWorkspace = new Map<string, VectorNode[]>();
    for (const node of await this.embedded(nodes, options)) {
      const group = byWorkspace.get(node.workspace_id);
      if (group) group.push(node);
      else byWorkspace.set(node.workspace_id, [node]);
    }
    for (const [id, group] of byWorkspace) {
      const workspace = (await this.workspace(id, true))!;
      for (const node of group) workspace.set(node.unique_id, node);
      await this.saved(id);
    }
  }

  async delete(ids: string[], workspaceId: string): Promise<void> {
    const workspace = await this.workspace(workspaceId, false);
    if (!workspace) return;
    for (const id of ids) workspace.delete(id);
    await this.saved(workspaceId);
  }

  async search(query: string, options: VectorSearchOptions): Promise<VectorNode[]> {
    const workspace = await this.workspace(options.workspaceId, false);
    // As FlowLLM (`if node.vector`), nodes without a vector (e.g. dumped with `vector: null`) are skipped.
    const candidates = [...(workspace?.values() ?? [])].filter(
      (node) => node.vector?.length && matchesFilter(node.metadata, options.filter ?? {}),
    );
    if (candidates.length === 0) return [];
    const [vector = []] = await this.embedding.embed([query], { signal: options.signal });
    const found = candidates.map((node) => {
      const nodeVector = node.vector!;
      if (nodeVector.length !== vector.length) {
        throw new FlowllmError(
          'FLOWLLM_VECTOR_STORE',
          `${this.backend} vector store: node ${node.unique_id} of workspace ${options.workspaceId} has a ${nodeVector.length}-dimension vector, the query ${vector.length}; was it embedded with another model?`,
          { expose: true, status: 500 },
        );
      }
      return { node, score: cosine(vector, nodeVector) };
    });
    return found
      .sort((a, b) => b.score - a.score)
      .slice(0, options.topK ?? DEFAULT_TOP_K)
      .map(({ node, score }) => ({
        ...structuredClone(node),
        metadata: { ...structuredClone(node.metadata), score },
      }));
  }

  async existWorkspace(workspaceId: string): Promise<boolean> {
    return (await this.workspace(workspaceId, false)) !== undefined;
  }

  async createWorkspace(workspaceId: string): Promise<void> {
    await this.workspace(workspaceId, true);
    await this.saved(workspaceId);
  }

  async deleteWorkspace(workspaceId: string): Promise<void> {
    this.workspaces.delete(workspaceId);
  }

  async listWorkspaces(): Promise<string[]> {
    return [...this.workspaces.keys()];
  }

  async workspaceNodes(workspaceId: string): Promise<VectorNode[]> {
    return [...((await this.workspace(workspaceId, false))?.values() ?? [])].map((node) =>
      structuredClone(node),
    );
  }

  async copyWorkspace(source: string, destination: string): Promise<{ size: number }> {
    const nodes = await this.workspaceNodes(source);
    await this.createWorkspace(destination);
    if (nodes.length > 0) await this.insert(nodes.map((node) => ({ ...node, workspace_id: destination })));
    return { size: nodes.length };
  }

  /** Writes the workspace to `<dir>/<workspace_id>.jsonl`. */
  async dumpWorkspace(workspaceId: string, dir = this.storeDir): Promise<{ size: number; path: string }> {
    const path = workspaceFile(dir, workspaceId);
    const size = await writeNodes(path, await this.workspaceNodes(workspaceId));
    return { size, path };
  }

  /**
   * Replaces the workspace with the nodes of `<dir>/<workspace_id>.jsonl` (when it exists) plus
   * `nodes`; nodes without a vector are embedded first, so a failure leaves the workspace as it was.
   */
  async loadWorkspace(
    workspaceId: string,
    dir = this.storeDir,
    nodes: VectorNode[] = [],
    options: { signal?: AbortSignal } = {},
  ): Promise<{ size: number }> {
    const loaded = (await readNodes(workspaceFile(dir, workspaceId), workspaceId)) ?? [];
    const all = [...nodes.map((node) => ({ ...node, workspace_id: workspaceId })), ...loaded];
    const replacement: Workspace = new Map();
    for (const node of await this.embedded(all, options)) replacement.set(node.unique_id, node);
    this.workspaces.set(workspaceId, replacement);
    await this.saved(workspaceId);
    return { size: all.length };
  }

  /** The workspace `id`, created (empty) when `create` is set. */
  protected async workspace(id: string, create: boolean): Promise<Workspace | undefined> {
    let workspace = this.workspaces.get(id);
    if (!workspace && create) {
      workspace = new Map();
      this.workspaces.set(id, workspace);
    }
    return workspace;
  }

  /** Refuses a workspace id the store cannot keep; the `local` store's ids must name files. */
  protected checkWorkspaceId(_workspaceId: string): void {}

  /** Called after every change of a workspace; the `local` store persists it here. */
  protected async saved(_workspaceId: string): Promise<void> {}

  /** Copies of `nodes` (metadata default `{}`), those without a vector embedded in one call. */
  private async embedded(nodes: VectorNode[], options: { signal?: AbortSignal }): Promise<VectorNode[]> {
    const stored = nodes.map((node) => structuredClone({ ...node, metadata: node.metadata ?? {} }));
    const missing = stored.filter((node) => !node.vector?.length);
    if (missing.length === 0) return stored;
    const vectors = await this.embedding.embed(
      missing.map((node) => node.content),
      options,
    );
    if (vectors.length !== missing.length) {
      throw new FlowllmError(
        'FLOWLLM_VECTOR_STORE',
        `${this.backend} vector store: the embedding model returned ${vectors.length} vectors for ${missing.length} texts`,
        { expose: true, status: 502 },
      );
    }
    for (const [index, node] of missing.entries()) node.vector = vectors[index];
    return stored;
  }
}
