import { type Document, isAlias, isCollection, isMap, isScalar, isSeq, type Node } from 'yaml';
import type { ConfigIssue, ConfigSource } from './config-error.js';
import { interpolate, typePlainScalar } from './interpolate.js';
import { FORBIDDEN_KEYS, forbiddenKeyIssue } from './merge.js';
import { SourceMap } from './source-map.js';

// Aliases are expanded as they are met; this bounds "billion laughs" documents and alias cycles.
const MAX_ALIAS_EXPANSIONS = 100;

/**
 * Turns a parsed YAML document into plain values, recording where each key path was written,
 * interpolating `${VAR}` in string values and collecting issues instead of stopping at the first.
 *
 * @example
 * const walker = new YamlWalker(document, at, process.env);
 * const value = walker.walk(document.contents, []);
 * if (walker.issues.length > 0) throw new ConfigError(walker.issues);
 */
export class YamlWalker {
  readonly issues: ConfigIssue[] = [];
  readonly sources = new SourceMap();
  #aliasExpansions = 0;

  constructor(
    private readonly document: Document,
    private readonly at: (offset: number | undefined) => ConfigSource,
    private readonly env: Record<string, string | undefined>,
  ) {}

  walk(node: Node, path: string[]): unknown {
    const source = this.at(node.range?.[0]);
    this.sources.set(path, source);
    if (isAlias(node)) return this.walkAlias(node, path, source);
    if (isMap(node)) {
      const result: Record<string, unknown> = {};
      for (const pair of node.items) {
        const keyNode = isScalar(pair.key) ? pair.key : undefined;
        if (!keyNode || (typeof keyNode.value === 'object' && keyNode.value !== null)) {
          this.issue(
            path,
            'only plain keys (text or numbers) are supported',
            this.at((pair.key as Node)?.range?.[0]),
          );
          continue;
        }
        const key = String(keyNode.value);
        const keyPath = [...path, key];
        if (FORBIDDEN_KEYS.has(key)) {
          this.issues.push(forbiddenKeyIssue(keyPath, this.at(keyNode.range?.[0])));
          continue;
        }
        if (pair.value === null || pair.value === undefined) {
          // `key:` with nothing after it: null, located at the key.
          this.sources.set(keyPath, this.at(keyNode.range?.[0]));
          result[key] = null;
        } else {
          result[key] = this.walk(pair.value as Node, keyPath);
          // A block mapping or list starts on the next line; its key is where a reader looks.
          if (isCollection(pair.value) && !pair.value.flow)
            this.sources.set(keyPath, this.at(keyNode.range?.[0]));
        }
      }
      return result;
    }
    if (isSeq(node))
      return node.items.map((item, index) => this.walk(item as Node, [...path, String(index)]));
    if (isScalar(node)) {
      if (typeof node.value !== 'string') return node.value;
      const result = interpolate(node.value, this.env);
      for (const name of result.missing) {
        this.issue(
          path,
          `environment variable ${name} is not set (write \${${name}:-default} to give a default)`,
        );
      }
      if (result.malformed)
        this.issue(
          path,
          `a \`\${\` that is not a \`\${VAR}\` reference; write \`$\${\` for a literal \`\${\``,
        );
      // An unquoted, untagged value is typed as if the substituted text had been written there.
      const plain = node.type === 'PLAIN' && !node.tag;
      return result.substituted && plain ? typePlainScalar(result.value) : result.value;
    }
    return null;
  }

  private walkAlias(
    node: Node & { resolve(document: Document): Node | undefined },
    path: string[],
    source: ConfigSource,
  ) {
    if (++this.#aliasExpansions > MAX_ALIAS_EXPANSIONS) {
      // Said once: every later alias would only repeat it.
      if (this.#aliasExpansions === MAX_ALIAS_EXPANSIONS + 1) {
        this.issue(path, `too many alias expansions (more than ${MAX_ALIAS_EXPANSIONS})`);
      }
      return null;
    }
    const target = node.resolve(this.document);
    if (!target) {
      this.issue(path, 'alias to an unknown anchor');
      return null;
    }
    const value = this.walk(target, path);
    this.sources.set(path, source);
    return value;
  }

  private issue(path: string[], message: string, source?: ConfigSource): void {
    const at = source ?? this.sources.lookup(path);
    this.issues.push({ path: path.join('.'), message, ...(at && { source: at }) });
  }
}
