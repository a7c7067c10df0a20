// A throw-away copy of the workspace's release-relevant files, for commands that rewrite them
// (`changeset version`) and must never run in the real repository.
import { cp, mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { runOk } from './process.js';
import { ROOT, readJson } from './workspace.js';

/** The workspace's package folders, as pnpm-workspace.yaml lists them (packages/*, examples/*, bench). */
async function packageFolders(): Promise<string[]> {
  const folders: string[] = [];
  for (const parent of ['packages', 'examples']) {
    for (const entry of await readdir(join(ROOT, parent), { withFileTypes: true })) {
      if (entry.isDirectory()) folders.push(`${parent}/${entry.name}`);
    }
  }
  folders.push('bench');
  return folders;
}

/**
 * Copies into `target`: the root manifest and workspace file, `.changeset/`, and of every package its
 * package.json, README.md, dist/ and configs/. Links each `workspace:` dependency the way `pnpm install`
 * does (pnpm publish reads the linked package's version), links the root node_modules (for the
 * changesets CLI and its changelog generator), and commits everything to a new git repository.
 */
export async function copyRepoForRelease(target: string): Promise<void> {
  await mkdir(target, { recursive: true });
  for (const file of ['package.json', 'pnpm-workspace.yaml', '.changeset']) {
    await cp(join(ROOT, file), join(target, file), { recursive: true });
  }
  const byName = new Map<string, string>();
  for (const folder of await packageFolders()) {
    let manifest: { name: string };
    try {
      manifest = readJson(join(ROOT, folder, 'package.json'));
    } catch {
      continue; // a folder without a package.json is not a workspace package
    }
    byName.set(manifest.name, folder);
    for (const part of ['package.json', 'README.md', 'dist', 'configs']) {
      await cp(join(ROOT, folder, part), join(target, folder, part), { recursive: true }).catch((error) => {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      });
    }
  }
  for (const folder of byName.values()) {
    const manifest = readJson(join(target, folder, 'package.json'));
    const ranges = {
      ...manifest.dependencies,
      ...manifest.devDependencies,
      ...manifest.peerDependencies,
    };
    for (const [name, range] of Object.entries(ranges)) {
      const dependency = byName.get(name);
      if (!range.startsWith('workspace:') || !dependency) continue;
      const link = join(target, folder, 'node_modules', name);
      await mkdir(dirname(link), { recursive: true });
      await symlink(relative(dirname(link), join(target, dependency)), link);
    }
  }
  await symlink(join(ROOT, 'node_modules'), join(target, 'node_modules'));
  await writeFile(join(target, '.gitignore'), 'node_modules/\ndist/\n');
  const git = (args: string[]) => runOk('git', args, { cwd: target });
  await git(['init', '-q', '-b', 'main']);
  await git(['add', '-A']);
  await git([
    '-c',
    'user.email=release@example.invalid',
    '-c',
    'user.name=release',
    '-c',
    'commit.gpgsign=false',
    'commit',
    '-q',
    '-m',
    'copy',
  ]);
}
