// A package's public surface, read from what it ships: the runtime export names of dist/index.js and
// the exported names of dist/index.d.ts, with the JSDoc of each.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import type { WorkspacePackage } from './workspace.js';

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
export function runtimeExports(pkg: WorkspacePackage): string[] {
  const known = runtimes.get(pkg.dir);
  if (known) return known;
  const entry = pathToFileURL(join(pkg.dir, 'dist', 'index.js')).href;
  const script = `const m = await import(${JSON.stringify(entry)}); console.log(JSON.stringify(Object.keys(m)));`;
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  const names = (JSON.parse(output) as string[]).sort();
  runtimes.set(pkg.dir, names);
  return names;
}

const programs = new Map<string, ReturnType<typeof createDeclarationProgram>>();
const runtimes = new Map<string, string[]>();

/** The declarations of the package, read once per test file. */
function declarationProgram(pkg: WorkspacePackage) {
  const known = programs.get(pkg.dir);
  if (known) return known;
  const program = createDeclarationProgram(pkg);
  programs.set(pkg.dir, program);
  return program;
}

function createDeclarationProgram(pkg: WorkspacePackage) {
  const file = join(pkg.dir, 'dist', 'index.d.ts');
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
  if (!source) throw new Error(`${pkg.name}: ${file} is missing: build the package first`);
  const moduleSymbol = checker.getSymbolAtLocation(source);
  if (!moduleSymbol) throw new Error(`${pkg.name}: ${file} is not a module`);
  const exports = checker.getExportsOfModule(moduleSymbol).map((symbol) => ({
    name: symbol.name,
    target: symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol,
  }));
  return { checker, exports };
}

/** Declared exports: the value names (which must equal the runtime ones) and the type-only names. */
export function declaredExports(pkg: WorkspacePackage): { values: string[]; types: string[] } {
  const { exports } = declarationProgram(pkg);
  const values: string[] = [];
  const types: string[] = [];
  for (const { name, target } of exports) (target.flags & ts.SymbolFlags.Value ? values : types).push(name);
  return { values: values.sort(), types: types.sort() };
}

export function apiSurface(pkg: WorkspacePackage): ApiSurface {
  return { runtime: runtimeExports(pkg), types: declaredExports(pkg).types };
}

const OPTIONS_NAME = /Options$/;

/**
 * What the API docs lack: every export needs a JSDoc comment with an `@example`; every property of an
 * exported `…Options` type needs a comment, and an optional one a `@default`.
 */
export function docIssues(pkg: WorkspacePackage): DocIssue[] {
  const { checker, exports } = declarationProgram(pkg);
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
