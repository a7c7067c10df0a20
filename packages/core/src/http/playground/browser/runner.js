// One run of a flow from the page: the request, its stream read chunk by chunk, Stop, and — with
// resume on — Disconnect and Reconnect (`GET {flow}/runs/{flow_id}` with `Last-Event-ID`).

import { sseParser } from './sse.js';
import { timelineView } from './timeline.js';

const RUN_ID_HEADER = 'x-flowllm-run-id';
const TEXT_CHUNKS = new Set(['think', 'answer']);

/**
 * A run of `flow` with `bodyText`, shown in `view` (a RunView). `onChange(run)` runs whenever it
 * starts, ends or can be reconnected; `onIssues(detail)` gets a 422's issues and returns those no
 * field could show.
 */
export class Run {
  constructor({ flow, bodyText, view, onChange, onIssues }) {
    Object.assign(this, { flow, bodyText, view, onChange, onIssues });
    this.state = 'idle';
    this.tokens = 0;
  }

  get active() {
    return this.state === 'running' || this.state === 'streaming';
  }

  /** Whether Disconnect/Reconnect apply: a stream the server logs (resume on names the run). */
  get resumable() {
    return this.flow.stream && this.runId !== undefined;
  }

  url(path) {
    return new URL(path, this.flow.baseUrl);
  }

