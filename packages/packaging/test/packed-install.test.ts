// The packages as users get them: `pnpm pack`ed tarballs installed with npm into fresh projects
// outside the workspace, one app per framework, written as ES modules, as CommonJS and in TypeScript.
// Every app starts a real server on port 0 and streams a flow on the offline mock model.
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkPackage, createPackageFromTarballData } from '@arethetypeswrong/core';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerText, streamFlow } from '../src/framing.js';
import { makeTemp, npmInstall, packPublicPackages, removeTemp, type Tarballs } from '../src/pack.js';
import { runOk, startServer } from '../src/process.js';
import { readmeDependencies, readmeInstallLines } from '../src/readme-install.js';
import { declaredRange, PACKAGING_DIR, publicPackage, publicPackages, readJson } from '../src/workspace.js';

const FRAMEWORKS = [
  { framework: 'express', adapter: '@flowllm/express', types: ['@types/express'] },
  { framework: 'koa', adapter: '@flowllm/koa', types: ['@types/koa'] },
  { framework: 'fastify', adapter: '@flowllm/fastify', types: [] },
  { framework: 'h3', adapter: '@flowllm/h3', types: [] },
] as const;

/** The answer the consumers' mock model gives. */
const ANSWER = 'Hello from the packed tarballs';

let work: string | undefined;
let tarballs: Tarballs;
const projects = new Map<string, string>();

