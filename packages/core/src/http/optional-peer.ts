import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * How {@link importOptionalPeer} treats a package that may be missing: the error when it is, and a
 * check of the copy found from the working directory before it is imported.
 *
 * @example
 * const options: OptionalPeer = { name: '@flowllm/redis', cwd: process.cwd(), missing: () => new Error('install it') };
 */
export interface OptionalPeer {
  name: string;
  /** Where a project's own copy is looked up when there is none beside this @flowllm/core. */
  cwd: string;
  /** The error for a package installed nowhere (says how to install it). */
  missing: () => Error;
  /**
   * Refuses a copy found from `cwd` before it is imported (e.g. one built on another core).
   * @default no check
   */
  checkFound?: (file: string) => void;
}

/**
 * Imports an optional peer of core (`@flowllm/mcp`, `@flowllm/redis`): the copy beside this
 * @flowllm/core first (an app's own install), then one resolved from `cwd` (a project's, when
 * flowllm runs from elsewhere). Only the package itself missing is `missing()`; any other import
 * failure (a broken install, a dependency of it missing) is thrown as it is.
 *
 * @example
 * const mcp = await importOptionalPeer({ name: '@flowllm/mcp', cwd: process.cwd(), missing: () => new Error('npm install @flowllm/mcp') });
 */
export async function importOptionalPeer(peer: OptionalPeer): Promise<unknown> {
  try {
    // A variable specifier: core's build must not try to bundle or type-check the optional peer.
    const specifier: string = peer.name;
    return await import(specifier);
  } catch (error) {
    if (!isMissingPackage(error, peer.name)) throw error;
    const file = resolveFrom(peer.cwd, peer.name);
    if (file === undefined) throw peer.missing();
    peer.checkFound?.(file);
    return import(pathToFileURL(file).href);
  }
}

/**
 * The file `specifier` resolves to from `directory` (as a module there would import it), or undefined.
 *
 * @example
 * resolveFrom(process.cwd(), '@flowllm/mcp'); // '/app/node_modules/@flowllm/mcp/dist/index.js'
 */
export function resolveFrom(directory: string, specifier: string): string | undefined {
  try {
    return createRequire(path.join(directory, 'package.json')).resolve(specifier);
  } catch {
    return undefined;
  }
}

/** Missing is the package itself, not something it imports (that is a broken install, said as is). */
function isMissingPackage(error: unknown, name: string): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return (
    (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') &&
    typeof message === 'string' &&
    message.includes(`'${name}'`)
  );
}
