// Every code sample in the README files and docs/ is compiled against the packed packages, installed in
// a fresh project outside the workspace; runnable ones are run, servers are started and streamed from.
// How a sample is marked: see src/doc-samples.ts.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  allSamples,
  brokenLinks,
  type DocSample,
  docFiles,
  docLine,
  sampleFileName,
  sampleSource,
} from '../src/doc-samples.js';
import { answerText, parseFlowLlmStream, streamFlow } from '../src/framing.js';
import { gatedStream, startNginx } from '../src/nginx.js';
import { makeTemp, npmInstall, packPublicPackages, removeTemp } from '../src/pack.js';
import { cleanEnv, run, startServer } from '../src/process.js';
import { SAMPLE_HARNESS } from '../src/sample-harness.js';
import { declaredRange, publicPackage, publicPackages, ROOT, readJson } from '../src/workspace.js';

const folders = publicPackages().map((pkg) => pkg.dir.slice(join(ROOT, 'packages').length + 1));
const { samples, problems } = allSamples(folders);
const compiled = samples.filter((sample) => ['check', 'run', 'serve'].includes(sample.mode));
const where = (sample: DocSample) => `${sample.doc}:${sample.line}`;

let work: string | undefined;
let project: string | undefined;
let diagnostics = '';

beforeAll(async () => {
  work = await makeTemp('docs');
  const tarballs = await packPublicPackages(join(work, 'tarballs'));
  const dir = join(work, 'app');
  const root = readJson(join(ROOT, 'package.json'));
  const core = publicPackage('@flowllm/core').manifest;
  const dependencies: Record<string, string> = {};
  for (const [name, file] of tarballs) dependencies[name] = `file:${file}`;
  // What the samples use besides our packages, at the majors the docs name.
  Object.assign(dependencies, {
    express: '5',
    koa: '3',
    fastify: '5',
    h3: '2',
    '@hono/node-server': declaredRange('@hono/node-server', core),
    openai: declaredRange('openai', core),
    '@anthropic-ai/sdk': declaredRange('@anthropic-ai/sdk', core),
    // The OpenTelemetry SDK an app registers (docs/observability.md): the 2.x line runs on Node 20.
    '@opentelemetry/api': declaredRange('@opentelemetry/api', core),
    '@opentelemetry/sdk-trace-node': '2',
    '@opentelemetry/sdk-metrics': '2',
  });
  const devDependencies = {
    typescript: declaredRange('typescript', root),
    typescript7: 'npm:typescript@7',
    '@types/node': declaredRange('@types/node', root),
    '@types/express': declaredRange('@types/express', publicPackage('@flowllm/express').manifest),
    '@types/koa': declaredRange('@types/koa', publicPackage('@flowllm/koa').manifest),
  };
  await mkdir(join(dir, 'samples'), { recursive: true });
  const manifest = { name: 'docs-samples', version: '1.0.0', private: true, type: 'module' };
  await writeFile(
    join(dir, 'package.json'),
    JSON.stringify({ ...manifest, dependencies, devDependencies }, null, 2),
  );
  const tsconfig = {
    compilerOptions: {
      target: 'ES2022',
      lib: ['ES2023', 'DOM', 'DOM.Iterable'],
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      moduleDetection: 'force',
      strict: true,
      skipLibCheck: true,
      allowJs: true,
      checkJs: true,
      types: ['node'],
      rootDir: 'samples',
      outDir: 'out',
    },
    include: ['samples'],
  };
  await writeFile(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
  await writeFile(join(dir, 'harness.mjs'), SAMPLE_HARNESS);
  await writeFile(join(dir, 'slow-backend.mjs'), SLOW_BACKEND);
  for (const sample of compiled)
    await writeFile(join(dir, 'samples', sampleFileName(sample)), sampleSource(sample));
  // The demo config the docs refer to by name (`config: 'my_stream_config'`).
  await writeFile(
    join(dir, 'my_stream_config.yaml'),
    readFileSync(join(ROOT, 'examples', 'standalone', 'my_stream_config.yaml'), 'utf8'),
  );
  await npmInstall(dir, []);
  // One type check of every sample with TypeScript 7 (native, fast); then TypeScript 5.9 emits the
  // JavaScript the runnable ones run from (`--noCheck`: checking is done).
  const check = await run(process.execPath, ['node_modules/typescript7/bin/tsc', '-p', '.', '--noEmit'], {
    cwd: dir,
    timeoutMs: 120_000,
  });
  diagnostics = check.stdout;
  await run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', '.', '--noCheck'], {
    cwd: dir,
    timeoutMs: 120_000,
  });
  project = dir;
}, 300_000);

