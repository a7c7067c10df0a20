// A package's public surface, read from what it ships: for each entry point of its `exports` (the root
// and every subpath such as `@flowllm/core/ops`), the runtime export names of its built JavaScript and
// the exported names of its declarations, with the JSDoc of each.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import type { WorkspacePackage } from './workspace.js';

/** One JavaScript entry point of a package's `exports`: `@flowllm/core` or `@flowllm/core/ops`. */
export interface EntryPoint {
  /** What an import names: the package, or the package and the subpath. */
  name: string;
  /** Absolute path of the built JavaScript. */
  js: string;
  /** Absolute path of its declarations. */
  dts: string;
}

type ExportTarget = { types?: string; default?: string } | string;

/** The JavaScript entry points of a package (not `./package.json` or data files such as a JSON schema). */
export function entryPoints(pkg: WorkspacePackage): EntryPoint[] {
  const exports = (pkg.manifest.exports ?? {}) as Record<string, ExportTarget>;
  return Object.entries(exports).flatMap(([key, target]) => {
    if (typeof target !== 'object' || !target.types || !target.default?.endsWith('.js')) return [];
    const name = key === '.' ? pkg.name : `${pkg.name}${key.slice(1)}`;
    return [{ name, js: join(pkg.dir, target.default), dts: join(pkg.dir, target.types) }];
  });
}

export interface ApiSurface {
  /** Names `import * as pkg` has at run time, sorted. */
  runtime: string[];
  /** Names the declarations export as types only (interfaces, type aliases), sorted. */
  types: string[];
}

export interface DocIssue {
  symbol: string;
  problem: string;
}

/** The runtime export names of the built entry point, read by a fresh Node process. */
export function runtimeExports(entryPoint: EntryPoint): string[] {
  const known = runtimes.get(entryPoint.js);
  if (known) return known;
  const entry = pathToFileURL(entryPoint.js).href;
  const script = `const m = await import(${JSON.stringify(entry)}); console.log(JSON.stringify(Object.keys(m)));`;
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  const names = (JSON.parse(output) as string[]).sort();
  runtimes.set(entryPoint.js, names);
  return names;
}

const programs = new Map<string, ReturnType<typeof createDeclarationProgram>>();
const runtimes = new Map<string, string[]>();

/** The declarations of the entry point, read once per test file. */
function declarationProgram(entryPoint: EntryPoint) {
  const known = programs.get(entryPoint.dts);
  if (known) return known;
  const program = createDeclarationProgram(entryPoint);
  programs.set(entryPoint.dts, program);
  return program;
}

function createDeclarationProgram(entryPoint: EntryPoint) {
  const file = entryPoint.dts;
  const program = ts.createProgram([file], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    skipLibCheck: true,
    noEmit: true,
    types: ['node'],
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  if (!source) throw new Error(`${entryPoint.name}: ${file} is missing: build the package first`);
  const moduleSymbol = checker.getSymbolAtLocation(source);
  if (!moduleSymbol) throw new Error(`${entryPoint.name}: ${file} is not a module`);
  const exports = checker.getExportsOfModule(moduleSymbol).map((symbol) => ({
    name: symbol.name,
    target: symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol,
    // `export { type FlowApp }`: a class exported for its type only has no value at run time.
    typeOnly: (symbol.declarations ?? []).some(
      (declaration) =>
        ts.isExportSpecifier(declaration) && (declaration.isTypeOnly || declaration.parent.parent.isTypeOnly),
    ),
  }));
  return { checker, exports };
}

/** Declared exports: the value names (which must equal the runtime ones) and the type-only names. */
export function declaredExports(entryPoint: EntryPoint): { values: string[]; types: string[] } {
  const { exports } = declarationProgram(entryPoint);
  const values: string[] = [];
  const types: string[] = [];
  for (const { name, target, typeOnly } of exports)
    (target.flags & ts.SymbolFlags.Value && !typeOnly ? values : types).push(name);
  return { values: values.sort(), types: types.sort() };
}

export function apiSurface(entryPoint: EntryPoint): ApiSurface {
  return { runtime: runtimeExports(entryPoint), types: declaredExports(entryPoint).types };
}

const OPTIONS_NAME = /Options$/;

/**
 * What the API docs lack: every export needs a JSDoc comment with an `@example`; every property of an
 * exported `…Options` type needs a comment, and an optional one a `@default`.
 */
export function docIssues(entryPoint: EntryPoint): DocIssue[] {
  const { checker, exports } = declarationProgram(entryPoint);
  const issues: DocIssue[] = [];
  for (const { name, target } of exports) {
    const text = ts.displayPartsToString(target.getDocumentationComment(checker)).trim();
    const tags = target.getJsDocTags(checker);
    if (!text) issues.push({ symbol: name, problem: 'no JSDoc comment' });
    if (!tags.some((tag) => tag.name === 'example')) issues.push({ symbol: name, problem: 'no @example' });
    if (!OPTIONS_NAME.test(name) || target.flags & ts.SymbolFlags.Value) continue;
    for (const property of checker.getDeclaredTypeOfSymbol(target).getProperties()) {
      const where = `${name}.${property.name}`;
      if (!ts.displayPartsToString(property.getDocumentationComment(checker)).trim()) {
        issues.push({ symbol: where, problem: 'no JSDoc comment' });
      }
      const optional = (property.flags & ts.SymbolFlags.Optional) !== 0;
      if (optional && !property.getJsDocTags(checker).some((tag) => tag.name === 'default')) {
        issues.push({ symbol: where, problem: 'optional, but no @default' });
      }
    }
  }
  return issues;
}
