import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Options of `loadDotEnv`.
 *
 * @example
 * const options: DotEnvOptions = { cwd: process.cwd(), env: process.env };
 */
export interface DotEnvOptions {
  /**
   * Where the search starts.
   * @default process.cwd()
   */
  cwd?: string;
  /**
   * The environment to fill.
   * @default process.env
   */
  env?: Record<string, string | undefined>;
}

// The working directory and up to four parents, as FlowLLM does.
const MAX_PARENTS = 4;

/**
 * Finds `.env` in `cwd` or up to four parents (the nearest wins), and sets each variable it
 * defines that is not already set in `env`. Returns the file loaded, or `undefined`.
 *
 * @example
 * const file = loadDotEnv({ cwd: process.cwd(), env: process.env });
 * if (file) console.error(`loaded ${file}`);
 */
export function loadDotEnv(options: DotEnvOptions = {}): string | undefined {
  const env = options.env ?? process.env;
  let directory = path.resolve(options.cwd ?? process.cwd());
  for (let level = 0; level <= MAX_PARENTS; level++) {
    const file = path.join(directory, '.env');
    if (isFile(file)) {
      for (const [key, value] of Object.entries(parseDotEnv(readFileSync(file, 'utf8')))) {
        if (!Object.hasOwn(env, key) || env[key] === undefined) env[key] = value;
      }
      return file;
    }
    const parent = path.dirname(directory);
    if (parent === directory) break;
    directory = parent;
  }
  return undefined;
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

const LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/;
const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

/**
 * Parses `.env` text: `KEY=VALUE` lines, an optional `export ` prefix, `#` comments (whole lines,
 * or after whitespace in unquoted values), 'single' (literal) and "double" quotes (with `\n`,
 * `\r`, `\t`, `\"`, `\\` escapes; may span lines). Lines that are not assignments are skipped.
 *
 * @example
 * parseDotEnv('export A=1\nB="x\\ny" # note\nC=\'$HOME\'');
 * // { A: '1', B: 'x\ny', C: '$HOME' }
 */
export function parseDotEnv(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const match = LINE.exec(lines[index]!);
    if (!match) continue;
    const key = match[1]!;
    let rest = match[2]!;
    const quote = rest[0];
    if (quote === '"' || quote === "'") {
      // A quoted value may continue on the following lines until its closing quote.
      let end = findClosingQuote(rest, quote);
      while (end < 0 && index + 1 < lines.length) {
        rest += `\n${lines[++index]}`;
        end = findClosingQuote(rest, quote);
      }
      if (end < 0) continue; // never closed: not a value we can trust
      const body = rest.slice(1, end);
      result[key] =
        quote === '"' ? body.replace(/\\(.)/g, (sequence, char: string) => ESCAPES[char] ?? sequence) : body;
    } else {
      result[key] = rest.replace(/(?:^|\s+)#.*$/, '').trim();
    }
  }
  return result;
}

function findClosingQuote(text: string, quote: string): number {
  for (let index = 1; index < text.length; index++) {
    if (quote === '"' && text[index] === '\\') index++;
    else if (text[index] === quote) return index;
  }
  return -1;
}