afterAll(async () => {
  await removeTemp(work);
});

describe('the docs', () => {
  it('mark every code sample with how it is tested', () => {
    expect(problems.map((problem) => `${problem.doc}:${problem.line}: ${problem.message}`)).toEqual([]);
    expect(compiled.length).toBeGreaterThan(20);
  });

  it('link only to files and headings that exist', () => {
    const broken = docFiles(folders).flatMap((doc) =>
      brokenLinks(doc, readFileSync(join(ROOT, doc), 'utf8'), (path) => {
        const file = join(ROOT, path);
        if (!existsSync(file)) return undefined;
        return statSync(file).isDirectory() ? '' : readFileSync(file, 'utf8');
      }),
    );
    expect(broken.map((problem) => `${problem.doc}:${problem.line}: ${problem.message}`)).toEqual([]);
  });

  it('getting started: every framework streams its first token in under ten lines', () => {
    const starts = samples.filter(
      (sample) => sample.doc === 'docs/getting-started.md' && sample.mode === 'serve',
    );
    expect(starts.length).toBeGreaterThanOrEqual(6);
    for (const sample of starts) {
      const lines = sample.code.filter((line) => line.trim() !== '');
      expect(lines.length, `${where(sample)} has ${lines.length} lines`).toBeLessThan(10);
    }
  });

  it('every TypeScript and JavaScript sample type-checks against the packed packages', () => {
    const byFile = new Map(compiled.map((sample) => [sampleFileName(sample), sample]));
    const errors = diagnostics
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => {
        const match = /^samples\/([^(]+)\((\d+),(\d+)\): (.*)$/.exec(line);
        const sample = match ? byFile.get(match[1] ?? '') : undefined;
        return sample && match ? `${docLine(sample, Number(match[2]))}: ${match[4]}` : line;
      });
    expect(errors).toEqual([]);
  });
});

/** A flowllm server (from the packed core) whose flow streams ten tokens over a second, at / and /api. */
// Streams the first word, then holds the rest until POST /release (sent to it directly, not through
// nginx): the test tells a streaming proxy from a buffering one by what arrives before the release.
const SLOW_BACKEND = `import http from 'node:http';
import { BaseOp, createFlowService } from '@flowllm/core';

let release;
const released = new Promise((resolve) => { release = resolve; });
class GatedAnswerOp extends BaseOp {
  async execute() {
    const [first, ...rest] = 'one two three four five six seven eight nine ten'.split(' ');
    await this.context.addStreamChunkAndType(first);
    await released;
    for (const word of rest) await this.context.addStreamChunkAndType(' ' + word);
  }
}
const config = { flow: { chat: { flow_content: 'GatedAnswerOp()', stream: true } } };
const service = createFlowService(config, { env: {}, ops: [GatedAnswerOp] });
const server = http.createServer((request, response) => {
  // Mounted at / and at /api (as connect mounts middleware: the service sees the path below it).
  request.url = request.url.replace(/^\\/api(?=\\/)/, '');
  if (request.url === '/release') {
    release();
    response.end('released');
    return;
  }
  service.node(request, response);
});
server.listen(0, '127.0.0.1', () => console.log('LISTENING ' + server.address().port));
`;

const outFile = (sample: DocSample) =>
  join(
    'out',
    sampleFileName(sample)
      .replace(/\.ts$/, '.js')
      .replace(/\.cts$/, '.cjs')
      .replace(/\.mts$/, '.mjs'),
  );

