// The h3 adapter: it only hands h3's web Request to @flowllm/core's fetch path.
// All behaviour — routes, validation, streaming, errors — lives in core.
import {
  type FlowServiceSource,
  type FlowServiceSourceOptions,
  handleFetchRequest,
  toFlowService,
} from '@flowllm/core';

export type FlowllmH3Options = FlowServiceSourceOptions;

/** A fetch handler, which h3 2's `app.mount(base, …)` accepts (it strips `base` from the URL). */
export interface FlowllmFetchHandler {
  fetch(request: Request): Promise<Response>;
}

const NOT_FOUND = '{"detail":"Not Found"}';

/**
 * Serves every flow of a config in an h3 2 app: `app.mount('/api', flowllmH3(config))`. Streams are
 * pull-based web streams (srvx handles drain and disconnect on Node); the request's signal aborts the
 * flow when the client leaves.
 *
 * @param config a YAML path or config name, a config object, a `FlowApp` or a `FlowService`
 * @example
 * const app = new H3().mount('/api', flowllmH3('my_stream_config'));
 */
export function flowllmH3(config: FlowServiceSource, options: FlowllmH3Options = {}): FlowllmFetchHandler {
  const service = toFlowService(config, options);
  return {
    fetch: async (request) =>
      (await handleFetchRequest(service, request)) ??
      new Response(NOT_FOUND, { status: 404, headers: { 'content-type': 'application/json' } }),
  };
}
