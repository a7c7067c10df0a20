import { FlowllmError } from '../errors.js';
import { readNodes, workspaceFile, writeNodes } from './jsonl-nodes.js';
import type { EmbeddingModel, VectorNode, VectorSearchOptions, WorkspaceVectorStore } from './types.js';
import { cosine, matchesFilter } from './vector-filter.js';

type Workspace = Map<string, VectorNode>;

/**
 * FlowLLM's `memory` vector store: workspaces of nodes in memory. `insert` embeds the nodes that
 * have no vector and upserts by `unique_id`; `search` ranks by cosine similarity, applies FlowLLM's
 * filters on `metadata` (see `matchesFilter`) and sets `metadata.score`. `dumpWorkspace` /
 * `loadWorkspace` write and read `<dir>/<workspace_id>.jsonl` (default dir: `storeDir`).
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
    const missing = nodes.filter((node) => !node.vector?.length);
    const vectors =
      missing.length > 0
        ? await this.embedding.embed(
            missing.map((node) => node.content),
            options,
          )
        : [];
    const byWorkspace = new Map<string, VectorNode[]>();
    for (const node of nodes) {
      const index = missing.indexOf(node);
      const stored = structuredClone({ ...node, metadata: node.metadata ?? {} });
      if (index !== -1) stored.vector = vectors[index];
      byWorkspace.set(node.workspace_id, [...(byWorkspace.get(node.workspace_id) ?? []), stored]);
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
    if (!workspace || workspace.size === 0) return [];
    const [vector = []] = await this.embedding.embed([query], { signal: options.signal });
    const found: { node: VectorNode; score: number }[] = [];
    for (const node of workspace.values()) {
      if (!matchesFilter(node.metadata, options.filter ?? {})) continue;
      const nodeVector = node.vector ?? [];
      if (nodeVector.length !== vector.length) {
        throw new FlowllmError(
          'FLOWLLM_VECTOR_STORE',
          `${this.backend} vector store: node ${node.unique_id} of workspace ${options.workspaceId} has a ${nodeVector.length}-dimension vector, the query ${vector.length}; was it embedded with another model?`,
          { expose: true, status: 500 },
        );
      }
      found.push({ node, score: cosine(vector, nodeVector) });
    }
    return found
      .sort((a, b) => b.score - a.score)
      .slice(0, options.topK ?? 5)
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
   * `nodes`; nodes without a vector are embedded.
   */
  async loadWorkspace(
    workspaceId: string,
    dir = this.storeDir,
    nodes: VectorNode[] = [],
    options: { signal?: AbortSignal } = {},
  ): Promise<{ size: number }> {
    const loaded = (await readNodes(workspaceFile(dir, workspaceId), workspaceId)) ?? [];
    await this.deleteWorkspace(workspaceId);
    await this.createWorkspace(workspaceId);
    const all = [...nodes.map((node) => ({ ...node, workspace_id: workspaceId })), ...loaded];
    if (all.length > 0) await this.insert(all, options);
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

  /** Called after every change of a workspace; the `local` store persists it here. */
  protected async saved(_workspaceId: string): Promise<void> {}
}
