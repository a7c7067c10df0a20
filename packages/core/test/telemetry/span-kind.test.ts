// The GenAI conventions' span kind of a model call: INTERNAL when the model runs in the process (the
// `mock` backends), CLIENT when it is reached over the network.
import { SpanKind } from '@opentelemetry/api';
import { afterAll, beforeEach, expect, it } from 'vitest';
import { createFlowApp } from '../../src/create-flow-app.js';
import { MockEmbeddingModel } from '../../src/models/mock-embedding.js';
import type { EmbeddingModel } from '../../src/models/types.js';
import { AppTelemetry } from '../../src/telemetry/app-telemetry.js';
import { RunTelemetry } from '../../src/telemetry/run-telemetry.js';
import { observeEmbedding } from '../../src/telemetry/steps.js';
import { registerOtelSdk } from '../helpers/otel-sdk.js';
import { waitUntil } from '../helpers/wait.js';

const sdk = registerOtelSdk();
afterAll(() => sdk.shutdown());
beforeEach(() => sdk.resetSpans());

it('a chat on the mock backend is an INTERNAL span', async () => {
  const app = createFlowApp({
    config: {
      llm: { default: { backend: 'mock', answer: 'Hi' } },
      flow: { ask: { flow_content: 'ChatOp()' } },
    },
  });
  await app.run('ask', { query: 'hi' });
  await waitUntil(() => sdk.spans().some((span) => span.name === 'invoke_workflow ask'));
  const chat = sdk.span('chat mock-chat');
  expect(chat.kind).toBe(SpanKind.INTERNAL);
  expect(chat.attributes['gen_ai.provider.name']).toBe('mock');
});

async function embeddingSpanKind(model: EmbeddingModel): Promise<SpanKind> {
  const app = new AppTelemetry({ enabled: true, record_content: false, timeline: false });
  const signal = new AbortController().signal;
  const run = RunTelemetry.start(app, { flowName: 'embed', flowId: 'embed', stream: false, signal });
  if (!run) throw new Error('with an SDK registered the run has telemetry');
  await observeEmbedding(model, run.root).embed(['a text']);
  run.end(undefined, 0);
  return sdk.span(`embeddings ${model.modelName}`).kind;
}

it('embeddings on the mock backend are INTERNAL, on a network backend CLIENT', async () => {
  const mock = new MockEmbeddingModel({ dimensions: 4 });
  expect(await embeddingSpanKind(mock)).toBe(SpanKind.INTERNAL);
  sdk.resetSpans();
  const remote: EmbeddingModel = {
    backend: 'openai_compatible',
    modelName: 'text-embedding-test',
    dimensions: 4,
    embed: (texts) => Promise.resolve(texts.map(() => [0, 0, 0, 1])),
  };
  expect(await embeddingSpanKind(remote)).toBe(SpanKind.CLIENT);
});
