import type { Flow } from '../engine/flow.js';
import type { ServiceRequest, ServiceResult } from '../http/service-types.js';
import { SSE_HEADERS } from '../sse/headers.js';
import { parseLastEventId } from './last-event-id.js';
import type { ResumeManager } from './resume-manager.js';

const NO_CONTENT: ServiceResult = { status: 204, headers: {}, body: '' };

/**
 * `GET /{flow}/runs/{flow_id}`: the run's events after `Last-Event-ID` (header, else
 * `?last_event_id=`; from the start without either), then its live ones, then `[DONE]`. 204 — the
 * answer that stops an EventSource — for an unknown, expired, trimmed or finished-and-read run and for
 * another flow's; `?format=json` answers the run's state instead of streaming.
 *
 * @example
 * const result = await runRoute(manager, flow, runId, request, false);
 */
export async function runRoute(
  resume: ResumeManager,
  flow: Flow,
  runId: string,
  request: ServiceRequest,
  head: boolean,
): Promise<ServiceResult> {
  const position = parseLastEventId(request.header('last-event-id'), request.query.get('last_event_id'));
  // An EventSource id names its run: one naming another run is a reader that lost its place.
  const foreign = position?.flowId !== undefined && position.flowId !== runId;
  if (request.query.get('format') === 'json') return runStatus(resume, flow, runId, position?.seq, foreign);
  if (foreign) return { ...NO_CONTENT, headers: {} };
  const reader = await resume.attach(flow.name, runId, position?.seq ?? 0, 'post');
  if (typeof reader === 'string') return { ...NO_CONTENT, headers: {} };
  const headers = { ...SSE_HEADERS, 'x-flowllm-run-id': runId };
  if (head) {
    reader.cancel();
    return { status: 200, headers, body: '' };
  }
  return { status: 200, headers, stream: reader, variant: 'post' };
}

async function runStatus(
  resume: ResumeManager,
  flow: Flow,
  runId: string,
  after: number | undefined,
  foreign: boolean,
): Promise<ServiceResult> {
  const info = foreign ? undefined : await resume.status(flow.name, runId);
  const trimmed = info !== undefined && after !== undefined && info.firstSeq > after + 1;
  if (!info || trimmed) {
    const body = JSON.stringify({ detail: 'no such run', reason: trimmed ? 'trimmed' : 'unknown' });
    return { status: 404, headers: { 'content-type': 'application/json' }, body };
  }
  const body = JSON.stringify({
    flow_id: info.flowId,
    flow: info.flow,
    state: info.state,
    first_event_id: info.firstSeq,
    last_event_id: info.lastSeq,
  });
  return { status: 200, headers: { 'content-type': 'application/json' }, body };
}

/**
 * `POST /{flow}/runs/{flow_id}/stop`: 202 `{"flow_id","state":"stopping"}` for a running run (its
 * owner, on any instance, aborts it; its readers get a last error chunk and `[DONE]`), 202 with the
 * final state for an ended one, 204 for an unknown one or another flow's.
 *
 * @example
 * const result = await stopRoute(manager, flow, runId);
 */
export async function stopRoute(resume: ResumeManager, flow: Flow, runId: string): Promise<ServiceResult> {
  const state = await resume.stop(flow.name, runId);
  if (state === undefined) return { ...NO_CONTENT, headers: {} };
  const body = JSON.stringify({ flow_id: runId, state });
  return { status: 202, headers: { 'content-type': 'application/json' }, body };
}
