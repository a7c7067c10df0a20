// Where things are in the monorepo, and which packages are published.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The monorepo root. */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** This package's directory. */
export const PACKAGING_DIR = fileURLToPath(new URL('../', import.meta.url));

export interface WorkspacePackage {
  /** `@flowllm/express` */
  name: string;
  /** `express`: the folder under packages/ */
  folder: string;
  /** Absolute path of the package directory. */
  dir: string;
  manifest: PackageManifest;
}

export interface PackageManifest {
  name: string;
  version: string;
  private?: boolean;
  description?: string;
  type?: string;
  exports?: Record<string, unknown>;
  files?: string[];
  engines?: Record<string, string>;
  sideEffects?: boolean;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  repository?: { type: string; url: string; directory?: string };
  homepage?: string;
  keywords?: string[];
  license?: string;
  scripts?: Record<string, string>;
  publishConfig?: Record<string, unknown>;
  [key: string]: unknown;
}

export function readJson<T = PackageManifest>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** Every package under packages/, in folder order. */
export function workspacePackages(): WorkspacePackage[] {
  const base = join(ROOT, 'packages');
  return readdirSync(base, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(base, entry.name, 'package.json')))
    .map((entry) => {
      const dir = join(base, entry.name);
      const manifest = readJson(join(dir, 'package.json'));
      return { name: manifest.name, folder: entry.name, dir, manifest };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The packages that are published to npm: every package under packages/ that is not private. */
export function publicPackages(): WorkspacePackage[] {
  return workspacePackages().filter((pkg) => !pkg.manifest.private);
}

/** The public package named `name`; throws when there is none. */
export function publicPackage(name: string): WorkspacePackage {
  const found = publicPackages().find((pkg) => pkg.name === name);
  if (!found) throw new Error(`${name} is not a public package of this workspace`);
  return found;
}

/** The version range of `name` declared in the root package.json or a workspace package. */
export function declaredRange(
  name: string,
  manifest: PackageManifest = readJson(join(ROOT, 'package.json')),
) {
  const range =
    manifest.dependencies?.[name] ?? manifest.devDependencies?.[name] ?? manifest.peerDependencies?.[name];
  if (!range) throw new Error(`${manifest.name ?? 'the root package.json'} declares no version of ${name}`);
  return range;
}
