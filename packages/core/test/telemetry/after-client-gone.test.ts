// flowllm.tokens.after_client_gone counts the model chunks that still arrive once a run's client left:
// a backend that ignores the abort (here, on purpose) shows up in it.
import { afterAll, expect, it } from 'vitest';
import { FlowAbortedError } from '../../src/engine/flow-errors.js';
import type { Llm, LlmChunk } from '../../src/models/types.js';
import { RunStoppedError } from '../../src/resume/resume-errors.js';
import { AppTelemetry } from '../../src/telemetry/app-telemetry.js';
import { observeLlm } from '../../src/telemetry/model-call.js';
import { RunTelemetry } from '../../src/telemetry/run-telemetry.js';
import { registerOtelSdk } from '../helpers/otel-sdk.js';

const sdk = registerOtelSdk();
afterAll(() => sdk.shutdown());

/** A model that aborts its run with `reason` after its first token and then keeps answering. */
function leakyModel(controller: AbortController, reason: unknown): Llm {
  return {
    backend: 'mock',
    modelName: 'leaky',
    async *stream(): AsyncGenerator<LlmChunk> {
      yield { chunk_type: 'answer', chunk: 'one' };
      controller.abort(reason);
      yield { chunk_type: 'answer', chunk: ' two' };
      yield { chunk_type: 'think', chunk: 'three' };
      yield { chunk_type: 'usage', chunk: { prompt_tokens: 1, completion_tokens: 3, total_tokens: 4 } };
    },
    chat: () => Promise.reject(new Error('not used')),
  };
}

async function wastedTokens(flowName: string, reason: unknown): Promise<number> {
  const controller = new AbortController();
  const app = new AppTelemetry({ enabled: true, record_content: false, timeline: false });
  const run = RunTelemetry.start(app, {
    flowName,
    flowId: flowName,
    stream: true,
    signal: controller.signal,
  });
  if (!run) throw new Error('with an SDK registered the run has telemetry');
  const llm = observeLlm(leakyModel(controller, reason), run.root);
  for await (const _chunk of llm.stream([{ role: 'user', content: 'hi' }])) {
    // read everything, as an op ignoring its signal would
  }
  run.end(controller.signal.reason, 3);
  const points = await sdk.points('flowllm.tokens.after_client_gone');
  return points
    .filter((point) => point.attributes['gen_ai.workflow.name'] === flowName)
    .reduce((sum, point) => sum + (point.value as number), 0);
}

it('counts the answer and think chunks that arrived after the client left', async () => {
  expect(await wastedTokens('leaky', new FlowAbortedError('the client disconnected'))).toBe(2);
});

it('does not count a run stopped on purpose (POST …/stop): its client is still there', async () => {
  expect(await wastedTokens('stopped', new RunStoppedError())).toBe(0);
});