  async start() {
    this.startedAt = performance.now();
    this.set('running', 'Waiting for the response…');
    this.controller = new AbortController();
    let response;
    try {
      response = await fetch(this.url(encodeURIComponent(this.flow.name)), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: this.bodyText,
        signal: this.controller.signal,
      });
    } catch (error) {
      return this.end(this.stopping ? 'stopped' : 'error', `The request failed: ${error.message}`);
    }
    this.headersAt = performance.now();
    this.runId = response.headers.get(RUN_ID_HEADER) ?? undefined;
    this.updateTiming();
    if (!response.ok) return this.failed(response);
    if (!this.flow.stream) return this.syncAnswer(response);
    return this.read(response, 'Streaming…');
  }

  async failed(response) {
    const text = await response.text().catch(() => '');
    this.view.appendRaw(`HTTP ${response.status}\n${text}`);
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      body = { detail: text };
    }
    this.flowId = body?.flow_id;
    if (response.status === 422 && Array.isArray(body?.detail)) {
      const left = this.onIssues(body.detail);
      for (const issue of left) this.view.error(`${(issue.loc ?? []).join('.')}: ${issue.msg}`);
      return this.end('error', `422: the request does not match the flow's input schema.`);
    }
    const detail = typeof body?.detail === 'string' ? body.detail : JSON.stringify(body?.detail ?? body);
    this.view.error(`${response.status}: ${detail}`);
    return this.end('error', `The server answered ${response.status}.`);
  }

  async syncAnswer(response) {
    const text = await response.text();
    this.view.appendRaw(text);
    try {
      const answer = JSON.parse(text);
      this.flowId = answer?.metadata?.flow_id;
      this.view.syncAnswer(answer);
    } catch {
      this.view.error(`Not JSON: ${text}`);
    }
    return this.end('done', 'Done.');
  }

  /** Reads a stream to its end, or until Stop, Disconnect or a dropped connection. */
  async read(response, message) {
    this.set('streaming', message);
    const push = sseParser((event) => this.event(event));
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    try {
      for (let read = await reader.read(); !read.done; read = await reader.read()) {
        this.view.appendRaw(read.value);
        push(read.value);
      }
    } catch {
      // Aborted by the page (Stop, Disconnect) or a dropped connection: told apart below.
    }
    if (this.done)
      return this.stopping
        ? this.end('stopped', 'Stopped: the server stopped the run.')
        : this.end(this.sawError ? 'error' : 'done', this.sawError ? 'Ended with an error.' : 'Done.');
    if (this.detaching)
      return this.end('detached', 'Disconnected: the run goes on on the server; Reconnect picks it up.');
    if (this.stopping) return this.end('stopped', 'Stopped: the request was aborted, so was the flow.');
    const more = this.resumable ? ' Reconnect resumes the run.' : '';
    return this.end('dropped', `The connection closed before the end of the stream.${more}`);
  }

  event({ data, id }) {
    if (id !== undefined) this.lastEventId = id;
    if (data === '[DONE]') {
      this.done = true;
      return;
    }
    let chunk;
    try {
      chunk = JSON.parse(data);
    } catch {
      this.view.error(`An event that is not JSON: ${data}`);
      return;
    }
    this.flowId ??= chunk.flow_id;
    const now = performance.now();
    if (TEXT_CHUNKS.has(chunk.chunk_type)) {
      this.firstTokenAt ??= now;
      this.lastTokenAt = now;
      this.tokens++;
    }
    if (chunk.chunk_type === 'usage') this.usage = chunk.chunk;
    if (chunk.chunk_type === 'error') this.sawError = true;
    this.view.chunk(chunk);
    this.updateTiming();
  }

  /** With resume on, the server stops the run (and its readers get its last events); else abort. */
  async stop() {
    this.stopping = true;
    this.onChange(this);
    if (this.resumable) {
      const path = `${encodeURIComponent(this.flow.name)}/runs/${encodeURIComponent(this.runId)}/stop`;
      const answer = await fetch(this.url(path), { method: 'POST' }).catch(() => undefined);
      if (answer?.status === 202) return;
    }
    this.controller.abort();
  }

  /** Closes the connection only: with resume on the run goes on, detached, until Reconnect. */
  detach() {
    this.detaching = true;
    this.controller.abort();
  }

  /** Reads the rest of the run: every event after the last one read, then the live ones. */
  async reconnect() {
    this.detaching = false;
    this.stopping = false;
    this.controller = new AbortController();
    this.set('running', 'Reconnecting…');
    const headers = this.lastEventId === undefined ? {} : { 'last-event-id': this.lastEventId };
    const path = `${encodeURIComponent(this.flow.name)}/runs/${encodeURIComponent(this.runId)}`;
    let response;
    try {
      response = await fetch(this.url(path), { headers, signal: this.controller.signal });
    } catch (error) {
      return this.end('dropped', `Reconnecting failed: ${error.message}`);
    }
    if (response.status === 204)
      return this.end('done', 'Nothing to resume: the run was read to its end, expired or is unknown.');
    if (!response.ok) return this.failed(response);
    return this.read(response, `Resumed after event ${this.lastEventId ?? 'none'}…`);
  }

  set(state, message) {
    this.state = state;
    this.view.setState(state, message);
    this.onChange(this);
  }

  end(state, message) {
    this.endedAt = performance.now();
    this.updateTiming();
    this.set(state, message);
    if (state !== 'detached' && state !== 'dropped') this.loadTimeline();
  }

  updateTiming() {
    const since = (at) => (at === undefined ? undefined : at - this.startedAt);
    const window = (this.lastTokenAt ?? 0) - (this.firstTokenAt ?? 0);
    const tokens = this.usage?.completion_tokens ?? this.tokens;
    this.view.timing({
      headers: since(this.headersAt),
      firstToken: since(this.firstTokenAt),
      rate: window > 0 ? tokens / (window / 1000) : undefined,
      total: since(this.endedAt ?? performance.now()),
    });
  }

  /**
   * The spans of the run when the server keeps them (`telemetry.timeline: true`); else a hint. A run
   * cut short (Stop, an error) winds its ops down after the stream ended: ask again while spans run.
   */
  async loadTimeline() {
    if (!this.flowId) return;
    const url = this.url(`docs/timeline/${encodeURIComponent(this.flowId)}`);
    let response;
    let timeline;
    for (let wait = 50; ; wait *= 2) {
      response = await fetch(url).catch(() => undefined);
      timeline = response?.status === 200 ? await response.json().catch(() => undefined) : undefined;
      const running = timeline?.spans?.some?.((span) => span.duration_ms === null);
      if (!running || wait > 1600) break;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
    if (response?.status === 200) {
      if (timeline) this.view.showTimeline(timelineView(timeline));
    } else if (response?.status === 404) {
      this.view.timelineHint('Per-op timing: turn on telemetry.timeline in the server config.');
    }
  }
}
