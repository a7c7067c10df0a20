// FlowLLM's edit strategies (extensions/utils/edit_utils.py): exact, indentation-blind, then
// whitespace-tolerant. Each answers the new content and how many places matched, or undefined.

/**
 * A strategy's result: the content with the first match replaced, and how many places matched.
 *
 * @example
 * const [content, matches]: Replacement = ['b\n', 1];
 */
export type Replacement = [content: string, matches: number];

/**
 * Replaces the first exact occurrence of `oldString`; counts every occurrence.
 *
 * @example
 * exactReplacement('a a', 'a', 'b'); // ['b a', 2]
 */
export function exactReplacement(
  content: string,
  oldString: string,
  newString: string,
): Replacement | undefined {
  const at = content.indexOf(oldString);
  if (oldString === '' || at < 0) return undefined;
  const matches = content.split(oldString).length - 1;
  const replaced = content.slice(0, at) + newString + content.slice(at + oldString.length);
  return [keepTrailingNewline(content, replaced), matches];
}

/**
 * Matches `oldString` line by line ignoring each line's leading and trailing whitespace, and
 * replaces every match with `newString` indented like the match's first line.
 *
 * @example
 * flexibleReplacement('  if (a) {\n  }', 'if (a) {\n}', 'if (b) {\n}'); // ['  if (b) {\n  }', 1]
 */
export function flexibleReplacement(
  content: string,
  oldString: string,
  newString: string,
): Replacement | undefined {
  const source = content.split('\n');
  const search = oldString
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const replace = newString.split('\n');
  if (search.length === 0) return undefined;
  let matches = 0;
  for (let i = 0; i <= source.length - search.length; ) {
    if (search.every((line, j) => source[i + j]?.trim() === line)) {
      matches++;
      const indent = /^\s*/.exec(source[i] as string)?.[0] ?? '';
      source.splice(i, search.length, ...replace.map((line) => `${indent}${line}`));
      i += replace.length;
    } else {
      i++;
    }
  }
  return matches > 0 ? [keepTrailingNewline(content, source.join('\n')), matches] : undefined;
}

/**
 * Matches `oldString`'s tokens (split at whitespace and around `()[]{}<>:=`) with any whitespace
 * between them, from the start of a line, and replaces the first match with `newString` indented
 * like it. The tokens are escaped, so the pattern has no nested repetition.
 *
 * @example
 * regexReplacement('x  =  1\n', 'x = 1', 'x = 2'); // ['x = 2\n', 1]
 */
export function regexReplacement(
  content: string,
  oldString: string,
  newString: string,
): Replacement | undefined {
  let spaced = oldString;
  for (const delimiter of ['(', ')', ':', '[', ']', '{', '}', '>', '<', '=']) {
    spaced = spaced.replaceAll(delimiter, ` ${delimiter} `);
  }
  const tokens = spaced.split(/\s+/).filter(Boolean);
  if (tokens.length === 0) return undefined;
  const regex = new RegExp(`^(\\s*)${tokens.map(escapeRegex).join('\\s*')}`, 'm');
  const match = regex.exec(content);
  if (!match) return undefined;
  const indent = match[1] ?? '';
  const block = newString
    .split('\n')
    .map((line) => `${indent}${line}`)
    .join('\n');
  const replaced = content.slice(0, match.index) + block + content.slice(match.index + match[0].length);
  return [keepTrailingNewline(content, replaced), 1];
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

// The edited text ends with a newline exactly when the original did.
function keepTrailingNewline(original: string, modified: string): string {
  if (original.endsWith('\n') && !modified.endsWith('\n')) return `${modified}\n`;
  if (!original.endsWith('\n') && modified.endsWith('\n')) return modified.replace(/\n+$/, '');
  return modified;
}
