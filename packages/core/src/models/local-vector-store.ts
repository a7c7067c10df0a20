import { mkdirSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { checkWorkspaceId, isWorkspaceId, readNodes, workspaceFile, writeNodes } from './jsonl-nodes.js';
import { MemoryVectorStore, type Workspace } from './memory-vector-store.js';
import type { EmbeddingModel } from './types.js';

/**
 * FlowLLM's `local` vector store: the `memory` store persisted to `<store_dir>/<workspace_id>.jsonl`
 * (FlowLLM's file format), so its workspaces survive a restart. A workspace is read on first use and
 * rewritten after every change: to a temporary file synced to disk, then renamed, so the file is
 * always a whole one. The file operations of a workspace (writes, dumps into `store_dir`, the delete)
 * run one at a time, in call order. One process per `store_dir`.
 *
 * @example
 * const store = new LocalVectorStore(embeddingModel, './local_vector_store');
 * await store.insert([{ unique_id: '1', workspace_id: 'notes', content: 'red apples', metadata: {} }]);
 */
export class LocalVectorStore extends MemoryVectorStore {
  override readonly backend: string = 'local';
  /** First reads of workspace files; a delete drops its entry, which discards the read's result. */
  private readonly loading = new Map<string, Promise<Workspace | undefined>>();
  /** The chain of file operations of each workspace, forgotten once it settled. */
  private readonly writes = new Map<string, Promise<void>>();

  constructor(embedding: EmbeddingModel, storeDir = './local_vector_store') {
    super(embedding, storeDir);
    mkdirSync(storeDir, { recursive: true });
  }

  override async deleteWorkspace(workspaceId: string): Promise<void> {
    const file = workspaceFile(this.storeDir, workspaceId);
    this.workspaces.delete(workspaceId);
    this.loading.delete(workspaceId);
    await this.queue(workspaceId, () => rm(file, { force: true }));
  }

  override async listWorkspaces(): Promise<string[]> {
    const files = (await readdir(this.storeDir)).filter((name) => name.endsWith('.jsonl'));
    const names = new Set([
      ...files.map((name) => name.slice(0, -'.jsonl'.length)).filter(isWorkspaceId),
      ...this.workspaces.keys(),
    ]);
    return [...names];
  }

  /** Into `store_dir`, the dump is the workspace's own file: written in its turn, like a change. */
  override async dumpWorkspace(
    workspaceId: string,
    dir = this.storeDir,
  ): Promise<{ size: number; path: string }> {
    if (resolve(dir) !== resolve(this.storeDir)) return super.dumpWorkspace(workspaceId, dir);
    const path = workspaceFile(dir, workspaceId);
    await this.workspace(workspaceId, false);
    let size = 0;
    await this.queue(workspaceId, async () => {
      size = await writeNodes(path, this.workspaces.get(workspaceId)?.values() ?? []);
    });
    return { size, path };
  }

  protected override async workspace(id: string, create: boolean): Promise<Workspace | undefined> {
    const file = workspaceFile(this.storeDir, id);
    const workspace = this.workspaces.get(id) ?? (await this.load(id, file));
    return workspace ?? (await super.workspace(id, create));
  }

  protected override checkWorkspaceId(workspaceId: string): void {
    checkWorkspaceId(workspaceId);
  }

  protected override saved(workspaceId: string): Promise<void> {
    const file = workspaceFile(this.storeDir, workspaceId);
    // Each write takes the workspace as it is when its turn comes, so the last one leaves the latest
    // state; a workspace deleted meanwhile is not written back.
    return this.queue(workspaceId, async () => {
      const workspace = this.workspaces.get(workspaceId);
      if (workspace) await writeNodes(file, workspace.values());
    });
  }

  /** Reads a workspace's file once, after the file operations queued for it (a pending delete). */
  private load(id: string, file: string): Promise<Workspace | undefined> {
    const pending = this.loading.get(id);
    if (pending) return pending;
    const read: Promise<Workspace | undefined> = (this.writes.get(id) ?? Promise.resolve())
      .catch(() => {})
      .then(() => readNodes(file, id))
      .then((nodes) => {
        // Deleted since the read began (the delete dropped it from `loading`), or set meanwhile: keep what is.
        if (!nodes || this.loading.get(id) !== read || this.workspaces.has(id))
          return this.workspaces.get(id);
        const loaded: Workspace = new Map(nodes.map((node) => [node.unique_id, node]));
        this.workspaces.set(id, loaded);
        return loaded;
      });
    this.loading.set(id, read);
    const forget = () => {
      if (this.loading.get(id) === read) this.loading.delete(id);
    };
    read.then(forget, forget);
    return read;
  }

  /** Runs `task` after the file operations already queued for the workspace. */
  private queue(id: string, task: () => Promise<unknown>): Promise<void> {
    const next = (this.writes.get(id) ?? Promise.resolve())
      .catch(() => {})
      .then(task)
      .then(() => {});
    this.writes.set(id, next);
    const forget = () => {
      if (this.writes.get(id) === next) this.writes.delete(id);
    };
    next.then(forget, forget);
    return next;
  }
}
