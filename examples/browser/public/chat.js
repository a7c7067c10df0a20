// fetch + POST with @flowllm/client: FlowLLM's own request shape, with Stop.
// When the server's `resume` is on (it names the run in `x-flowllm-run-id`, so `onRun` is called), the turn
// survives a reload: the run, the last event id and the chunks so far are kept in sessionStorage, and the
// page resumes the run on load. Stop then stops the run on the server (a disconnect would only detach it).
// With resume off, nothing is stored and Stop aborts the request, which aborts the flow.
import { bindForm, client, describeError, flowName } from './render.js';

const KEY = 'flowllm-demo-run';
let controller;
let current; // the FlowRun of the turn streaming now, once the server named it
let stopping = false;
let leaving = false;

// A reload aborts the page's fetch: keep what is stored for the next page instead of recording an error.
addEventListener('pagehide', () => {
  leaving = true;
});

/** Streams `stream` into `turn`, storing `saved` after each chunk while the run is resumable. */
async function follow(turn, saved, open) {
  controller = new AbortController();
  current = undefined;
  stopping = false;
  const { signal } = controller;
  const onRun = (run) => {
    current = run;
    saved.runId = run.runId;
    if (stopping) stopRun(run);
  };
  try {
    for await (const chunk of open({ signal, resume: true, onRun })) {
      if (leaving) return;
      if (stopping && chunk.chunk_type === 'error') break; // the server's "the run was stopped": we asked
      turn.add(chunk);
      if (!current) continue;
      saved.chunks.push(chunk);
      saved.lastEventId = current.lastEventId;
      sessionStorage.setItem(KEY, JSON.stringify(saved));
    }
    turn.finish(stopping ? 'stopped' : turn.failed ? 'error' : 'done');
  } catch (error) {
    if (leaving) return;
    if (signal.aborted || stopping) {
      turn.finish('stopped');
    } else {
      turn.fail(describeError(error));
      turn.finish('error');
    }
  }
  sessionStorage.removeItem(KEY);
}

function stopRun(run) {
  // Stops the model on the server, then ends the read here; the page shows the turn as stopped.
  return client
    .stopFlow(run.flow, run.runId)
    .catch(() => {})
    .finally(() => controller?.abort());
}

const runTurn = bindForm({
  run(query, turn) {
    const saved = { flow: flowName, query, runId: undefined, lastEventId: undefined, chunks: [] };
    return follow(turn, saved, (options) => client.streamFlow(flowName, { query }, options));
  },
  stop() {
    stopping = true;
    if (current) return stopRun(current);
    controller?.abort(); // resume off (or the run not named yet): closing the connection aborts the flow
  },
});

// A turn that was streaming when the page went away: show what came, then resume the run where it was.
const saved = JSON.parse(sessionStorage.getItem(KEY) ?? 'null');
if (saved?.runId && saved.flow === flowName) {
  document.body.dataset.resuming = 'true';
  runTurn(saved.query, (turn) => {
    turn.element.dataset.resumed = 'true';
    for (const chunk of saved.chunks) turn.add(chunk);
    return follow(turn, saved, (options) =>
      client.resumeFlow(saved.flow, saved.runId, saved.lastEventId, options),
    );
  });
}
