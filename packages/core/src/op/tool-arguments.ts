import { isPlainObject } from '../config/check-value.js';
import { laxCoerce } from '../config/lax-coercion.js';
import type { ToolDescription } from './tool-schema.js';

/** A model's arguments for a tool, checked: the converted values, or what is wrong with them. */
export type CheckedArguments =
  | { ok: true; args: Record<string, unknown> }
  | { ok: false; problems: string[] };

/**
 * Checks a model's arguments against a tool's `input_schema` as a request is checked against a flow's:
 * required fields present, scalars converted with pydantic's lax rules (`"5"` for an integer), `enum`
 * respected; extra fields kept. Each problem names its field, since the text goes back to the model.
 *
 * @example
 * checkToolArguments(searchTool, { top_k: '3', query: 'ai' }) // { ok: true, args: { top_k: 3, query: 'ai' } }
 * checkToolArguments(searchTool, {}) // { ok: false, problems: ["'query' is required"] }
 */
export function checkToolArguments(tool: ToolDescription, args: unknown): CheckedArguments {
  if (!isPlainObject(args)) return { ok: false, problems: ['the arguments must be a JSON object'] };
  const checked: Record<string, unknown> = { ...args };
  const problems: string[] = [];
  for (const [name, field] of Object.entries(tool.input_schema)) {
    const value = checked[name];
    if (!Object.hasOwn(checked, name) || value === null) {
      if (field.required !== false && field.default === undefined) problems.push(`'${name}' is required`);
      continue;
    }
    const coerced = laxCoerce(field.type ?? 'string', value);
    if (!coerced.ok) problems.push(`'${name}': ${coerced.msg}`);
    else if (field.enum && !field.enum.includes(coerced.value)) {
      problems.push(`'${name}' must be one of ${field.enum.map((item) => JSON.stringify(item)).join(', ')}`);
    } else checked[name] = coerced.value;
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, args: checked };
}
