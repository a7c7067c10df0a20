import { FlowllmError } from '../errors.js';

/**
 * Fills a prompt template the way FlowLLM does: a line starting with `[flag]` is kept (without the
 * marker) when the boolean variable `flag` is true and dropped when it is false; then every `{field}`
 * is replaced (`{{` and `}}` give literal braces). A missing field is an error naming it.
 *
 * @example
 * formatPrompt('Hi {name}\n[formal]Dear guest,', { name: 'Ada', formal: false }) // 'Hi Ada'
 */
export function formatPrompt(
  template: string,
  variables: Record<string, unknown>,
  promptName = 'prompt',
): string {
  const lines: string[] = [];
  for (const line of template.trim().split('\n')) {
    const flag = /^\[([A-Za-z_][A-Za-z0-9_]*)\]/.exec(line);
    const value = flag ? variables[flag[1]!] : undefined;
    if (flag && typeof value === 'boolean') {
      if (value) lines.push(line.slice(flag[0].length));
      continue;
    }
    lines.push(line);
  }
  return lines.join('\n').replace(/\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (match, field?: string) => {
    if (field === undefined) return match[0]!;
    if (!Object.hasOwn(variables, field)) {
      throw new FlowllmError('FLOWLLM_PROMPT', `prompt '${promptName}' needs a value for {${field}}`);
    }
    return stringify(variables[field]);
  });
}

function stringify(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
