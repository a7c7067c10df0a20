import {
  type Alias,
  type Document,
  isAlias,
  isCollection,
  isMap,
  isScalar,
  isSeq,
  type Node,
  visit,
} from 'yaml';
import type { ConfigIssue, ConfigSource } from './config-error.js';
import { interpolate, typePlainScalar } from './interpolate.js';
import { FORBIDDEN_KEYS, forbiddenKeyIssue } from './merge.js';
import { SourceMap } from './source-map.js';

// Aliases are expanded as they are met. They may repeat a value, not multiply it without bound (a
// "billion laughs" file of 400 KB would expand to gigabytes): what the walk produces is capped in
// proportion to the file's size. Each value costs one and each character of a string one more — a
// long string repeated by aliases is shared in memory, but every copy or serialisation of the config
// (structuredClone of a default, /openapi.json) pays for each repeat. An alias-free file always fits:
// each value takes at least a character of the file, and each string character is one of the file's.
const NODE_BUDGET_SLACK = 10_000;
// Aliases inside the values of aliases, inside…: deeper than this is a mistake (or a cycle).
const MAX_ALIAS_DEPTH = 100;

/**
 * How large a YAML text of `textLength` characters may expand to, aliases included: values plus the
 * characters of their strings.
 *
 * @example
 * yamlNodeBudget(400_000); // 810000
 */
export function yamlNodeBudget(textLength: number): number {
  return NODE_BUDGET_SLACK + 2 * textLength;
}

/** What a {@link YamlWalker} needs besides the document. */
export interface YamlWalkerOptions {
  /** The source (file, line, column) of an offset in the text. */
  at: (offset: number | undefined) => ConfigSource;
  /** The variables `${VAR}` reads. */
  env: Record<string, string | undefined>;
  /**
   * Values and string characters the walk may produce, aliases expanded; see {@link yamlNodeBudget}.
   * @default no limit
   */
  nodeBudget?: number;
}

/**
 * Turns a parsed YAML document into plain values, recording where each key path was written,
 * interpolating `${VAR}` in string values and collecting issues instead of stopping at the first.
 *
 * @example
 * const walker = new YamlWalker(document, { at, env: process.env });
 * const value = walker.walk(document.contents, []);
 * if (walker.issues.length > 0) throw new ConfigError(walker.issues);
 */
export class YamlWalker {
  readonly issues: ConfigIssue[] = [];
  readonly sources = new SourceMap();
  #nodesLeft: number;
  // The aliases being expanded, outermost first, and the anchored values they name.
  #aliases: { alias: Alias; target: Node; path: string[] }[] = [];
  #targets: Map<Alias, Node>;

  private readonly at: (offset: number | undefined) => ConfigSource;
  private readonly env: Record<string, string | undefined>;
  private readonly nodeBudget: number;

  constructor(document: Document, { at, env, nodeBudget = Number.POSITIVE_INFINITY }: YamlWalkerOptions) {
    this.at = at;
    this.env = env;
    this.nodeBudget = nodeBudget;
    this.#nodesLeft = nodeBudget;
    this.#targets = aliasTargets(document);
  }

  walk(node: Node, path: string[]): unknown {
    if (!this.spend(1, path)) return null;
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
      // The text as written: an environment variable's value is not the file's doing.
      if (!this.spend(node.value.length, path)) return null;
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

  private walkAlias(node: Alias, path: string[], source: ConfigSource) {
    const target = this.#targets.get(node);
    if (!target) {
      this.issue(path, 'alias to an unknown anchor');
      return null;
    }
    if (this.#aliases.some((open) => open.target === target)) {
      this.issue(path, `the alias *${node.source} is inside the value it names (a cycle)`, source);
      return null;
    }
    if (this.#aliases.length >= MAX_ALIAS_DEPTH) {
      this.issue(path, `aliases nested more than ${MAX_ALIAS_DEPTH} deep`, source);
      return null;
    }
    this.#aliases.push({ alias: node, target, path });
    try {
      return this.walk(target, path);
    } finally {
      this.#aliases.pop();
      this.sources.set(path, source);
    }
  }

  /** Takes `cost` from the budget; false once it is spent (every later value is then skipped at once,
   * so the walk ends in time linear in the file). */
  private spend(cost: number, path: string[]): boolean {
    if (this.#nodesLeft < 0) return false;
    this.#nodesLeft -= cost;
    if (this.#nodesLeft >= 0) return true;
    this.overBudget(path);
    return false;
  }

  /** Names the outermost alias being expanded: the one written where the expansion blew up. */
  private overBudget(path: string[]): void {
    const outer = this.#aliases[0];
    const what = outer ? `expanding the alias *${outer.alias.source}` : 'expanding aliases';
    this.issue(
      outer?.path ?? path,
      `${what} takes the file past ${this.nodeBudget} values and characters, the limit for its size: an alias may repeat a value, not multiply it without bound`,
      outer && this.at(outer.alias.range?.[0]),
    );
  }

  private issue(path: string[], message: string, source?: ConfigSource): void {
    const at = source ?? this.sources.lookup(path);
    this.issues.push({ path: path.join('.'), message, ...(at && { source: at }) });
  }
}

/**
 * The value each alias names: the last anchor of its name before it. One pass over the document;
 * `Alias.resolve` would walk the whole document again for every alias.
 */
function aliasTargets(document: Document): Map<Alias, Node> {
  const anchors = new Map<string, Node>();
  const targets = new Map<Alias, Node>();
  visit(document, {
    Node(_, node) {
      if (isAlias(node)) {
        const target = anchors.get(node.source);
        if (target) targets.set(node, target);
      } else if (node.anchor) anchors.set(node.anchor, node);
    },
  });
  return targets;
}