describe.each(
  samples.filter((sample) => sample.mode === 'run').map((sample) => [where(sample), sample] as const),
)('the sample at %s', (_where, sample) => {
  it('runs to completion', async () => {
    const result = await run(process.execPath, ['--import', './harness.mjs', outFile(sample)], {
      cwd: project!,
      env: cleanEnv(),
      timeoutMs: 30_000,
    });
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
  }, 40_000);
});

describe.each(
  samples.filter((sample) => sample.mode === 'serve').map((sample) => [where(sample), sample] as const),
)('the server at %s', (_where, sample) => {
  it(`streams ${sample.options.path} in FlowLLM's framing`, async () => {
    expect(
      sample.options.path,
      'serve samples name the flow path: <!-- sample: serve path=/chat -->',
    ).toMatch(/^\//);
    const server = await startServer(process.execPath, ['--import', './harness.mjs', outFile(sample)], {
      cwd: project!,
      env: cleanEnv(),
      ipc: true,
    });
    try {
      await streamFlow(`http://127.0.0.1:${server.port}${sample.options.path}`, { query: 'What is AI?' });
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- sample output\n${server.output()}`);
    } finally {
      await server.stop();
    }
  });
});

describe.each(
  samples.filter((sample) => sample.mode === 'wire').map((sample) => [where(sample), sample] as const),
)('the stream at %s', (_where, sample) => {
  it("is FlowLLM's framing", () => {
    const body = `${sample.code.join('\n').replace(/\n+$/, '')}\n\n`;
    parseFlowLlmStream(body, {
      allowComments: 'comments' in sample.options,
      eventSource: 'event-source' in sample.options,
    });
  });
});

describe.each(
  samples.filter((sample) => sample.mode === 'config').map((sample) => [where(sample), sample] as const),
)('the config at %s', (_where, sample) => {
  it('loads without errors or warnings', async () => {
    const file = join(project!, `config_L${sample.line}.yaml`);
    await writeFile(file, sample.code.join('\n'));
    const script = `
        import { loadConfig } from '@flowllm/core';
        import { builtinBackends } from '@flowllm/core/models';
        const { warnings } = loadConfig({ configs: [${JSON.stringify(file)}], backends: builtinBackends.configBackends(), env: {}, dotenv: false });
        if (warnings.length) { console.error(JSON.stringify(warnings)); process.exit(1); }`;
    const result = await run(process.execPath, ['--input-type=module', '-e', script], {
      cwd: project!,
      env: cleanEnv(),
    });
    expect(result.code, result.stderr).toBe(0);
  });
});

describe.each(
  samples.filter((sample) => sample.mode === 'nginx').map((sample) => [where(sample), sample] as const),
)('the nginx configuration at %s', (_where, sample) => {
  const buffered = sample.options.expect === 'buffered';
  it(`${buffered ? 'buffers' : 'streams'} through a real nginx: the first chunk arrives ${buffered ? 'with the end' : 'before the backend sends the rest'}`, async () => {
    const backend = await startServer(process.execPath, ['slow-backend.mjs'], { cwd: project! });
    const nginxDir = join(work!, `nginx_L${sample.line}`);
    const nginx = await startNginx(nginxDir, sample.code.join('\n'), backend.port);
    try {
      const release = async () => {
        await fetch(`http://127.0.0.1:${backend.port}/release`, { method: 'POST' }).then((r) => r.text());
      };
      // Streaming: the wait is only a hang guard. Buffered: nginx holds the first chunk however long we
      // wait, so a short wait cannot fail a proxy that buffers.
      const { body, streamed } = await gatedStream(
        `http://127.0.0.1:${nginx.port}/api/chat`,
        release,
        buffered ? 1000 : 10_000,
      );
      expect(answerText(parseFlowLlmStream(body))).toBe('one two three four five six seven eight nine ten');
      expect(streamed).toBe(!buffered);
    } finally {
      await nginx.stop();
      await backend.stop();
    }
  });
});
