// Python's fnmatch, as FlowLLM's file tools use it: `*` matches any run of characters including `/`,
// `?` one character, `[abc]` / `[a-z]` / `[!abc]` a set. Matched without regular expressions, in
// O(name × pattern) time, so no pattern can make it backtrack exponentially.

type Token = { kind: 'star' } | { kind: 'char'; test: (ch: string) => boolean };

const MAX_BRACE_EXPANSIONS = 64;

/**
 * Whether `name` matches the fnmatch `pattern` (case-sensitive; lower-case both for FlowLLM's
 * case-insensitive matching).
 *
 * @example
 * fnmatch('src/a/b.py', '*.py'); // true: `*` crosses `/`, as in Python
 * fnmatch('b.pyc', '*.py');      // false
 */
export function fnmatch(name: string, pattern: string): boolean {
  const tokens = tokenize(pattern);
  let t = 0;
  let s = 0;
  let starAt = -1;
  let starS = 0;
  while (s < name.length) {
    const token = tokens[t];
    if (token?.kind === 'char' && token.test(name[s] as string)) {
      t++;
      s++;
    } else if (token?.kind === 'star') {
      starAt = t++;
      starS = s;
    } else if (starAt >= 0) {
      t = starAt + 1;
      s = ++starS;
    } else {
      return false;
    }
  }
  while (tokens[t]?.kind === 'star') t++;
  return t === tokens.length;
}

/**
 * The patterns a brace group stands for (`*.{ts,tsx}` → `*.ts`, `*.tsx`), at most 64; a pattern
 * without braces is itself. Python's fnmatch has no braces: this port adds them because the tools'
 * descriptions show them.
 *
 * @example
 * expandBraces('src/*.{ts,tsx}'); // ['src/*.ts', 'src/*.tsx']
 */
export function expandBraces(pattern: string): string[] {
  const open = pattern.indexOf('{');
  const close = open < 0 ? -1 : pattern.indexOf('}', open);
  if (close < 0) return [pattern];
  const inner = pattern.slice(open + 1, close);
  if (!inner.includes(',')) return [pattern];
  const head = pattern.slice(0, open);
  const tail = pattern.slice(close + 1);
  const out: string[] = [];
  for (const option of inner.split(',')) {
    for (const rest of expandBraces(tail)) {
      if (out.length >= MAX_BRACE_EXPANSIONS) return out;
      out.push(`${head}${option}${rest}`);
    }
  }
  return out;
}

/**
 * FlowLLM's glob matching of a path relative to the search directory (`/`-separated): a pattern with
 * `**` matches when the path starts with the text before it and fnmatches `*` + the text after it
 * (and, unlike FlowLLM, a leading `**\/` also matches files directly in the directory); any other
 * pattern is fnmatched against the whole relative path. Braces are expanded first.
 *
 * @example
 * matchesGlob('src/lib/a.ts', 'src/**\/*.ts', false); // true
 * matchesGlob('docs/a.md', '*.MD', false);           // true
 */
export function matchesGlob(relative: string, pattern: string, caseSensitive: boolean): boolean {
  const fold = (text: string) => (caseSensitive ? text : text.toLowerCase());
  const target = fold(relative);
  return expandBraces(fold(pattern.replaceAll('\\', '/'))).some((one) => {
    const at = one.indexOf('**');
    if (at < 0) return fnmatch(target, one);
    const prefix = one.slice(0, at).replace(/\/+$/, '');
    const suffix = one.slice(at + 2);
    if (prefix !== '' && !target.startsWith(prefix)) return false;
    // `**/` may also stand for no folder at all (FlowLLM's `**/*.md` misses top-level files).
    return (
      suffix === '' ||
      fnmatch(target, `*${suffix}`) ||
      (prefix === '' && fnmatch(target, suffix.replace(/^\/+/, '')))
    );
  });
}

/**
 * Whether a path (relative, `/`-separated) is ignored by gitignore-style patterns: a pattern without
 * a `/` matches any path component, one with a `/` matches from the start, a trailing `/` only
 * matches directories above the file, and a later `!pattern` re-includes. An approximation of git's
 * rules, built on {@link fnmatch}.
 *
 * @example
 * isGitIgnored('node_modules/x/index.js', ['node_modules/']); // true
 * isGitIgnored('keep.log', ['*.log', '!keep.log']);           // false
 */
export function isGitIgnored(relative: string, patterns: readonly string[]): boolean {
  const parts = relative.split('/');
  let ignored = false;
  for (const raw of patterns) {
    let pattern = raw.trim();
    if (pattern === '' || pattern.startsWith('#')) continue;
    const negate = pattern.startsWith('!');
    if (negate) pattern = pattern.slice(1);
    const dirOnly = pattern.endsWith('/');
    pattern = pattern.replace(/\/+$/, '');
    const anchored = pattern.includes('/');
    pattern = pattern.replace(/^\//, '');
    // Candidate paths: every ancestor directory, plus the file itself unless the pattern is for dirs.
    const candidates: string[] = [];
    for (let i = 1; i <= parts.length; i++) {
      if (i === parts.length && dirOnly) break;
      candidates.push(anchored ? parts.slice(0, i).join('/') : (parts[i - 1] as string));
    }
    if (candidates.some((candidate) => fnmatch(candidate, pattern))) ignored = !negate;
  }
  return ignored;
}

function tokenize(pattern: string): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === '*') {
      if (tokens.at(-1)?.kind !== 'star') tokens.push({ kind: 'star' });
    } else if (ch === '?') {
      tokens.push({ kind: 'char', test: () => true });
    } else if (ch === '[') {
      const set = parseSet(pattern, i);
      if (set) {
        tokens.push({ kind: 'char', test: set.test });
        i = set.end;
      } else {
        tokens.push({ kind: 'char', test: (c) => c === '[' });
      }
    } else {
      tokens.push({ kind: 'char', test: (c) => c === ch });
    }
  }
  return tokens;
}

// `[` at `start`: Python's rules — `!` first negates, `]` first is literal, no closing `]` means a
// literal `[`.
function parseSet(
  pattern: string,
  start: number,
): { test: (ch: string) => boolean; end: number } | undefined {
  let i = start + 1;
  const negate = pattern[i] === '!';
  if (negate) i++;
  if (pattern[i] === ']') i++;
  const close = pattern.indexOf(']', i);
  if (close < 0) return undefined;
  const body = pattern.slice(negate ? start + 2 : start + 1, close);
  const ranges: [string, string][] = [];
  for (let j = 0; j < body.length; j++) {
    const low = body[j] as string;
    if (body[j + 1] === '-' && j + 2 < body.length) {
      ranges.push([low, body[j + 2] as string]);
      j += 2;
    } else {
      ranges.push([low, low]);
    }
  }
  const inSet = (ch: string) => ranges.some(([low, high]) => ch >= low && ch <= high);
  return { test: (ch) => inSet(ch) !== negate, end: close };
}
