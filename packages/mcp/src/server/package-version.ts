import { readFileSync } from 'node:fs';

let version: string | undefined;

/**
 * The version of `@flowllm/mcp`, from its package.json (found from `dist/` and from `src/server/`).
 *
 * @example
 * packageVersion(); // '0.1.0'
 */
export function packageVersion(): string {
  version ??= readVersion();
  return version;
}

function readVersion(): string {
  for (const relative of ['../package.json', '../../package.json']) {
    try {
      const manifest = JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8'));
      if (manifest.name === '@flowllm/mcp') return String(manifest.version);
    } catch {
      // Not there from this file's folder: try the next one.
    }
  }
  return '0.0.0';
}
