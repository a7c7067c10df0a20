// The same flow through a browser EventSource (GET, query string). The server ends the stream with
// `event: done`; closing the source on it is what stops the browser from reconnecting.
import { bindForm, client, flowName } from './render.js';

let finish;

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
      source.onmessage = (event) => {
        try {
          turn.add(JSON.parse(event.data));
        } catch {
          // not a chunk: skip it, as FlowLLM's client does
        }
      };
      source.addEventListener('done', () => finish(turn.failed ? 'error' : 'done'));
      // Before `done`, an error means the stream broke or was refused (EventSource cannot read why):
      // close instead of letting the browser re-run the flow.
      source.onerror = () => finish?.('error', 'the stream broke or was refused');
    });
  },
  stop: () => finish?.('stopped'),
});
