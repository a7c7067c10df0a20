// Releases: changesets configured for the public packages only, a changeset for every package that was
// never released, `changeset version` working (in a copy of the repository, never here), and a publish
// dry run of the versioned packages.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import parse from '@changesets/parse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTemp, removeTemp } from '../src/pack.js';
import { cleanEnv, pnpmCommand, runOk } from '../src/process.js';
import { copyRepoForRelease } from '../src/repo-copy.js';
import { PACKAGING_DIR, publicPackages, ROOT, readJson, workspacePackages } from '../src/workspace.js';

interface ChangesetConfig {
  access: string;
  baseBranch: string;
  ignore: string[];
  linked: string[][];
  fixed: string[][];
  privatePackages: { version: boolean; tag: boolean };
}

const config = readJson<ChangesetConfig>(join(ROOT, '.changeset', 'config.json'));
const changesets = readdirSync(join(ROOT, '.changeset'))
  .filter((file) => file.endsWith('.md') && file !== 'README.md')
  .map((file) => ({ file, ...parse(readFileSync(join(ROOT, '.changeset', file), 'utf8')) }));
const pending = new Set(changesets.flatMap((changeset) => changeset.releases.map((release) => release.name)));
const CHANGESET_BIN = join(ROOT, 'node_modules', '@changesets', 'cli', 'bin.js');

describe('changesets', () => {
  it('release the public packages only: private ones are never versioned or tagged', () => {
    expect(config.privatePackages).toEqual({ version: false, tag: false });
    expect(config.access).toBe('public');
    const publicNames = publicPackages().map((pkg) => pkg.name);
    expect(config.ignore.filter((name) => publicNames.includes(name))).toEqual([]);
    for (const pkg of workspacePackages()) {
      // bench, conformance, reliability, packaging and the examples must stay private.
      if (!publicNames.includes(pkg.name)) expect(pkg.manifest.private, pkg.name).toBe(true);
    }
    const examples = readdirSync(join(ROOT, 'examples')).filter((name) =>
      existsSync(join(ROOT, 'examples', name, 'package.json')),
    );
    for (const name of examples) {
      expect(readJson(join(ROOT, 'examples', name, 'package.json')).private, `examples/${name}`).toBe(true);
    }
    expect(readJson(join(ROOT, 'bench', 'package.json')).private, 'bench').toBe(true);
  });

  it('a changeset announces the first release of every package that was never released', () => {
    const unannounced = publicPackages()
      .filter((pkg) => pkg.manifest.version === '0.0.0' && !pending.has(pkg.name))
      .map((pkg) => pkg.name);
    expect(unannounced, 'add one with `pnpm changeset`').toEqual([]);
  });

  it('every public package is a devDependency of @flowllm/packaging, so turbo builds it before these tests', () => {
    const manifest = readJson(join(PACKAGING_DIR, 'package.json'));
    for (const pkg of publicPackages())
      expect(manifest.devDependencies?.[pkg.name], pkg.name).toBe('workspace:*');
  });

  it('the root package.json has the release scripts', () => {
    const scripts = readJson(join(ROOT, 'package.json')).scripts ?? {};
    expect(scripts.release).toMatch(/turbo run .*build.*&& changeset publish$/);
    expect(scripts.release).toMatch(/\blint\b/);
    expect(scripts.release).toMatch(/\btest\b/);
  });
});

