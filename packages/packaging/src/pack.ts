// `pnpm pack` of the public packages, and fresh npm projects outside the workspace to install them in.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { cleanEnv, NPM_CACHE, pnpmCommand, runOk } from './process.js';
import { publicPackages, ROOT, type WorkspacePackage } from './workspace.js';

/** name → absolute path of its tarball */
export type Tarballs = Map<string, string>;

/**
 * A new temporary directory that is certainly outside the workspace (so nothing resolves through the
 * workspace's node_modules). Removed by `removeTemp` unless FLOWLLM_PACKAGING_KEEP is set.
 */
export async function makeTemp(prefix: string): Promise<string> {
  const dir = await realpath(await mkdtemp(join(tmpdir(), `flowllm-${prefix}-`)));
  if (!relative(ROOT, dir).startsWith('..')) {
    throw new Error(`the temporary directory ${dir} is inside the workspace ${ROOT}; set TMPDIR elsewhere`);
  }
  return dir;
}

export async function removeTemp(dir: string | undefined): Promise<void> {
  if (!dir) return;
  if (process.env.FLOWLLM_PACKAGING_KEEP) {
    console.log(`kept ${dir} (FLOWLLM_PACKAGING_KEEP)`);
    return;
  }
  await rm(dir, { recursive: true, force: true });
}

function tarballName(pkg: WorkspacePackage): string {
  return `${pkg.name.replace(/^@/, '').replace('/', '-')}-${pkg.manifest.version}.tgz`;
}

/**
 * `pnpm pack` every public package into `destination`, as `pnpm publish` would pack it (workspace:
 * ranges replaced by real versions, only `files` included). The packages must be built: turbo runs
 * their `build` before this package's `test`.
 */
export async function packPublicPackages(destination: string): Promise<Tarballs> {
  const packages = publicPackages();
  const unbuilt = packages.filter((pkg) => !existsSync(join(pkg.dir, 'dist')));
  if (unbuilt.length > 0) {
    throw new Error(
      `not built: ${unbuilt.map((pkg) => pkg.name).join(', ')}. Run \`npx turbo run build\` first ` +
        '(`pnpm test` does), and list every public package in @flowllm/packaging devDependencies so turbo builds it first.',
    );
  }
  await mkdir(destination, { recursive: true });
  const pnpm = pnpmCommand();
  const tarballs: Tarballs = new Map();
  await Promise.all(
    packages.map(async (pkg) => {
      await runOk(pnpm.command, [...pnpm.prefix, 'pack', '--pack-destination', destination], {
        cwd: pkg.dir,
        env: cleanEnv(),
        timeoutMs: 120_000,
      });
      const file = join(destination, tarballName(pkg));
      if (!existsSync(file)) throw new Error(`pnpm pack of ${pkg.name} did not write ${file}`);
      tarballs.set(pkg.name, file);
    }),
  );
  return tarballs;
}

/** Writes `package.json` of a new ESM project (what `npm init` and `"type": "module"` give a user). */
export async function initProject(dir: string, name: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const manifest = { name, version: '1.0.0', private: true, type: 'module' };
  await writeFile(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
}

/**
 * `npm install` in `dir`, with the shared cache (`--prefer-offline`: cached metadata is used without
 * asking the registry again). `specs` are what a user types: names, `name@range`, tarball paths.
 */
export async function npmInstall(dir: string, specs: string[], options: { dev?: boolean } = {}) {
  const args = [
    'install',
    ...(options.dev ? ['--save-dev'] : []),
    '--no-audit',
    '--no-fund',
    '--prefer-offline',
    '--loglevel=error',
    `--cache=${NPM_CACHE}`,
    ...specs,
  ];
  await runOk('npm', args, { cwd: dir, env: cleanEnv(), timeoutMs: 240_000 });
}
