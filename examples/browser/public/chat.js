// fetch + POST with @flowllm/client: FlowLLM's own request shape, with Stop = abort.
import { bindForm, client, describeError, flowName } from './render.js';

let controller;

bindForm({
  async run(query, turn) {
    controller = new AbortController();
    const { signal } = controller;
    try {
      for await (const chunk of client.streamFlow(flowName, { query }, { signal })) turn.add(chunk);
      turn.finish(turn.failed ? 'error' : 'done');
    } catch (error) {
      if (signal.aborted) return turn.finish('stopped');
      turn.fail(describeError(error));
      turn.finish('error');
    }
  },
  // Aborting closes the connection: the server aborts the flow and the model request.
  stop: () => controller?.abort(),
});