describe('in a copy of the repository', () => {
  let copy: string | undefined;
  const before = new Map(workspacePackages().map((pkg) => [pkg.name, pkg.manifest.version]));

  beforeAll(async () => {
    copy = await makeTemp('release');
    await copyRepoForRelease(copy);
    await runOk(process.execPath, [CHANGESET_BIN, 'version'], {
      cwd: copy,
      env: cleanEnv(),
      timeoutMs: 60_000,
    });
  }, 120_000);

  afterAll(async () => {
    await removeTemp(copy);
  });

  const manifestIn = (pkg: { dir: string }) =>
    readJson(join(copy!, pkg.dir.slice(ROOT.length), 'package.json'));

  it('`changeset version` bumps every package with a changeset, writes its CHANGELOG and consumes the changesets', () => {
    const versions = new Set<string>();
    for (const pkg of publicPackages()) {
      const version = manifestIn(pkg).version;
      if (!pending.has(pkg.name)) {
        expect(version, pkg.name).toBe(before.get(pkg.name));
        continue;
      }
      expect(version, pkg.name).not.toBe(before.get(pkg.name));
      versions.add(version);
      const changelog = readFileSync(join(copy!, pkg.dir.slice(ROOT.length), 'CHANGELOG.md'), 'utf8');
      expect(changelog).toContain(`## ${version}`);
    }
    // linked: packages released together share one version.
    if (config.linked.some((group) => group.includes('@flowllm/*')))
      expect(versions.size).toBeLessThanOrEqual(1);
    // A minor of core stays a minor of its peer-dependent adapters, not a 1.0.0 of everything.
    for (const version of versions) expect(version).toMatch(/^0\./);
    const left = readdirSync(join(copy!, '.changeset')).filter(
      (file) => file.endsWith('.md') && file !== 'README.md',
    );
    expect(left).toEqual([]);
  });

  it('`changeset version` leaves private packages alone', () => {
    for (const pkg of workspacePackages().filter((candidate) => candidate.manifest.private)) {
      expect(manifestIn(pkg).version, pkg.name).toBe(before.get(pkg.name));
      expect(existsSync(join(copy!, pkg.dir.slice(ROOT.length), 'CHANGELOG.md')), pkg.name).toBe(false);
    }
  });

  it('a publish dry run (`pnpm publish -r --dry-run`, what `changeset publish` runs) packs every bumped package', async () => {
    const pnpm = pnpmCommand();
    const { stdout, stderr } = await runOk(
      pnpm.command,
      [...pnpm.prefix, 'publish', '-r', '--dry-run', '--no-git-checks'],
      { cwd: copy!, env: cleanEnv(), timeoutMs: 120_000 },
    );
    const output = `${stdout}\n${stderr}`;
    for (const pkg of publicPackages().filter((candidate) => pending.has(candidate.name))) {
      expect(output, `${pkg.name} was not published`).toContain(`+ ${pkg.name}@${manifestIn(pkg).version}`);
    }
    for (const pkg of workspacePackages().filter((candidate) => candidate.manifest.private)) {
      expect(output).not.toContain(`+ ${pkg.name}@`);
    }
  }, 150_000);

  it('the packed adapters peer-depend on @flowllm/core in a range the new version satisfies', async () => {
    const core = publicPackages().find((pkg) => pkg.name === '@flowllm/core')!;
    const express = publicPackages().find((pkg) => pkg.name === '@flowllm/express')!;
    const pnpm = pnpmCommand();
    const dir = join(copy!, express.dir.slice(ROOT.length));
    const { stdout } = await runOk(pnpm.command, [...pnpm.prefix, 'pack', '--json'], {
      cwd: dir,
      env: cleanEnv(),
    });
    const packed = JSON.parse(stdout.slice(stdout.indexOf('{'))) as { filename: string };
    const listing = await runOk('tar', ['-xzOf', packed.filename, 'package/package.json'], { cwd: dir });
    const manifest = JSON.parse(listing.stdout) as {
      dependencies?: Record<string, string>;
      peerDependencies: Record<string, string>;
    };
    expect(manifest.dependencies?.['@flowllm/core']).toBeUndefined();
    // `workspace:^0` packs as `^0`: every 0.x core, the new one included.
    expect(manifest.peerDependencies['@flowllm/core']).toBe('^0');
    expect(manifestIn(core).version).toMatch(/^0\.\d+\.\d+$/);
  });
});
