import { flowllmH3 } from '@flowllm/h3';
import { type DemoConfigOptions, demoConfig } from '@flowllm-examples/shared';
import { H3 } from 'h3';

export type BuildAppOptions = DemoConfigOptions;

/** An ordinary h3 app with the demo flows mounted under /api beside its own routes. */
export function buildApp(options: BuildAppOptions = {}): H3 {
  const app = new H3();
  // The host's own route: it keeps working next to the flows.
  app.get('/', () => ({ app: 'h3 example', docs: '/api/docs' }));
  // One call: /api/health, /api/openapi.json, /api/docs, /api/demo_stream_http_flow, /api/demo_http_flow.
  app.mount('/api', flowllmH3(demoConfig(options)));
  return app;
}
