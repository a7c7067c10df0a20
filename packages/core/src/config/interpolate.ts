/**
 * The outcome of interpolating one string: the new text, the variables that were unset (with no
 * default), and whether a `${` was not a valid reference.
 *
 * @example
 * const result: Interpolation = { value: 'x', substituted: true, missing: [], malformed: false };
 */
export interface Interpolation {
  value: string;
  /** True when at least one `${…}` reference was replaced. */
  substituted: boolean;
  missing: string[];
  malformed: boolean;
}

const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/y;

/**
 * Replaces `${VAR}` and `${VAR:-default}` in one string value. As in the shell, the default is
 * used when the variable is unset or empty; `$${` writes a literal `${`. Never textual
 * substitution into YAML source: it runs on values after parsing.
 *
 * @example
 * interpolate('${HOST:-localhost}:$${PORT}', {}).value; // 'localhost:${PORT}'
 * interpolate('${API_BASE}', {}).missing; // ['API_BASE']
 */
export function interpolate(text: string, env: Record<string, string | undefined>): Interpolation {
  const result: Interpolation = { value: '', substituted: false, missing: [], malformed: false };
  let index = 0;
  while (index < text.length) {
    const dollar = text.indexOf('$', index);
    if (dollar < 0) break;
    result.value += text.slice(index, dollar);
    if (text.startsWith('$${', dollar)) {
      result.value += '${';
      index = dollar + 3;
      continue;
    }
    if (!text.startsWith('${', dollar)) {
      result.value += '$';
      index = dollar + 1;
      continue;
    }
    REFERENCE.lastIndex = dollar;
    const match = REFERENCE.exec(text);
    if (!match) {
      result.malformed = true;
      result.value += '${';
      index = dollar + 2;
      continue;
    }
    const [whole, name = '', fallback] = match;
    // Own variables only: `${toString}` is not Object.prototype's function.
    const current = Object.hasOwn(env, name) ? env[name] : undefined;
    if (fallback !== undefined && (current === undefined || current === '')) result.value += fallback;
    else if (current !== undefined) result.value += current;
    else result.missing.push(name);
    result.substituted = true;
    index = dollar + whole.length;
  }
  result.value += text.slice(index);
  return result;
}

// An empty result stays '' (not null) so `model_name: ${MODEL:-}` keeps its string type.
const CORE_NULL = /^(?:~|null|Null|NULL)$/;
const CORE_TRUE = /^(?:true|True|TRUE)$/;
const CORE_FALSE = /^(?:false|False|FALSE)$/;
const CORE_INTEGER = /^[-+]?[0-9]+$/;
const CORE_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;

/**
 * Types an unquoted scalar after interpolation as YAML's core schema would have typed the same
 * text written in the file: `port: ${PORT}` gives a number, `name: "${NAME}"` stays a string.
 *
 * @example
 * typePlainScalar('8002'); // 8002
 * typePlainScalar('true'); // true
 * typePlainScalar('sk-abc'); // 'sk-abc'
 */
export function typePlainScalar(text: string): string | number | boolean | null {
  if (CORE_NULL.test(text)) return null;
  if (CORE_TRUE.test(text)) return true;
  if (CORE_FALSE.test(text)) return false;
  // Digits too long for an exact number (an id, a numeric key) stay text.
  if (CORE_INTEGER.test(text)) return Number.isSafeInteger(Number(text)) ? Number(text) : text;
  if (CORE_FLOAT.test(text) && Number.isFinite(Number(text))) return Number(text);
  return text;
}
