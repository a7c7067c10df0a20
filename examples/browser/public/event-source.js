// The same flow through a browser EventSource (GET, query string). The server ends the stream with
// `event: done`; closing the source on it is what stops the browser from reconnecting.
// With the server's `resume` on, event ids are `<flow_id>:<n>`: a dropped connection is then worth the
// browser's own reconnect (it sends Last-Event-ID and the server goes on from there), so the page lets it.
import { bindForm, client, flowName } from './render.js';

const RESUMABLE_ID = /^[0-9a-f]{32}:\d+$/;

let finish;
let runId; // set while the streaming run is resumable: Stop must then stop it on the server

bindForm({
  run(query, turn) {
    return new Promise((resolve) => {
      const source = new EventSource(client.eventSourceUrl(flowName, { query }));
      finish = (state, message) => {
        source.close();
        turn.element.dataset.readyState = String(source.readyState); // 2 = CLOSED: no reconnect
        if (message) turn.fail(message);
        turn.finish(state);
        finish = undefined;
        resolve();
      };
      let resumable = false;
      let retries = 0;
      runId = undefined;
      source.onmessage = (event) => {
        resumable = RESUMABLE_ID.test(event.lastEventId);
        runId = resumable ? event.lastEventId.split(':')[0] : undefined;
        retries = 0;
        try {
          turn.add(JSON.parse(event.data));
        } catch {
          // not a chunk: skip it, as FlowLLM's client does
        }
      };
      source.addEventListener('done', () => finish(turn.failed ? 'error' : 'done'));
      // Before `done`, an error means the stream broke or was refused (EventSource cannot read why):
      // close instead of letting the browser re-run the flow, unless the run can be resumed.
      source.onerror = () => {
        // The browser retries for ever; a few failed tries in a row are enough.
        if (resumable && source.readyState === EventSource.CONNECTING && ++retries <= 5) {
          turn.element.dataset.reconnects = String(Number(turn.element.dataset.reconnects ?? 0) + 1);
          return;
        }
        finish?.('error', 'the stream broke or was refused');
      };
    });
  },
  // With resume on, closing the source only detaches the run: stop it on the server as well.
  stop: () => {
    if (runId) client.stopFlow(flowName, runId).catch(() => {});
    finish?.('stopped');
  },
});
