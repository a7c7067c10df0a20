// `pnpm --filter @flowllm/bench run import-cost [-- --before=DIR]`: what installing and importing
// @flowllm/core costs a user. Packs packages/core (and, with --before, the built core of another
// checkout, e.g. a clone of the previous commit), installs each tarball with npm into a fresh project
// outside the workspace, measures its node_modules and the import time of @flowllm/core in cold
// processes against `yaml` alone, and writes the "Install size and import time" section of BENCHMARKS.md
// (bench/results/import-cost.md, which `pnpm bench` includes when it regenerates the file).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BENCH_DIR } from './ipc.js';
import { writeSavedSection } from './report.js';

const ROUNDS = 10;
const before = process.argv.find((arg) => arg.startsWith('--before='))?.slice('--before='.length);
// What the before checkout is, for the reader (e.g. "ab284df, where js-tiktoken was a dependency").
const beforeNote = process.argv
  .find((arg) => arg.startsWith('--before-note='))
  ?.slice('--before-note='.length);
const work = mkdtempSync(join(tmpdir(), 'flowllm-import-cost-'));

interface Install {
  label: string;
  dir: string;
  bytes: number;
}

const run = (command: string, args: string[], cwd: string) =>
  execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/**
 * `pnpm pack` of a package of a checkout, as it would be published (pnpm replaces core's `workspace:`
 * peer range on @flowllm/mcp with a version; npm would leave it, and npm install would refuse it).
 */
function pack(packageDir: string, destination: string): string {
  mkdirSync(destination, { recursive: true });
  run('npx', ['-y', 'pnpm@10.34.9', 'pack', '--pack-destination', destination], packageDir);
  const [tarball] = readdirSync(destination).filter((name) => name.endsWith('.tgz'));
  if (!tarball) throw new Error(`pnpm pack wrote no tarball for ${packageDir}`);
  return join(destination, tarball);
}

/** A fresh ESM project with `specs` installed as a user would, and the size of its node_modules. */
function install(label: string, specs: string[]): Install {
  const dir = join(work, label.replace(/\W+/g, '-'));
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...specs], dir);
  const bytes = Number(run('du', ['-sb', 'node_modules'], dir).split('\t')[0]);
  return { label, dir, bytes };
}

/** Milliseconds `import(specifier)` takes in a new node process started in `dir`. */
function importMs(dir: string, specifier: string): number {
  const code = `const t = performance.now(); await import(${JSON.stringify(specifier)}); process.stdout.write(String(performance.now() - t));`;
  return Number(run(process.execPath, ['--input-type=module', '-e', code], dir));
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
const ms = (value: number) => value.toFixed(0);

const packages = resolve(BENCH_DIR, '..', 'packages');
const current = pack(join(packages, 'core'), join(work, 'tarballs', 'after'));
const mcp = pack(join(packages, 'mcp'), join(work, 'tarballs', 'mcp'));
const installs: Install[] = [];
if (before) {
  installs.push(
    install('before', [pack(resolve(before, 'packages', 'core'), join(work, 'tarballs', 'before'))]),
  );
}
installs.push(install('after', [current]));
// The optional peers, each what a user who needs it adds on top of core.
const withPeers = [
  install('after, with @anthropic-ai/sdk', [current, '@anthropic-ai/sdk']),
  install('after, with @flowllm/mcp (and the MCP SDK)', [current, mcp]),
  install('after, with js-tiktoken', [current, 'js-tiktoken']),
];

// Interleaved rounds, so a slower moment of the machine lands on every variant alike.
const times = new Map<string, number[]>([
  ...installs.map((i) => [i.label, []] as [string, number[]]),
  ['yaml', []],
]);
const yamlDir = installs.at(-1)!.dir;
for (let round = 0; round < ROUNDS; round++) {
  for (const { label, dir } of installs) times.get(label)!.push(importMs(dir, '@flowllm/core'));
  times.get('yaml')!.push(importMs(yamlDir, 'yaml'));
}
const yamlMedian = median(times.get('yaml')!);

const rows = installs.map(({ label, bytes }) => {
  const samples = times.get(label)!;
  return `| ${label} | ${mb(bytes)} MB | ${ms(median(samples))} ms (${ms(Math.min(...samples))}–${ms(Math.max(...samples))}) | ${(median(samples) / yamlMedian).toFixed(1)}× |`;
});
const yamlSamples = times.get('yaml')!;
const section = `## Install size and import time

What a user of \`@flowllm/core\` pays before the first request. **Install:** the packed tarball
installed with \`npm install\` into a fresh project; \`du -sb node_modules\` (core and its dependencies).
**Import:** \`await import('@flowllm/core')\` timed with \`performance.now()\` inside each of ${ROUNDS} cold
\`node\` processes (median, min–max), and as a multiple of importing \`yaml\` alone (its dependency, the
same way, same rounds: median ${ms(yamlMedian)} ms, ${ms(Math.min(...yamlSamples))}–${ms(Math.max(...yamlSamples))}).${before ? ` **before:** ${beforeNote ?? 'the checkout given with `--before`'}; **after:** this tree.` : ''} The optional peers
(\`@anthropic-ai/sdk\`, \`@flowllm/mcp\`, \`js-tiktoken\`) are installed only by apps that use them: each
row below the first two adds one to core.

| @flowllm/core | install size | import time | × yaml |
| --- | ---: | ---: | ---: |
${rows.join('\n')}
${withPeers.map(({ label, bytes }) => `| ${label} | ${mb(bytes)} MB | – | – |`).join('\n')}

Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on Node ${process.version}, ${cpus().length} cores, load average ${loadavg()[0]!.toFixed(1)} at the end (other work on the machine widens the spread; the × yaml ratio, taken in the same rounds, moves less), with \`pnpm --filter @flowllm/bench run import-cost${before ? ' -- --before=<checkout>' : ''}\`.
`;

writeSavedSection('import-cost.md', section);
process.stdout.write(`${section}\nwrote bench/results/import-cost.md and its section of BENCHMARKS.md\n`);
rmSync(work, { recursive: true, force: true });
