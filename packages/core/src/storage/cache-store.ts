import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { FlowllmError } from '../errors.js';
import { isOlderThan, TEMP_FILE, withDirLock, writeFileAtomic } from './atomic-file.js';
import { cacheKey } from './cache-key.js';

const ENTRY_FILE = /^([0-9a-f]{64})\.json$/;
const METADATA_FILE = 'metadata.json';
const LOCK_DIR = '.metadata.lock';
// A temporary file this old was left by a writer that crashed between writing and renaming.
const STALE_TEMP_MS = 10 * 60_000;
// How often a store re-reads the whole folder (besides its first write and `sweep()`).
const SWEEP_INTERVAL_MS = 10 * 60_000;

/**
 * One line of `metadata.json`, FlowLLM's per-folder index of the cache: keyed by the entry's key hash.
 *
 * @example
 * const info: CacheEntryInfo = { file: 'ab…12.json', created_time: '2026-01-01T00:00:00.000Z', expire_time: null, file_size: 42 };
 */
export interface CacheEntryInfo {
  file: string;
  created_time: string;
  /** ISO time after which the entry is not returned; `null`: it never expires. */
  expire_time: string | null;
  file_size: number;
}

/**
 * Options of a {@link CacheStore}.
 *
 * @example
 * const store = new CacheStore('/tmp/cache', { now: () => fakeClock });
 */
export interface CacheStoreOptions {
  /**
   * The clock that dates entries and decides expiry, in ms since the epoch.
   * @default Date.now
   */
  now?: () => number;
}

interface CacheEntry {
  key: string;
  created_time: string;
  expire_time: string | null;
  value: unknown;
}

/**
 * FlowLLM's `CacheHandler`, safe for many writers: one folder, one file per entry
 * (`<sha256 of the key>.json`: `{key, created_time, expire_time, value}`), and a `metadata.json` index
 * of the live entries. Every file is written to a temporary file and renamed, so no reader ever sees
 * half of one. The entry files are the truth; `metadata.json` is updated after each write under a lock
 * directory shared by every process (so no writer's entry is lost from it), and rebuilt from the entry
 * files by each sweep, which also deletes expired entries. Expired entries are never returned, and are
 * deleted when read.
 *
 * @example
 * const store = new CacheStore('./cache/chat');
 * await store.save({ q: 'hi' }, { answer: 'hello' }, 0.1);
 * (await store.load({ q: 'hi' }))?.value; // { answer: 'hello' }
 */
export class CacheStore {
  /** The folder, absolute. */
  readonly dir: string;
  private readonly now: () => number;
  // A metadata update not started yet (later callers join it) and the one running.
  private pendingUpdate: Promise<number> | undefined;
  private runningUpdate: Promise<number> | undefined;
  // Entries written (info) or removed (null) since the last update of metadata.json.
  private changes = new Map<string, CacheEntryInfo | null>();
  private sweepWanted = false;
  private lastSweep = Number.NEGATIVE_INFINITY;

  constructor(dir: string, options: CacheStoreOptions = {}) {
    this.dir = resolve(dir);
    this.now = options.now ?? Date.now;
  }

  /** `{value}` when `key` has a fresh entry; an expired or unreadable entry is removed. */
  async load(key: unknown): Promise<{ value: unknown } | undefined> {
    const hash = cacheKey(key);
    const read = await this.readEntry(hash);
    if (read === undefined) return undefined;
    if (read.entry === undefined || this.isPast(read.entry.expire_time)) {
      await rm(this.entryFile(hash), { force: true });
      this.changes.set(hash, null);
      await this.updateMetadata(false);
      return undefined;
    }
    return { value: read.entry.value };
  }

  /**
   * Stores `value` (JSON) under `key` for `expireHours` (0: no expiry, as FlowLLM) and returns it as a
   * later `load` will (parsed from its JSON).
   */
  async save(key: unknown, value: unknown, expireHours: number): Promise<unknown> {
    const hash = cacheKey(key);
    const json = valueJson(value);
    const created = this.now();
    const expires =
      expireHours > 0 && Number.isFinite(expireHours) ? created + expireHours * 3_600_000 : null;
    const head = {
      key: hash,
      created_time: iso(created),
      expire_time: expires === null ? null : iso(expires),
    };
    // The value's JSON is spliced in rather than serialised a second time.
    const text = `${JSON.stringify(head).slice(0, -1)},"value":${json}}`;
    await writeFileAtomic(this.entryFile(hash), text);
    const { created_time, expire_time } = head;
    this.changes.set(hash, {
      file: `${hash}.json`,
      created_time,
      expire_time,
      file_size: Buffer.byteLength(text),
    });
    await this.updateMetadata(false);
    return JSON.parse(json);
  }

  /**
   * Removes expired entries (and temporary files a crashed writer left) and rewrites `metadata.json`
   * from the entry files; resolves the number of entries removed. A store also sweeps on its first
   * write and every 10 minutes of writes after.
   */
  sweep(): Promise<number> {
    return this.updateMetadata(true);
  }

