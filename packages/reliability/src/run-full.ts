// `pnpm reliability`: runs the whole suite at the full size, then regenerates RELIABILITY.md from its figures.
// The report is written only when every test passed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, release, tmpdir, totalmem, type } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findNginx } from './nginx.js';
import { type Figures, renderReport } from './render-report.js';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const reportPath = join(packageDir, '..', '..', 'RELIABILITY.md');
const results = mkdtempSync(join(tmpdir(), 'flowllm-reliability-'));
const started = performance.now();

const vitest = join(packageDir, 'node_modules', '.bin', 'vitest');
const run = spawnSync(
  vitest,
  ['run', '--config', 'vitest.config.ts', '--dir', 'test', ...process.argv.slice(2)],
  {
    cwd: packageDir,
    stdio: 'inherit',
    env: { ...process.env, RELIABILITY_SIZE: 'full', RELIABILITY_RESULTS: results },
  },
);
const minutes = (performance.now() - started) / 60_000;
if (run.status !== 0) {
  rmSync(results, { recursive: true, force: true });
  console.error(`\nThe reliability suite failed (exit ${run.status}); RELIABILITY.md was not changed.`);
  process.exit(run.status ?? 1);
}

const figures: Figures[] = readdirSync(results)
  .filter((file) => file.endsWith('.json'))
  .map((file) => JSON.parse(readFileSync(join(results, file), 'utf8')) as Figures);
rmSync(results, { recursive: true, force: true });

// `nginx -v` prints to stderr.
const version = spawnSync(findNginx(), ['-v'], { encoding: 'utf8' });
const nginx = `nginx ${(version.stderr || version.stdout).trim().replace(/^nginx version: nginx\//, '')}`;

const report = renderReport(
  figures,
  {
    cpu: cpus()[0]?.model.trim() ?? 'unknown CPU',
    cores: cpus().length,
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    os: `${type()} ${release()}`,
    nginx,
  },
  {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    minutes,
    command: 'pnpm reliability',
    size: 'full',
  },
);
writeFileSync(reportPath, report);
console.log(`\nRELIABILITY.md written (${figures.length} figure sets, ${minutes.toFixed(1)} minutes).`);
