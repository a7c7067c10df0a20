// Two copies of @flowllm/core in one process (an app that ended up with its own copy beside the one an
// adapter resolves): a service or app made by one copy must still be recognised by an adapter built
// against the other — by its brand symbol, since `instanceof` fails across copies.
import { cp, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTemp, removeTemp } from '../src/pack.js';
import { run } from '../src/process.js';
import { PACKAGING_DIR, publicPackage } from '../src/workspace.js';

const core = publicPackage('@flowllm/core');

let work: string | undefined;
let copyUrl: string;

beforeAll(async () => {
  work = await makeTemp('two-copies');
  // A second copy of the built package: its own files, so Node loads it as distinct modules; its
  // dependencies (yaml, openai…) are the workspace's.
  const copy = join(work, 'core-copy');
  // What the package ships (its `files`), and its manifest.
  for (const folder of core.manifest.files ?? [])
    await cp(join(core.dir, folder), join(copy, folder), { recursive: true });
  await cp(join(core.dir, 'package.json'), join(copy, 'package.json'));
  await symlink(join(core.dir, 'node_modules'), join(copy, 'node_modules'), 'dir');
  copyUrl = pathToFileURL(join(copy, 'dist', 'index.js')).href;
});

afterAll(async () => {
  await removeTemp(work);
});

/** Runs an ES module in a plain Node process (no test runner), from this package so `@flowllm/*` resolve. */
async function runModule(source: string): Promise<string> {
  const file = join(work!, `check-${Math.random().toString(36).slice(2)}.mjs`);
  await writeFile(file, source);
  const result = await run(process.execPath, [file], { cwd: PACKAGING_DIR, timeoutMs: 60_000 });
  expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
  return result.stdout.trim();
}

const PRELUDE = (copyUrl: string) => `
import http from 'node:http';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
// The workspace's packages as this package resolves them (the adapters' dist, built against core's dist).
const load = (name) => import(pathToFileURL(createRequire(${JSON.stringify(`${PACKAGING_DIR}/`)}).resolve(name)).href);
const other = await import(${JSON.stringify(copyUrl)});
const main = await load('@flowllm/core');
const { flowllmExpress } = await load('@flowllm/express');
const { flowllmH3 } = await load('@flowllm/h3');
const config = {
  llm: { default: { backend: 'mock', answer: 'elsewhere' } },
  flow: { chat: { flow_content: 'StreamChatOp()', stream: true } },
};
async function listen(handler) {
  const server = http.createServer((req, res) => handler(req, res, () => res.writeHead(404).end('host')));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: 'http://127.0.0.1:' + server.address().port };
}
`;

describe('two copies of @flowllm/core in one process', () => {
  it('are distinct module instances: instanceof fails across them', async () => {
    const output = await runModule(`${PRELUDE(copyUrl)}
const service = other.createFlowService(config, { env: {} });
console.log(JSON.stringify({ distinct: other.FlowService !== main.FlowService, instanceOf: service instanceof main.FlowService }));
`);
    expect(JSON.parse(output)).toEqual({ distinct: true, instanceOf: false });
  });

  it("an adapter built against one copy serves the other copy's service as it is (shutdown reaches it)", async () => {
    const output = await runModule(`${PRELUDE(copyUrl)}
const service = other.createFlowService(config, { env: {} });
const { server, url } = await listen(flowllmExpress(service));
const health = await fetch(url + '/health').then((r) => r.text());
service.shutdown();
const afterShutdown = await fetch(url + '/health').then((r) => r.status);
const fetched = await flowllmH3(service).fetch(new Request('http://localhost/health')).then((r) => r.status);
server.close();
console.log(JSON.stringify({ health, afterShutdown, fetched }));
`);
    // 503 after shutdown: the adapter serves that very service, not a new one built from it.
    expect(JSON.parse(output)).toEqual({ health: '{"status":"healthy"}', afterShutdown: 503, fetched: 503 });
  });

  it("an adapter built against one copy shares the other copy's app (its flows, its models)", async () => {
    const output = await runModule(`${PRELUDE(copyUrl)}
const app = other.createFlowApp({ config, env: {} });
const { server, url } = await listen(flowllmExpress(app));
const body = await fetch(url + '/chat', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"hi"}' }).then((r) => r.text());
server.close();
console.log(JSON.stringify({ sawAnswer: body.includes('"elsewhere"'), completed: app.resources.llm('default').stats.completed }));
`);
    expect(JSON.parse(output)).toEqual({ sawAnswer: true, completed: 1 });
  });
});
