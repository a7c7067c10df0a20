import { mkdirSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { readNodes, workspaceFile, writeNodes } from './jsonl-nodes.js';
import { MemoryVectorStore } from './memory-vector-store.js';
import type { EmbeddingModel, VectorNode } from './types.js';

type Workspace = Map<string, VectorNode>;

/**
 * FlowLLM's `local` vector store: the `memory` store persisted to `<store_dir>/<workspace_id>.jsonl`
 * (FlowLLM's file format), so its workspaces survive a restart. A workspace is read on first use and
 * rewritten (atomically, one write at a time) after every change. One process per `store_dir`.
 *
 * @example
 * const store = new LocalVectorStore(embeddingModel, './local_vector_store');
 * await store.insert([{ unique_id: '1', workspace_id: 'notes', content: 'red apples', metadata: {} }]);
 */
export class LocalVectorStore extends MemoryVectorStore {
  override readonly backend: string = 'local';
  private readonly loading = new Map<string, Promise<Workspace | undefined>>();
  private readonly writes = new Map<string, Promise<unknown>>();

  constructor(embedding: EmbeddingModel, storeDir = './local_vector_store') {
    super(embedding, storeDir);
    mkdirSync(storeDir, { recursive: true });
  }

  override async deleteWorkspace(workspaceId: string): Promise<void> {
    const file = workspaceFile(this.storeDir, workspaceId);
    await this.writes.get(workspaceId);
    this.workspaces.delete(workspaceId);
    this.loading.delete(workspaceId);
    await rm(file, { force: true });
  }

  override async listWorkspaces(): Promise<string[]> {
    const files = (await readdir(this.storeDir)).filter((name) => name.endsWith('.jsonl'));
    const names = new Set([
      ...files.map((name) => name.slice(0, -'.jsonl'.length)),
      ...this.workspaces.keys(),
    ]);
    return [...names];
  }

  protected override async workspace(id: string, create: boolean): Promise<Workspace | undefined> {
    const file = workspaceFile(this.storeDir, id);
    let workspace = this.workspaces.get(id);
    if (!workspace) {
      let pending = this.loading.get(id);
      if (!pending) {
        pending = readNodes(file, id).then((nodes) => {
          if (!nodes || this.workspaces.has(id)) return this.workspaces.get(id);
          const loaded = new Map(nodes.map((node) => [node.unique_id, node]));
          this.workspaces.set(id, loaded);
          return loaded;
        });
        this.loading.set(id, pending);
        pending.finally(() => this.loading.delete(id)).catch(() => {});
      }
      workspace = await pending;
    }
    return workspace ?? (await super.workspace(id, create));
  }

  protected override saved(workspaceId: string): Promise<void> {
    const file = workspaceFile(this.storeDir, workspaceId);
    const previous = this.writes.get(workspaceId) ?? Promise.resolve();
    // Each write takes the workspace as it is when its turn comes, so the last one leaves the latest state.
    const next = previous
      .catch(() => {})
      .then(() => writeNodes(file, this.workspaces.get(workspaceId)?.values() ?? []));
    this.writes.set(workspaceId, next);
    return next.then(() => {});
  }
}
