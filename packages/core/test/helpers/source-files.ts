import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** packages/core/src, for tests that read the source itself. */
export const CORE_SRC = fileURLToPath(new URL('../../src/', import.meta.url));

/** The repository root. */
export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/**
 * Every .ts file under `dir` (recursively), with its path relative to `dir` ('/'-separated) and text.
 *
 * @example
 * sourceFiles(CORE_SRC).find((file) => file.path === 'engine/flow-app.ts');
 */
export function sourceFiles(dir: string): { path: string; text: string }[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .sort()
    .map((name) => ({
      path: relative(dir, join(dir, name)).split('\\').join('/'),
      text: readFileSync(join(dir, name), 'utf8'),
    }));
}
