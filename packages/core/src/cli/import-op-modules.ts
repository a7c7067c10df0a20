import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { corePackageRoot } from '../config/locate.js';
import { errorMessage } from '../errors.js';
import { BaseOp, type OpClass } from '../op/base-op.js';
import { isOpClassName } from '../op/naming.js';
import type { OpRegistry } from '../op/op-registry.js';

/**
 * An `ops=` module that cannot be used. The message is one line naming the module.
 *
 * @example
 * throw new OpModuleError("ops module './my_ops.js' not found: no file /work/my_ops.js");
 */
export class OpModuleError extends Error {
  override name = 'OpModuleError';
}

/**
 * What the `ops=` modules brought: the op classes they export (for `createFlowApp({ ops })`) and
 * warnings for modules that added no op at all.
 *
 * @example
 * const { classes, warnings }: ImportedOps = await importOpModules(['./my_ops.js'], { cwd, registry });
 */
export interface ImportedOps {
  classes: OpClass[];
  warnings: string[];
}

/**
 * Imports the `ops=` modules in order: paths (relative to `cwd`, or absolute), `file:` URLs, or
 * package names resolved from `cwd`. A module adds ops by calling `registerOp` (into `registry`, the
 * default one) or by exporting classes that extend `BaseOp` (returned in `classes`). Throws an
 * `OpModuleError` for a module that is missing, fails to import, exports an op class built on
 * another copy of @flowllm/core, or exports another class under a name an earlier module exported.
 *
 * @example
 * const { classes } = await importOpModules(['./my_ops.js', 'my-ops-package'], { cwd: process.cwd(), registry: defaultOpRegistry });
 * const app = createFlowApp({ overrides: argv, ops: classes });
 */
export async function importOpModules(
  specifiers: readonly string[],
  options: { cwd: string; registry: OpRegistry },
): Promise<ImportedOps> {
  const exportedBy = new Map<string, { cls: OpClass; specifier: string }>();
  const warnings: string[] = [];
  for (const specifier of specifiers) {
    const url = moduleUrl(specifier, options.cwd);
    const before = snapshot(options.registry);
    let namespace: Record<string, unknown>;
    try {
      namespace = await import(url);
    } catch (error) {
      throw new OpModuleError(importFailure(specifier, url, error));
    }
    const exported = exportedOpClasses(specifier, namespace);
    for (const cls of exported) {
      const earlier = exportedBy.get(cls.name);
      if (earlier && earlier.cls !== cls) {
        throw new OpModuleError(
          `ops modules '${earlier.specifier}' and '${specifier}' both export an op class named ${cls.name}`,
        );
      }
      exportedBy.set(cls.name, { cls, specifier });
    }
    const registered = changedNames(before, snapshot(options.registry));
    if (exported.length === 0 && registered.length === 0) {
      warnings.push(
        `ops module '${specifier}' added no ops: export classes extending BaseOp, or call registerOp from the @flowllm/core this flowllm runs (${corePackageRoot()})`,
      );
    }
  }
  return { classes: [...exportedBy.values()].map(({ cls }) => cls), warnings };
}

/** `./x.js`, `../x.js`, `.` and absolute paths are files; anything else with a scheme is a URL; the rest a package. */
function moduleUrl(specifier: string, cwd: string): string {
  if (/^\.{1,2}([\\/]|$)/.test(specifier) || path.isAbsolute(specifier)) {
    const file = path.resolve(cwd, specifier);
    if (!existsSync(file)) throw new OpModuleError(`ops module '${specifier}' not found: no file ${file}`);
    return pathToFileURL(file).href;
  }
  if (/^[a-z][a-z\d+.-]*:/i.test(specifier)) return specifier;
  let resolved: string;
  try {
    resolved = createRequire(path.join(cwd, 'package.json')).resolve(specifier);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') {
      // E.g. a package that exports for `import` only: let import() resolve it (from this flowllm).
      return specifier;
    }
    const hint = existsSync(path.resolve(cwd, specifier))
      ? ` (for the file here, write ops=./${specifier})`
      : '';
    throw new OpModuleError(
      `ops module '${specifier}' not found: no such package is installed in ${cwd} or above${hint}`,
    );
  }
  return path.isAbsolute(resolved) ? pathToFileURL(resolved).href : resolved;
}

/** The module's exported op classes; one built on another copy of @flowllm/core is refused. */
function exportedOpClasses(specifier: string, namespace: Record<string, unknown>): OpClass[] {
  const classes: OpClass[] = [];
  for (const value of new Set(Object.values(namespace))) {
    if (typeof value !== 'function' || !isOpClassName(value.name)) continue;
    if (value.prototype instanceof BaseOp) classes.push(value as OpClass);
    else if (extendsForeignBaseOp(value)) {
      throw new OpModuleError(
        `ops module '${specifier}' exports ${value.name}, which extends the BaseOp of another copy of @flowllm/core than this flowllm's (${corePackageRoot()}); run the project's own flowllm (npx flowllm)`,
      );
    }
  }
  return classes;
}

function extendsForeignBaseOp(cls: unknown): boolean {
  for (let parent = Object.getPrototypeOf(cls); parent && parent !== Function.prototype; ) {
    if (parent.name === 'BaseOp') return true;
    parent = Object.getPrototypeOf(parent);
  }
  return false;
}

function snapshot(registry: OpRegistry): Map<string, OpClass> {
  return new Map(registry.names().map((name) => [name, registry.get(name)]));
}

function changedNames(before: Map<string, OpClass>, after: Map<string, OpClass>): string[] {
  return [...after].filter(([name, cls]) => before.get(name) !== cls).map(([name]) => name);
}

/** One line: what failed, and where in the user's code when the stack says so. */
function importFailure(specifier: string, url: string, error: unknown): string {
  const message = errorMessage(error).split('\n')[0];
  const failure = `cannot import ops module '${specifier}': ${error instanceof Error ? `${error.name}: ` : ''}${message}`;
  if (error instanceof SyntaxError) {
    // Node keeps the line of an ES module syntax error out of the error object.
    const file = url.startsWith('file:') ? fileURLToPath(url) : '<file>';
    return `${failure} (\`node --check ${file}\` shows the line)`;
  }
  if ((error as NodeJS.ErrnoException).code === 'ERR_UNKNOWN_FILE_EXTENSION') {
    return `${failure} (flowllm imports JavaScript: compile TypeScript to .js first)`;
  }
  const location = userFrame(error);
  return location ? `${failure} (at ${location})` : failure;
}

/** The first stack frame in a file outside @flowllm/core's own code: where the user's module threw. */
function userFrame(error: unknown): string | undefined {
  const stack = error instanceof Error ? (error.stack ?? '') : '';
  const own = ['dist', 'src'].map((dir) => path.join(corePackageRoot(), dir) + path.sep);
  // Frames name a file: URL (ES modules) or an absolute path (CommonJS).
  for (const [, place = '', line, column] of stack.matchAll(
    /((?:file:\/\/)?(?:\/|[A-Za-z]:\\)[^\s()]*?):(\d+):(\d+)/g,
  )) {
    const file = place.startsWith('file:') ? fileURLToPath(place) : place;
    if (!own.some((dir) => file.startsWith(dir))) return `${file}:${line}:${column}`;
  }
  return undefined;
}