  // One update at a time per store, and one at a time per folder across processes (the lock): a
  // read-modify-write of metadata.json under the lock loses no other writer's entries. Callers arriving
  // while one runs share the next, which starts after their change was recorded.
  private updateMetadata(sweep: boolean): Promise<number> {
    this.sweepWanted ||= sweep;
    if (this.pendingUpdate) return this.pendingUpdate;
    const update: Promise<number> = (this.runningUpdate ?? Promise.resolve(0))
      .catch(() => 0)
      .then(async () => {
        this.pendingUpdate = undefined;
        this.runningUpdate = update;
        const changes = this.changes;
        this.changes = new Map();
        const full = this.sweepWanted || this.now() - this.lastSweep >= SWEEP_INTERVAL_MS;
        this.sweepWanted = false;
        await mkdir(this.dir, { recursive: true });
        const done = await withDirLock(join(this.dir, LOCK_DIR), () =>
          full ? this.rebuildMetadata() : this.applyChanges(changes),
        );
        if (done === undefined) this.retryLater(changes, full);
        return done ?? 0;
      })
      .finally(() => {
        if (this.runningUpdate === update) this.runningUpdate = undefined;
      });
    this.pendingUpdate = update;
    return update;
  }

  // The lock was not had in time: keep what was not written for the next update.
  private retryLater(changes: Map<string, CacheEntryInfo | null>, sweep: boolean): void {
    for (const [hash, info] of changes) if (!this.changes.has(hash)) this.changes.set(hash, info);
    this.sweepWanted ||= sweep;
  }

  private async applyChanges(changes: Map<string, CacheEntryInfo | null>): Promise<number> {
    let index: Record<string, CacheEntryInfo> | undefined;
    try {
      index = await this.metadata();
    } catch {}
    // Unreadable or not an index (edited by hand): rebuilt from the entries.
    if (typeof index !== 'object' || index === null || Array.isArray(index)) return this.rebuildMetadata();
    for (const [hash, info] of changes) {
      if (info) index[hash] = info;
      else delete index[hash];
    }
    for (const [hash, info] of Object.entries(index)) if (this.isPast(info.expire_time)) delete index[hash];
    await this.writeMetadata(index);
    return 0;
  }

  /** The parsed `metadata.json` (`{}` before the first write). */
  async metadata(): Promise<Record<string, CacheEntryInfo>> {
    try {
      return JSON.parse(await readFile(join(this.dir, METADATA_FILE), 'utf8'));
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ENOENT') return {};
      throw error;
    }
  }

  private async rebuildMetadata(): Promise<number> {
    const index: Record<string, CacheEntryInfo> = {};
    let removed = 0;
    for (const name of (await readdir(this.dir)).sort()) {
      const hash = ENTRY_FILE.exec(name)?.[1];
      if (hash === undefined) {
        const file = join(this.dir, name);
        if (TEMP_FILE.test(name) && (await isOlderThan(file, STALE_TEMP_MS))) await rm(file, { force: true });
        continue;
      }
      const read = await this.readEntry(hash);
      if (read === undefined) continue;
      if (read.entry === undefined || this.isPast(read.entry.expire_time)) {
        await rm(this.entryFile(hash), { force: true });
        removed++;
        continue;
      }
      const { created_time, expire_time } = read.entry;
      index[hash] = { file: name, created_time, expire_time, file_size: read.size };
    }
    await this.writeMetadata(index);
    this.lastSweep = this.now();
    return removed;
  }

  private writeMetadata(index: Record<string, CacheEntryInfo>): Promise<void> {
    return writeFileAtomic(join(this.dir, METADATA_FILE), `${JSON.stringify(index, null, 2)}\n`);
  }

  /** undefined: no entry; `entry` undefined: a file that is not an entry (edited by hand). */
  private async readEntry(hash: string): Promise<{ entry?: CacheEntry; size: number } | undefined> {
    let text: string;
    try {
      text = await readFile(this.entryFile(hash), 'utf8');
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ENOENT') return undefined;
      throw error;
    }
    const size = Buffer.byteLength(text);
    try {
      const entry = JSON.parse(text) as CacheEntry;
      const valid =
        entry?.key === hash &&
        Object.hasOwn(entry, 'value') &&
        (entry.expire_time === null || !Number.isNaN(Date.parse(entry.expire_time)));
      return valid ? { entry, size } : { size };
    } catch {
      return { size };
    }
  }

  private isPast(expireTime: string | null): boolean {
    return expireTime !== null && Date.parse(expireTime) <= this.now();
  }

  private entryFile(hash: string): string {
    return join(this.dir, `${hash}.json`);
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function valueJson(value: unknown): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    throw new FlowllmError('FLOWLLM_OP', `a cached value must be JSON: ${(error as Error).message}`);
  }
  if (json === undefined) throw new FlowllmError('FLOWLLM_OP', 'a cached value must be JSON, not undefined');
  return json;
}
