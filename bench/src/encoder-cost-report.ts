import {
  ENCODERS,
  type EncoderCostRun,
  type EncoderResult,
  ratioToFlowllm,
  spread,
  WORKLOADS,
} from './encoder-cost.js';
import { machine } from './report.js';

const fixed = (value: number, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : '–');
const millions = (value: number) => (Number.isFinite(value) ? `${(value / 1e6).toFixed(2)}M` : '–');
const labelOf = (result: EncoderResult) => ENCODERS.find((encoder) => encoder.name === result.encoder)!.label;
const baseOf = (run: EncoderCostRun, result: EncoderResult) =>
  run.results.find((other) => other.workload === result.workload && other.encoder === 'flowllm');
/** CPU µs per chunk from a median of chunks per CPU second. */
const microseconds = (perSecond: number[]) => 1e6 / spread(perSecond).mid;

function figures(run: EncoderCostRun, result: EncoderResult) {
  const perSecond = spread(result.perSecond);
  const ratio = ratioToFlowllm(run, result);
  const base = baseOf(run, result);
  const flowllm = result.encoder === 'flowllm';
  return {
    perSecond: `${millions(perSecond.mid)} (${millions(perSecond.min)}–${millions(perSecond.max)})`,
    ratio: flowllm ? '1×' : `${fixed(ratio.mid)}× (${fixed(ratio.min)}–${fixed(ratio.max)})`,
    us: fixed(microseconds(result.perSecond), 3),
    bytes: flowllm ? '1×' : `${fixed(result.bytes / (base?.bytes ?? Number.NaN))}×`,
  };
}

/** The table for the terminal: one line per workload and encoder. */
export function encoderCostText(run: EncoderCostRun): string {
  return run.results
    .map((result) => {
      const f = figures(run, result);
      return `${result.workload.padEnd(13)} ${result.encoder.padEnd(8)} ${f.perSecond.padStart(24)} chunks/s  × FlowLLM ${f.ratio.padEnd(20)} ${String(result.events).padStart(5)} events  ${String(result.bytes).padStart(7)} B/stream`;
    })
    .join('\n');
}

/**
 * One encoder against FlowLLM's over the workloads: the range of median ratios, the extra CPU per chunk,
 * and where every round said "slower" (range below 1×) or could not tell (range spanning 1×).
 */
function verdict(run: EncoderCostRun, encoder: EncoderResult['encoder']): string {
  const rows = run.results.filter((result) => result.encoder === encoder);
  const ratios = rows.map((result) => ratioToFlowllm(run, result));
  const extra = rows.map((result) => {
    const base = baseOf(run, result);
    return microseconds(result.perSecond) - (base ? microseconds(base.perSecond) : Number.NaN);
  });
  const names = (pick: (index: number) => boolean) => {
    const picked = rows.filter((_, index) => pick(index)).map((result) => result.workload);
    return picked.length === rows.length ? 'every workload' : picked.join(', ');
  };
  const slower = names((index) => ratios[index]!.max < 1);
  const unclear = names((index) => ratios[index]!.min <= 1 && ratios[index]!.max >= 1);
  const mids = ratios.map((ratio) => ratio.mid);
  return (
    `${fixed(Math.min(...mids))}–${fixed(Math.max(...mids))}× FlowLLM's chunks/s, ` +
    `${fixed(Math.min(...extra), 3)}–${fixed(Math.max(...extra), 3)} µs more CPU per chunk` +
    `${slower ? `; slower in every round on ${slower}` : ''}${unclear ? `; not told apart from FlowLLM's on ${unclear}` : ''}`
  );
}

