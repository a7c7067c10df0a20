// What every published package.json and README must say, checked on the source manifests (the tarball
// tests check what pnpm pack makes of them).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { publicPackages } from '../src/workspace.js';

const FRAMEWORK_PEERS: Record<string, [string, string]> = {
  '@flowllm/express': ['express', '^5.0.0'],
  '@flowllm/koa': ['koa', '^3.0.0'],
  '@flowllm/fastify': ['fastify', '^5.0.0'],
  '@flowllm/h3': ['h3', '^2.0.0'],
};

/**
 * The adapters' range for core: any 0.x while core is below 1.0 (a `workspace:^` range would make
 * changesets release every core minor as a new major of the adapters, and with it of every linked
 * package); `workspace:^` from 1.0 on.
 */
const CORE_PEER = 'workspace:^0';

describe.each(publicPackages().map((pkg) => [pkg.name, pkg] as const))('%s', (name, pkg) => {
  const manifest = pkg.manifest;

  it('package.json: ESM exports with types first, sideEffects, files, engines, repository, homepage', () => {
    expect(manifest.type).toBe('module');
    expect(manifest.exports?.['.']).toEqual({ types: './dist/index.d.ts', default: './dist/index.js' });
    expect(manifest.exports?.['./package.json']).toBe('./package.json');
    expect(manifest.sideEffects).toBe(false);
    expect(manifest.files).toContain('dist');
    expect(manifest.engines).toEqual({ node: '>=20.19' });
    expect(manifest.license).toBe('Apache-2.0');
    expect(manifest.description?.length).toBeGreaterThan(20);
    expect(manifest.keywords).toContain('flowllm');
    expect(manifest.repository).toEqual({
      type: 'git',
      url: 'git+https://github.com/flowllm-node/flowllm-node.git',
      directory: `packages/${pkg.folder}`,
    });
    expect(manifest.homepage).toBe(
      `https://github.com/flowllm-node/flowllm-node/tree/main/packages/${pkg.folder}#readme`,
    );
    expect(manifest.publishConfig).toEqual({ access: 'public' });
  });

  it('package.json: an adapter peer-depends on core and its framework (at its current major), so an app holds one copy of each', () => {
    const peer = FRAMEWORK_PEERS[name];
    if (name === '@flowllm/core') {
      // Only apps that configure the `anthropic` backend install its SDK, only those serving or calling
      // MCP install @flowllm/mcp (and with it the MCP SDK), only those resuming streams through Redis
      // install @flowllm/redis (and the `redis` client), only those counting tokens with OpenAI's
      // tokenizer install js-tiktoken (22 MB); each is loaded lazily.
      expect(manifest.peerDependencies).toEqual({
        '@anthropic-ai/sdk': manifest.devDependencies?.['@anthropic-ai/sdk'],
        '@flowllm/mcp': CORE_PEER,
        '@flowllm/redis': CORE_PEER,
        'js-tiktoken': manifest.devDependencies?.['js-tiktoken'],
      });
      expect(manifest.peerDependenciesMeta).toEqual({
        '@anthropic-ai/sdk': { optional: true },
        '@flowllm/mcp': { optional: true },
        '@flowllm/redis': { optional: true },
        'js-tiktoken': { optional: true },
      });
      expect(manifest.dependencies?.['@anthropic-ai/sdk']).toBeUndefined();
      expect(manifest.dependencies?.['@flowllm/mcp']).toBeUndefined();
      expect(manifest.dependencies?.['@modelcontextprotocol/sdk']).toBeUndefined();
      expect(manifest.dependencies?.['js-tiktoken']).toBeUndefined();
      expect(manifest.dependencies?.redis).toBeUndefined();
      return;
    }
    if (name === '@flowllm/mcp' || name === '@flowllm/redis') {
      expect(manifest.peerDependencies).toEqual({ '@flowllm/core': CORE_PEER });
      expect(manifest.dependencies?.['@flowllm/core']).toBeUndefined();
      return;
    }
    if (!peer) {
      expect(manifest.peerDependencies ?? {}).toEqual({});
      return;
    }
    expect(manifest.peerDependencies).toEqual({ '@flowllm/core': CORE_PEER, [peer[0]]: peer[1] });
    for (const name of ['@flowllm/core', peer[0]])
      expect(manifest.dependencies?.[name], `${name} must not be a regular dependency`).toBeUndefined();
    // The adapter's own tests run against the workspace's core.
    expect(manifest.devDependencies?.['@flowllm/core']).toBe('workspace:^');
  });

  it('README: install, usage, options with defaults, compatibility, docs', () => {
    const readme = readFileSync(join(pkg.dir, 'README.md'), 'utf8');
    expect(readme.startsWith(`# ${name}\n`)).toBe(true);
    expect(readme).toMatch(new RegExp(`^npm install (--save-dev )?${name.replace('/', '\\/')}\\b`, 'm'));
    expect(readme).toMatch(/<!-- sample: (run|serve|check)/);
    expect(readme).toMatch(/^\| option \| default \| meaning \|$/m);
    // The compatibility table: this package's versions against the framework, Node, TypeScript.
    expect(readme).toMatch(new RegExp(`^\\| ${name.replace('/', '\\/')} \\| .*\\|$\\n^\\| --- \\|`, 'm'));
    expect(readme).toMatch(/≥ 20\.19/);
    expect(readme).toMatch(/\]\(\.\.\/\.\.\/docs\/[a-z-]+\.md\)/);
    expect(readme).toMatch(/Apache-2\.0/);
  });
});
