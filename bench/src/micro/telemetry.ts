// Events/s of a stream with the telemetry of this core — no SDK, the run timeline, the real SDK — as a
// ratio to the core built before telemetry. `pnpm --filter @flowllm/bench run bench:telemetry` writes the
// "OpenTelemetry cost" section of BENCHMARKS.md (and bench/results/telemetry-cost.{md,json}).
//
//   CORE_BEFORE=<dist/index.js of core before telemetry> (required), e.g. built from a69e8a2:
//     git archive a69e8a2 packages/core tsdown.base.ts tsconfig.base.json | tar -x -C /tmp/core-before
//     ln -s $PWD/packages/core/node_modules /tmp/core-before/packages/core/node_modules
//     ln -s $PWD/node_modules /tmp/core-before/node_modules
//     (cd /tmp/core-before/packages/core && npx tsdown)
//   --quick    tiny sizes (seconds), print only
//   --rounds=N measured rounds (default 15)
import { loadavg } from 'node:os';
import { writeSavedSection } from '../report.js';
import {
  measureTelemetryCost,
  TELEMETRY_FULL_SIZES,
  TELEMETRY_QUICK_SIZES,
  telemetryCostMarkdown,
  telemetryCostText,
} from '../telemetry-cost.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const rounds = args.find((arg) => arg.startsWith('--rounds='))?.slice('--rounds='.length);
const sizes = { ...(quick ? TELEMETRY_QUICK_SIZES : TELEMETRY_FULL_SIZES) };
if (rounds) sizes.rounds = Math.max(1, Number(rounds));
const before = process.env.CORE_BEFORE;
if (!before) throw new Error('set CORE_BEFORE to the dist/index.js of core built before telemetry');

const date = new Date();
const run = await measureTelemetryCost(
  sizes,
  { before, current: import.meta.resolve('@flowllm/core') },
  (line) => process.stderr.write(`${line}\n`),
);
process.stdout.write(`${telemetryCostText(run)}\n`);
const command = `CORE_BEFORE=… pnpm --filter @flowllm/bench run bench:telemetry${rounds ? ` -- --rounds=${rounds}` : ''}`;
const section = telemetryCostMarkdown(run, { date, command, loadAverage: loadavg()[0] ?? Number.NaN });
if (quick) process.stdout.write(`\n${section}`);
else {
  writeSavedSection('telemetry-cost.md', section, { date, ...run });
  process.stdout.write(
    '\nwrote the OpenTelemetry cost section of BENCHMARKS.md and bench/results/telemetry-cost.{md,json}\n',
  );
}
