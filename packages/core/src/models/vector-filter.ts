/**
 * FlowLLM's vector store filters on a node's `metadata`: `{key: value}` (equal; a list value matches
 * when it contains it), `{key: [a, b]}` (any of), `{key: {gte, lte, gt, lt}}` (range). Keys may be
 * dotted paths (`"author.name"`); a leading `metadata.` is accepted too, as FlowLLM documents it.
 *
 * @example
 * matchesFilter({ year: 2024, tags: ['a'] }, { year: { gte: 2020 }, tags: 'a' }) // true
 */
export function matchesFilter(metadata: Record<string, unknown>, filter: Record<string, unknown>): boolean {
  return Object.entries(filter).every(([path, condition]) => {
    const found = valueAt(metadata, path);
    if (!found.present) return false;
    const value = found.value;
    if (Array.isArray(condition)) return condition.some((item) => equals(value, item));
    if (isRange(condition)) return inRange(value, condition);
    return equals(value, condition);
  });
}

type Range = { gte?: unknown; lte?: unknown; gt?: unknown; lt?: unknown };

function isRange(condition: unknown): condition is Range {
  if (typeof condition !== 'object' || condition === null) return false;
  const keys = Object.keys(condition);
  return (
    keys.length > 0 && keys.every((key) => key === 'gte' || key === 'lte' || key === 'gt' || key === 'lt')
  );
}

/** Numbers compare as numbers, strings (e.g. ISO dates) as strings; mixed types never match. */
function inRange(value: unknown, { gte, lte, gt, lt }: Range): boolean {
  const comparable = (bound: unknown) =>
    bound === undefined ||
    (typeof bound === typeof value && (typeof value === 'number' || typeof value === 'string'));
  if (![gte, lte, gt, lt].every(comparable)) return false;
  const v = value as number | string;
  return (
    (gte === undefined || v >= (gte as typeof v)) &&
    (lte === undefined || v <= (lte as typeof v)) &&
    (gt === undefined || v > (gt as typeof v)) &&
    (lt === undefined || v < (lt as typeof v))
  );
}

function equals(value: unknown, expected: unknown): boolean {
  if (Array.isArray(value) && !Array.isArray(expected)) return value.some((item) => equals(item, expected));
  if (typeof value === 'object' && value !== null) return JSON.stringify(value) === JSON.stringify(expected);
  return value === expected;
}

function valueAt(metadata: Record<string, unknown>, path: string): { present: boolean; value?: unknown } {
  const direct = walk(metadata, path.split('.'));
  if (direct.present || !path.startsWith('metadata.')) return direct;
  return walk(metadata, path.slice('metadata.'.length).split('.'));
}

function walk(root: unknown, keys: string[]): { present: boolean; value?: unknown } {
  let current = root;
  for (const key of keys) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, key))
      return { present: false };
    current = (current as Record<string, unknown>)[key];
  }
  return { present: true, value: current };
}

/**
 * Cosine similarity of two vectors of the same length (0 when either is all zeros).
 *
 * @example
 * cosine([1, 0], [1, 1]) // 0.7071…
 */
export function cosine(a: number[], b: number[]): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    normA += x * x;
    normB += y * y;
  }
  return normA && normB ? dot / Math.sqrt(normA * normB) : 0;
}
