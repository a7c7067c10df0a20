// The run timeline the /docs playground reads: recorded from flowllm's own hooks, with no
// OpenTelemetry SDK registered in this file.
import { afterEach, describe, expect, it } from 'vitest';
import { startOpenAiUpstream, type UpstreamReply } from '../../../testing/src/index.js';
import { resolveRoute } from '../../src/http/routes.js';
import { createFlowService } from '../../src/http/service-source.js';
import { AppTelemetry } from '../../src/telemetry/app-telemetry.js';
import { RunTelemetry } from '../../src/telemetry/run-telemetry.js';
import { listenService } from '../helpers/listen-service.js';
import { upstreamApp } from '../helpers/telemetry-cases.js';
import { closer } from '../models/helpers/backends.js';
import { post, sseChunks } from '../models/helpers/flow-server.js';

const resources = closer();
afterEach(() => resources.closeAll());

async function serve(script: UpstreamReply[], telemetry: Record<string, unknown>) {
  const upstream = resources.add(await startOpenAiUpstream(script));
  const app = upstreamApp(upstream.url, telemetry);
  const server = resources.add(await listenService(createFlowService(app, { logger: quiet })));
  return { upstream, url: server.url };
}

const quiet = { error: () => {}, warn: () => {}, info: () => {} };

async function timelineOf(url: string, flowId: string) {
  const response = await fetch(`${url}/docs/timeline/${flowId}`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

type Entry = Record<string, unknown> & { status: string };

/** The run's timeline once every step ended (they end just after the response; the test's timeout catches a hang). */
async function settledTimeline(url: string, flowId: string): Promise<Entry[]> {
  for (;;) {
    const { status, body } = await timelineOf(url, flowId);
    const spans = (body.spans ?? []) as Entry[];
    if (status === 200 && spans.length > 0 && spans.every((span) => span.status !== 'running')) return spans;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const flowIdOf = (body: string) =>
  String((sseChunks(body).chunks[0] as { flow_id?: string } | undefined)?.flow_id);

describe('GET /docs/timeline/{flow_id} (telemetry.timeline: true, no SDK)', () => {
  it("serves a finished run's flow, op and model steps with parents, times and statuses", async () => {
    const { url } = await serve([{ answer: ['Hel', 'lo'] }], { timeline: true });
    const reply = await post(`${url}/chat`, { query: 'hi' });
    const flowId = flowIdOf(reply.body);
    const spans = await settledTimeline(url, flowId);
    expect((await timelineOf(url, flowId)).body.flow_id).toBe(flowId);
    expect(spans.map(({ name, kind, parent, status }) => ({ name, kind, parent, status }))).toEqual([
      { name: 'invoke_workflow chat', kind: 'flow', parent: null, status: 'ok' },
      { name: 'op StreamChatOp', kind: 'op', parent: 0, status: 'ok' },
      { name: 'chat gpt-test', kind: 'model', parent: 1, status: 'ok' },
    ]);
    for (const span of spans) {
      expect(span.start_ms).toBeGreaterThanOrEqual(0);
      expect(span.duration_ms).toBeGreaterThanOrEqual(0);
    }
    // Children start within their parent.
    expect(spans[2]?.start_ms as number).toBeGreaterThanOrEqual(spans[1]?.start_ms as number);
  });

  it('marks the steps of a run whose client left as cancelled', async () => {
    const words = Array.from({ length: 300 }, (_, index) => `w${index} `);
    const { url, upstream } = await serve([{ answer: words, delayMs: 5 }], { timeline: true });
    let flowId = '';
    await post(`${url}/chat`, { query: 'go' }, (body, destroy) => {
      if (!body.includes('\n\n')) return;
      flowId = flowIdOf(body.slice(0, body.indexOf('\n\n') + 2));
      destroy();
    });
    await upstream.waitForIdle(10_000);
    const spans = await settledTimeline(url, flowId);
    expect(spans.map((span) => span.status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
  });

  it('answers 404 JSON for an unknown flow_id', async () => {
    const { url } = await serve([{ answer: 'x' }], { timeline: true });
    const { status, body } = await timelineOf(url, '0123456789abcdef0123456789abcdef');
    expect(status).toBe(404);
    expect(String(body.detail)).toContain('no timeline');
  });

  it('is not served when telemetry.timeline is off (the default)', async () => {
    const { url } = await serve([{ answer: 'x' }], {});
    const reply = await post(`${url}/chat`, { query: 'hi' });
    const flowId = flowIdOf(reply.body);
    expect((await fetch(`${url}/docs/timeline/${flowId}`)).status).toBe(404);
  });
});

describe('where the timeline route lives', () => {
  it('under /docs: it goes with the playground (http.docs: false), one flow id per path, nothing deeper', () => {
    const flows = new Map();
    const on = { timeline: true, docs: true };
    expect(resolveRoute(flows, '/docs/timeline/abc', on)).toEqual({ kind: 'timeline', flowId: 'abc' });
    expect(resolveRoute(flows, '/docs/timeline/abc', { ...on, docs: false })).toBeUndefined();
    expect(resolveRoute(flows, '/docs/timeline/abc', { ...on, timeline: false })).toBeUndefined();
    expect(resolveRoute(flows, '/docs/timeline/a/b', on)).toBeUndefined();
    expect(resolveRoute(flows, '/docs/timeline/a%2Fb', on)).toBeUndefined();
    expect(resolveRoute(flows, '/docs/timeline/', on)).toBeUndefined();
  });
});

describe('without an SDK or a timeline', () => {
  it('a run gets no telemetry at all: the instrumentation costs one check', () => {
    const app = new AppTelemetry({ enabled: true, record_content: false, timeline: false });
    const info = { flowName: 'chat', flowId: 'x', stream: true, signal: new AbortController().signal };
    expect(RunTelemetry.start(app, info)).toBeUndefined();
    const withTimeline = new AppTelemetry({ enabled: true, record_content: false, timeline: true });
    expect(RunTelemetry.start(withTimeline, info)).toBeInstanceOf(RunTelemetry);
    const off = new AppTelemetry({ enabled: false, record_content: false, timeline: true });
    expect(RunTelemetry.start(off, info)).toBeUndefined();
  });
});
