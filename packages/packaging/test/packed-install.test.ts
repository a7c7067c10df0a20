// The packages as users get them: `pnpm pack`ed tarballs installed with npm into fresh projects
// outside the workspace, one app per framework, written as ES modules, as CommonJS and in TypeScript.
// Every app starts a real server on port 0 and streams a flow on the offline mock model. A project with
// @flowllm/core alone shows what the optional @anthropic-ai/sdk peer means for a user.
import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkPackage, createPackageFromTarballData } from '@arethetypeswrong/core';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerText, streamFlow } from '../src/framing.js';
import { makeTemp, npmInstall, packPublicPackages, removeTemp, type Tarballs } from '../src/pack.js';
import { run, runOk, startServer } from '../src/process.js';
import { installLines, readmeDependencies, readmeInstallLines } from '../src/readme-install.js';
import {
  declaredRange,
  PACKAGING_DIR,
  type PackageManifest,
  publicPackage,
  publicPackages,
  ROOT,
  readJson,
} from '../src/workspace.js';

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
  await Promise.all([
    ...FRAMEWORKS.map(async ({ framework, adapter, types }) => {
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
    installDeclarationsProject(root),
    installCoreOnlyProject(),
    installMcpProject(),
  ]);
}, 300_000);

/** @flowllm/core alone, as `npm install @flowllm/core` leaves it: no optional peer. */
async function installCoreOnlyProject(): Promise<void> {
  const dir = join(work!, 'core-only-app');
  await cp(join(PACKAGING_DIR, 'consumers', 'core-only'), dir, { recursive: true });
  const manifest = { name: 'core-only-app', version: '1.0.0', private: true, type: 'module' };
  await writeFile(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  await npmInstall(dir, [tarballs.get('@flowllm/core')!]);
  projects.set('core-only', dir);
}

/** @flowllm/core with @flowllm/mcp, as `npm install @flowllm/mcp @flowllm/core` leaves them. */
async function installMcpProject(): Promise<void> {
  const dir = join(work!, 'mcp-app');
  await cp(join(PACKAGING_DIR, 'consumers', 'mcp'), dir, { recursive: true });
  const manifest = { name: 'mcp-app', version: '1.0.0', private: true, type: 'module' };
  await writeFile(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  await npmInstall(dir, [tarballs.get('@flowllm/core')!, tarballs.get('@flowllm/mcp')!]);
  projects.set('mcp', dir);
}

/** Every adapter with its framework, and @types/node as the only @types package. */
async function installDeclarationsProject(root: PackageManifest): Promise<void> {
  const dir = join(work!, 'declarations-app');
  await cp(join(PACKAGING_DIR, 'consumers', 'declarations'), dir, { recursive: true });
  const dependencies = Object.assign(
    {},
    ...FRAMEWORKS.map(({ adapter }) => readmeDependencies(publicPackage(adapter), tarballs)),
  );
  const devDependencies = {
    typescript: declaredRange('typescript', root),
    typescript7: 'npm:typescript@7',
    '@types/node': declaredRange('@types/node', root),
  };
  const manifest = { name: 'declarations-app', version: '1.0.0', private: true, type: 'module' };
  await writeFile(
    join(dir, 'package.json'),
    `${JSON.stringify({ ...manifest, dependencies, devDependencies }, null, 2)}\n`,
  );
  await npmInstall(dir, []);
  projects.set('declarations', dir);
}

/** The `@types/*` packages the TypeScript line of a `## <framework>` section of getting-started.md installs. */
async function gettingStartedTypes(framework: string): Promise<string[]> {
  const guide = await readFile(join(ROOT, 'docs', 'getting-started.md'), 'utf8');
  const section = guide.split(/^## /m).find((part) => part.startsWith(`${framework}\n`)) ?? '';
  const line = installLines(section).find((candidate) => candidate.dev);
  return Object.keys(line?.packages ?? {}).filter((name) => name.startsWith('@types/'));
}

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

    it('installs from the README line, with core and the framework, which the adapter peer-depends on', async () => {
      const line = readmeInstallLines(publicPackage(adapter)).find((candidate) => !candidate.dev);
      expect(Object.keys(line?.packages ?? {})).toEqual(
        expect.arrayContaining([adapter, '@flowllm/core', framework]),
      );
      // One copy of core: the app's, which the adapter uses too.
      expect(existsSync(join(dir(), 'node_modules', adapter, 'node_modules', '@flowllm', 'core'))).toBe(
        false,
      );
      expect(existsSync(join(dir(), 'node_modules', '@flowllm', 'core', 'package.json'))).toBe(true);
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

    it('getting started installs exactly the @types this app installs', async () => {
      expect((await gettingStartedTypes(framework)).sort()).toEqual(['@types/node', ...types].sort());
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

describe("the adapters' declarations", () => {
  it('type-check with skipLibCheck off and @types/node as the only @types (TypeScript 7 and 5.9)', async () => {
    const dir = projects.get('declarations')!;
    expect(await readdir(join(dir, 'node_modules', '@types'))).toEqual(['node']);
    for (const tsc of ['typescript7', 'typescript']) {
      await runOk(process.execPath, [`node_modules/${tsc}/bin/tsc`, '-p', '.', '--noEmit'], {
        cwd: dir,
        timeoutMs: 90_000,
      });
    }
  }, 200_000);

  it('make a misspelt config key a compile error: without its @ts-expect-error, each marked line of src/config-typos.ts fails (TypeScript 7 and 5.9)', async () => {
    // The check above compiled the file with its directives, so each marked line has an error (an
    // unused directive is one too); here, without them, the errors must be on exactly those lines.
    const dir = projects.get('declarations')!;
    const source = await readFile(join(dir, 'src', 'config-typos.ts'), 'utf8');
    const lines = source.split('\n');
    const isDirective = (line: string) => /^\s*\/\/ @ts-expect-error/.test(line);
    const marked = lines.flatMap((line, index) => (isDirective(line) ? [index + 2] : []));
    expect(marked.length).toBeGreaterThanOrEqual(9);
    const unmarked = join(dir, 'unmarked');
    await mkdir(unmarked, { recursive: true });
    const stripped = lines.map((line) => (isDirective(line) ? '' : line));
    await writeFile(join(unmarked, 'config-typos.ts'), stripped.join('\n'));
    await writeFile(
      join(unmarked, 'tsconfig.json'),
      JSON.stringify({ extends: '../tsconfig.json', compilerOptions: { rootDir: '.' }, include: ['.'] }),
    );
    for (const tsc of ['typescript7', 'typescript']) {
      const result = await run(
        process.execPath,
        [`node_modules/${tsc}/bin/tsc`, '-p', 'unmarked', '--noEmit', '--pretty', 'false'],
        { cwd: dir, timeoutMs: 90_000 },
      );
      const output = result.stdout + result.stderr;
      // `file(line,col): error` (tsc) or `file:line:col - error` (the native compiler).
      const errorLines = [...output.matchAll(/config-typos\.ts[(:](\d+)[,:]\d+\)?:? -? ?error/g)].map((m) =>
        Number(m[1]),
      );
      expect(result.code, output).not.toBe(0);
      expect([...new Set(errorLines)], `${tsc}\n${output}`).toEqual(marked);
    }
  }, 200_000);
});

describe('@flowllm/core installed alone (no @anthropic-ai/sdk or js-tiktoken, optional peers)', () => {
  const dir = () => projects.get('core-only')!;
  const start = (backend: string) => run(process.execPath, ['start.mjs', backend], { cwd: dir() });

  it('exports @flowllm/core/config.schema.json, the JSON Schema YAML editors load', async () => {
    const script =
      "import { readFileSync } from 'node:fs'; const url = new URL(import.meta.resolve('@flowllm/core/config.schema.json'));" +
      ' console.log(JSON.parse(readFileSync(url, "utf8")).properties.flow.additionalProperties.required);';
    const result = await runOk(process.execPath, ['--input-type=module', '-e', script], { cwd: dir() });
    expect(result.stdout.trim()).toBe("[ 'flow_content' ]");
  });

  it('installs without @anthropic-ai/sdk, and its code imports no provider SDK up front', async () => {
    expect(existsSync(join(dir(), 'node_modules', '@anthropic-ai'))).toBe(false);
    // Nor the `redis` client (only @flowllm/redis has it, for resumable streams across instances).
    expect(existsSync(join(dir(), 'node_modules', 'redis'))).toBe(false);
    expect(existsSync(join(dir(), 'node_modules', 'openai', 'package.json'))).toBe(true);
    const dist = join(dir(), 'node_modules', '@flowllm', 'core', 'dist');
    for (const file of (await readdir(dist)).filter((name) => name.endsWith('.js'))) {
      const code = await readFile(join(dist, file), 'utf8');
      expect(code, file).not.toMatch(/\bfrom\s*["'](openai|@anthropic-ai\/sdk)["']/);
    }
  });

  it('an app on the openai_compatible backend starts', async () => {
    const result = await start('openai_compatible');
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('started with openai_compatible\n');
    expect(result.code).toBe(0);
  });

  it('installs without js-tiktoken; a flow counting tokens with `openai` fails at start, naming the package', async () => {
    expect(existsSync(join(dir(), 'node_modules', 'js-tiktoken'))).toBe(false);
    const result = await run(process.execPath, ['count-tokens.mjs'], { cwd: dir() });
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/needs js-tiktoken: npm install js-tiktoken/);
    expect(result.code).toBe(1);
  });

  it('an app on the anthropic backend fails at start: a ConfigError naming the entry and the package to install', async () => {
    const result = await start('anthropic');
    expect(result.stdout).toBe('');
    // `FLOWLLM_CONFIG: <where the entry is defined>: llm.default: …`
    expect(result.stderr).toMatch(
      /^FLOWLLM_CONFIG: .*\bllm\.default: anthropic model m1: install @anthropic-ai\/sdk \(npm install @anthropic-ai\/sdk\)/,
    );
    expect(result.code).toBe(1);
  });
});

describe('MCP lives in @flowllm/mcp: core alone installs no MCP SDK', () => {
  it('core alone: no @modelcontextprotocol/sdk installed, and `flowllm backend=mcp` says what to install', async () => {
    const dir = projects.get('core-only')!;
    expect(existsSync(join(dir, 'node_modules', '@modelcontextprotocol'))).toBe(false);
    const result = await run(join(dir, 'node_modules', '.bin', 'flowllm'), ['backend=mcp'], { cwd: dir });
    expect(result.stderr).toContain('backend=mcp needs @flowllm/mcp: npm install @flowllm/mcp');
    expect(result.code).toBe(2);
  });

  it('with @flowllm/mcp: `flowllm backend=mcp mcp.transport=stdio` lists the flows as tools and runs one', async () => {
    const dir = projects.get('mcp')!;
    const result = await runOk(process.execPath, ['call-over-stdio.mjs'], { cwd: dir });
    expect(JSON.parse(result.stdout)).toEqual({
      server: 'FlowLLM',
      tools: ['chat'],
      answer: 'Hello from the packed MCP server',
      exit: 0,
    });
  });
});

describe('the tarballs', () => {
  it('hold the built package only: package.json, README, dist (and core configs and config.schema.json), no workspace: ranges', async () => {
    for (const pkg of publicPackages()) {
      const tarball = tarballs.get(pkg.name)!;
      const attw = createPackageFromTarballData(new Uint8Array(await readFile(tarball)));
      const files = attw.listFiles().map((file) => file.replace(/^\/node_modules\/[^/]+\/[^/]+\//, ''));
      const unexpected = files.filter(
        (file) =>
          !/^(package\.json|README\.md|LICENSE|dist\/.+|configs\/.+\.yaml|config\.schema\.json)$/.test(file),
      );
      expect(unexpected, `${pkg.name} packs unexpected files`).toEqual([]);
      expect(files).toContain('README.md');
      if (pkg.name === '@flowllm/core') expect(files).toContain('config.schema.json');
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