beforeAll(async () => {
  work = await makeTemp('packed');
  tarballs = await packPublicPackages(join(work, 'tarballs'));
  const root = readJson(join(PACKAGING_DIR, '..', '..', 'package.json'));
  await Promise.all(
    FRAMEWORKS.map(async ({ framework, adapter, types }) => {
      const dir = join(work!, `${framework}-app`);
      const adapterPackage = publicPackage(adapter);
      await cp(join(PACKAGING_DIR, 'consumers', framework), dir, { recursive: true });
      const devDependencies: Record<string, string> = {
        typescript: declaredRange('typescript', root),
        // The TypeScript a new user gets today (`npm install -D typescript`): the native compiler.
        typescript7: 'npm:typescript@7',
        '@types/node': declaredRange('@types/node', root),
      };
      for (const name of types) devDependencies[name] = declaredRange(name, adapterPackage.manifest);
      const manifest = {
        name: `${framework}-app`,
        version: '1.0.0',
        private: true,
        type: 'module',
        dependencies: readmeDependencies(adapterPackage, tarballs),
        devDependencies,
      };
      await writeFile(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
      await npmInstall(dir, []);
      projects.set(framework, dir);
    }),
  );
}, 300_000);

afterAll(async () => {
  await removeTemp(work);
});

/** Starts `node <args>` in the app's project and checks what a user of the app would see. */
async function checkApp(dir: string, args: string[]): Promise<void> {
  const server = await startServer(process.execPath, args, { cwd: dir });
  try {
    const base = `http://127.0.0.1:${server.port}`;
    const chunks = await streamFlow(`${base}/api/chat`, { query: 'hi' });
    expect(answerText(chunks)).toBe(ANSWER);
    const health = await fetch(`${base}/api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'healthy' });
    // The host app's own route still answers: the adapter leaves other paths alone.
    const own = await fetch(`${base}/`);
    expect(await own.text()).toBe('the host app');
  } catch (error) {
    throw new Error(`${(error as Error).message}\n--- server output\n${server.output()}`);
  } finally {
    await server.stop();
  }
}

describe.each(FRAMEWORKS)(
  'a $framework app built on the packed tarballs',
  ({ framework, adapter, types }) => {
    const dir = () => projects.get(framework)!;

    it('installs from the README line, with the framework at the major the peer range allows', async () => {
      const line = readmeInstallLines(publicPackage(adapter)).find((candidate) => !candidate.dev);
      expect(Object.keys(line?.packages ?? {})).toEqual(expect.arrayContaining([adapter, framework]));
      const peer = publicPackage(adapter).manifest.peerDependencies?.[framework];
      const installed = readJson(join(dir(), 'node_modules', framework, 'package.json')).version;
      expect(peer, `${adapter} declares ${framework} as a peer`).toMatch(/^\^\d+\.\d+\.\d+$/);
      expect(installed.split('.')[0]).toBe(peer!.slice(1).split('.')[0]);
      // The README's TypeScript line names the framework's types.
      const dev = readmeInstallLines(publicPackage(adapter)).find((candidate) => candidate.dev);
      expect(Object.keys(dev?.packages ?? {})).toEqual(
        expect.arrayContaining(['typescript', '@types/node', ...types]),
      );
    });

    it('an ES module app (import) streams a flow', async () => {
      await checkApp(dir(), ['esm.mjs']);
    });

    it('a CommonJS app (require() of the ESM-only packages, Node >= 20.19) streams a flow', async () => {
      await checkApp(dir(), ['cjs.cjs']);
    });

    it('a TypeScript app type-checks (module nodenext) with TypeScript 7 and 5.9', async () => {
      // TypeScript 7 (native, fast) checks every declaration file too, ours included (skipLibCheck off,
      // but for h3, see its tsconfig); 5.9 checks the app and emits out/app.js (ESM) and
      // out/app-cjs.cjs (CommonJS), which the next test runs.
      await runOk(process.execPath, ['node_modules/typescript7/bin/tsc', '-p', '.', '--noEmit'], {
        cwd: dir(),
        timeoutMs: 60_000,
      });
      await runOk(process.execPath, ['node_modules/typescript/bin/tsc', '-p', '.', '--skipLibCheck'], {
        cwd: dir(),
        timeoutMs: 90_000,
      });
    }, 120_000);

    it('the compiled TypeScript apps, ESM and CommonJS, stream a flow', async () => {
      await checkApp(dir(), ['out/app.js']);
      await checkApp(dir(), ['out/app-cjs.cjs']);
    });
  },
);

describe('the tarballs', () => {
  it('hold the built package only: package.json, README, dist (and core configs), no workspace: ranges', async () => {
    for (const pkg of publicPackages()) {
      const tarball = tarballs.get(pkg.name)!;
      const attw = createPackageFromTarballData(new Uint8Array(await readFile(tarball)));
      const files = attw.listFiles().map((file) => file.replace(/^\/node_modules\/[^/]+\/[^/]+\//, ''));
      const unexpected = files.filter(
        (file) => !/^(package\.json|README\.md|LICENSE|dist\/.+|configs\/.+\.yaml)$/.test(file),
      );
      expect(unexpected, `${pkg.name} packs unexpected files`).toEqual([]);
      expect(files).toContain('README.md');
      const manifest = JSON.parse(attw.readFile(`/node_modules/${pkg.name}/package.json`)) as {
        dependencies?: Record<string, string>;
        peerDependencies?: Record<string, string>;
      };
      const ranges = JSON.stringify({ ...manifest.dependencies, ...manifest.peerDependencies });
      expect(ranges, `${pkg.name} publishes a workspace: range`).not.toContain('workspace:');
    }
  });

  it('pass publint (every suggestion counts) and are-the-types-wrong', async () => {
    const problems: string[] = [];
    for (const pkg of publicPackages()) {
      const data = await readFile(tarballs.get(pkg.name)!);
      const tarball = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
      const lint = await publint({ pack: { tarball }, level: 'suggestion', strict: true });
      for (const message of lint.messages)
        problems.push(`${pkg.name}: publint: ${formatMessage(message, lint.pkg)}`);
      const result = await checkPackage(createPackageFromTarballData(new Uint8Array(data)));
      if (result.types === false) {
        problems.push(`${pkg.name}: attw: no types`);
        continue;
      }
      for (const problem of result.problems) {
        // ESM-only by design (docs/esm-only.md): `require()` from CommonJS resolves to ESM, which Node
        // >= 20.19 and TypeScript >= 5.8 (nodenext) support; the CommonJS apps above prove it.
        const resolution = 'resolutionKind' in problem ? problem.resolutionKind : undefined;
        if (problem.kind === 'CJSResolvesToESM' && resolution === 'node16-cjs') continue;
        problems.push(`${pkg.name}: attw: ${JSON.stringify(problem)}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