/** The section (markdown, from `## Protocol encoders` on). */
export function encoderCostMarkdown(
  run: EncoderCostRun,
  options: { date: Date; command: string; loadAverage: number },
): string {
  const rows = run.results.map((result) => {
    const f = figures(run, result);
    return `| ${result.workload} | ${labelOf(result)} | ${f.perSecond} | ${f.ratio} | ${f.us} | ${result.events} | ${fixed(result.bytes / 1024, 1)} | ${f.bytes} |`;
  });
  const workloads = WORKLOADS.filter((workload) =>
    run.results.some((result) => result.workload === workload.name),
  );
  return `## Protocol encoders

What each [wire format](docs/protocols.md) costs to write, in process and without sockets: the same
flow chunks through the three encoders of \`@flowllm/core/protocols\` — FlowLLM's \`data:{…}\` events
(\`createFlowllmEncoder('post')\`, what \`POST /{flow}\` writes), the AI SDK UI message stream
(\`createUiMessageEncoder()\`, \`POST /{flow}/ui\`) and OpenAI \`chat.completion.chunk\`s
(\`createOpenAIChunkEncoder({ model: 'x', includeUsage: true })\`, the facade's \`stream: true\` with
\`stream_options.include_usage\`).

- **chunks/s**: the flow's chunks turned into wire text per CPU second (\`process.cpuUsage()\`),
  \`JSON.stringify\` included, a fresh encoder per stream; the text of every 64 chunks is joined and
  turned into UTF-8 bytes, as the stream pump's socket write does, so the bytes a format writes count
  too. About ${run.sizes.chunksPerSample.toLocaleString('en')} chunks, in whole streams, per measurement.
- **× FlowLLM**: rounds are interleaved (every encoder on every workload in each round, the encoders'
  order rotated round by round); each round's figure is divided by FlowLLM's in the same round. Median
  over ${run.sizes.rounds} rounds (after ${run.sizes.warmRounds} thrown away), with the range in brackets.
- **µs/chunk**: CPU per chunk, from the median chunks/s. **events** and **KB**: what one stream writes.
- **Workloads:** ${workloads.map((workload) => `${workload.name}: ${workload.description}`).join('; ')}.
  Tokens are 3–6 characters, some with a newline or quotes to escape.
- **Command:** \`${options.command}\`
- **Date:** ${options.date.toISOString().slice(0, 16).replace('T', ' ')} UTC, run took ${Math.round(run.durationMs / 1000)} s
- **Machine:** ${machine()}
- **Other load:** load average ${fixed(options.loadAverage, 1)} at the end. CPU time is counted, so other
  load moves the figures less than wall time would; the ratios, taken round by round, move less still.

| workload | encoder | chunks/s (range) | × FlowLLM (range) | µs/chunk | events / stream | KB / stream | bytes × FlowLLM |
| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |
${rows.join('\n')}

**Where they are slower.**

- **AI SDK UI message stream:** ${verdict(run, 'ui')}.
- **OpenAI chunks:** ${verdict(run, 'openai')}.

${why(run)}
`;
}

/**
 * Why the two cost what they cost, as the encoders in packages/core/src/protocols work (check it when
 * they change); the byte ratios come from the run's first workload.
 */
function why(run: EncoderCostRun): string {
  const first = run.results[0]?.workload;
  const bytes = (name: EncoderResult['encoder']) => {
    const of = (encoder: string) =>
      run.results.find((result) => result.workload === first && result.encoder === encoder)?.bytes ??
      Number.NaN;
    return fixed(of(name) / of('flowllm'));
  };
  return (
    'Why: every encoder writes a token as a head cached per text part, `JSON.stringify` of the text alone\n' +
    `and a constant tail. The UI stream writes ${bytes('ui')}× FlowLLM's bytes (no event repeats the \`flow_id\`), so on\n` +
    'long streams it keeps up; on short ones its extra events (start, steps, part starts and ends) weigh more.\n' +
    `The OpenAI encoder still goes through a step list per chunk and writes ${bytes('openai')}× the bytes (\`id\`, \`created\`,\n` +
    '`model` and `"usage":null` in every chunk): turning more bytes into UTF-8 is most of its cost.'
  );
}
