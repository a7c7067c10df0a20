import type { ConfigSource } from './config-error.js';

// Path segments may contain dots (flow names do), so paths are keyed by a separator no key contains.
const SEPARATOR = '\u0000';
const keyOf = (path: readonly string[]): string => path.join(SEPARATOR);

/**
 * Remembers, for every key path, where its current value was set. Lookups fall back to the
 * nearest ancestor, so a value copied from an alias or an object layer still has a location.
 *
 * @example
 * const sources = new SourceMap();
 * sources.set(['http'], { file: 'a.yaml', line: 1, column: 7 });
 * sources.lookup(['http', 'port']); // { file: 'a.yaml', line: 1, column: 7 }
 */
export class SourceMap {
  readonly #entries = new Map<string, ConfigSource>();

  /** Records the source of the value at `path`. */
  set(path: readonly string[], source: ConfigSource): void {
    this.#entries.set(keyOf(path), source);
  }

  /** The source recorded for `path` exactly, if any. */
  get(path: readonly string[]): ConfigSource | undefined {
    return this.#entries.get(keyOf(path));
  }

  /** The source of `path` or of its nearest ancestor that has one. */
  lookup(path: readonly string[]): ConfigSource | undefined {
    for (let length = path.length; length >= 0; length--) {
      const source = this.#entries.get(keyOf(path.slice(0, length)));
      if (source) return source;
    }
    return undefined;
  }

  /** Forgets `path` and everything below it (its value is being replaced). */
  deleteUnder(path: readonly string[]): void {
    const prefix = keyOf(path);
    for (const key of [...this.#entries.keys()]) {
      if (path.length === 0 || key === prefix || key.startsWith(prefix + SEPARATOR))
        this.#entries.delete(key);
    }
  }

  /** Copies the entries of `other` at `path` and below into this map. */
  copyUnder(other: SourceMap, path: readonly string[]): void {
    const prefix = keyOf(path);
    for (const [key, source] of other.#entries) {
      if (path.length === 0 || key === prefix || key.startsWith(prefix + SEPARATOR))
        this.#entries.set(key, source);
    }
  }
}
