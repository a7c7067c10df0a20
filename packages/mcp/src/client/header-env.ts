import { FlowllmError } from '@flowllm/core';

// FlowLLM writes `Authorization: "Bearer {BAILIAN_MCP_API_KEY}"` and fills it with Python's
// `str.format(**os.environ)`: `{NAME}` is a variable, `{{` and `}}` are literal braces.
const PLACEHOLDER = /\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * Header values of an `external_mcp` entry with FlowLLM's `{VAR}` placeholders filled from `env`,
 * and the secrets to keep out of error messages (the variables filled in and each whole value). A variable that is not set is an
 * error naming the server, the header and the variable — never a value.
 *
 * @example
 * fillHeaders('tongyi_search', { Authorization: 'Bearer {KEY}' }, { KEY: 'sk-1' });
 * // { headers: { Authorization: 'Bearer sk-1' }, secrets: ['sk-1', 'Bearer sk-1'] }
 */
export function fillHeaders(
  server: string,
  headers: Readonly<Record<string, string>> | undefined,
  env: Readonly<Record<string, string | undefined>>,
): { headers: Record<string, string>; secrets: string[] } {
  const filled: Record<string, string> = {};
  const secrets: string[] = [];
  for (const [name, template] of Object.entries(headers ?? {})) {
    filled[name] = template.replace(PLACEHOLDER, (match, variable: string | undefined) => {
      if (variable === undefined) return match[0] as string;
      const value = env[variable];
      if (value === undefined || value === '') {
        throw new FlowllmError(
          'FLOWLLM_TOOL',
          `MCP server '${server}': header '${name}' needs the environment variable ${variable}, which is not set`,
          { expose: true },
        );
      }
      secrets.push(value);
      return value;
    });
    // A key may also be written into the config as is: every header value counts as a secret.
    secrets.push(filled[name] as string);
  }
  return { headers: filled, secrets };
}

/**
 * `text` with every secret replaced by `***`: SDK and server messages may echo a header.
 *
 * @example
 * redact('HTTP 401 for token sk-1', ['sk-1']); // 'HTTP 401 for token ***'
 */
export function redact(text: string, secrets: readonly string[]): string {
  let safe = text;
  for (const secret of secrets) if (secret.length > 0) safe = safe.split(secret).join('***');
  return safe;
}
