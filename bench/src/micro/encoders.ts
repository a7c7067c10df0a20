// Chunks/s of each wire format's encoder (FlowLLM, AI SDK UI message stream, OpenAI chunks) as a ratio
// to FlowLLM's, in process. `pnpm --filter @flowllm/bench run bench:encoders` writes the "Protocol
// encoders" section of BENCHMARKS.md (and bench/results/encoder-cost.{md,json}).
//
//   --quick    tiny sizes (a second), print only
//   --rounds=N measured rounds (default 15)
import { loadavg } from 'node:os';
import { ENCODER_FULL_SIZES, ENCODER_QUICK_SIZES, measureEncoders } from '../encoder-cost.js';
import { encoderCostMarkdown, encoderCostText } from '../encoder-cost-report.js';
import { writeSavedSection } from '../report.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const rounds = args.find((arg) => arg.startsWith('--rounds='))?.slice('--rounds='.length);
const sizes = { ...(quick ? ENCODER_QUICK_SIZES : ENCODER_FULL_SIZES) };
if (rounds) sizes.rounds = Math.max(1, Number(rounds));

const date = new Date();
const run = measureEncoders(sizes, { log: (line) => process.stderr.write(`${line}\n`) });
process.stdout.write(`${encoderCostText(run)}\n`);
const command = `pnpm --filter @flowllm/bench run bench:encoders${rounds ? ` -- --rounds=${rounds}` : ''}`;
const section = encoderCostMarkdown(run, { date, command, loadAverage: loadavg()[0] ?? Number.NaN });
if (quick) process.stdout.write(`\n${section}`);
else {
  writeSavedSection('encoder-cost.md', section, { date, ...run });
  process.stdout.write(
    '\nwrote the Protocol encoders section of BENCHMARKS.md and bench/results/encoder-cost.{md,json}\n',
  );
}
