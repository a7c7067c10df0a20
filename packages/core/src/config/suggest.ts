/**
 * Damerau–Levenshtein distance (optimal string alignment): insertions, deletions,
 * substitutions and swaps of two neighbouring characters each cost 1.
 *
 * @example
 * editDistance('strem', 'stream'); // 1
 * editDistance('tiemout', 'timeout'); // 1
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      }
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

// `Model-Name`, `modelName` and `model_name` are the same key to a human.
const normalize = (key: string): string => key.toLowerCase().replace(/[_-]/g, '');

/**
 * The known key an unknown key was probably meant to be: one that differs only in case,
 * underscores or dashes, else the closest within edit distance 2 (ties: first listed).
 *
 * @example
 * suggestKey('strem', ['flow_content', 'stream']); // 'stream'
 * suggestKey('modelName', ['model_name']); // 'model_name'
 * suggestKey('zzz', ['stream']); // undefined
 */
export function suggestKey(unknown: string, known: readonly string[]): string | undefined {
  const normalized = normalize(unknown);
  const sameShape = known.find((key) => normalize(key) === normalized);
  if (sameShape !== undefined) return sameShape;
  let best: string | undefined;
  let bestDistance = 3;
  for (const key of known) {
    const distance = editDistance(unknown, key);
    // A key of one or two letters is within distance 2 of everything short; say nothing then.
    if (distance < bestDistance && distance < Math.max(unknown.length, key.length)) {
      best = key;
      bestDistance = distance;
    }
  }
  return best;
}
