import { flowllmExpress } from '@flowllm/express';
import { type DemoConfigOptions, demoConfig } from '@flowllm-examples/shared';
import express, { type Express } from 'express';

export type BuildAppOptions = DemoConfigOptions;

/** An ordinary express app with the demo flows mounted under /api beside its own routes. */
export function buildApp(options: BuildAppOptions = {}): Express {
  const app = express();
  // The host's own route: it keeps working next to the flows.
  app.get('/', (_request, response) => {
    response.json({ app: 'express example', docs: '/api/docs' });
  });
  // One call: /api/health, /api/openapi.json, /api/docs, /api/demo_stream_http_flow, /api/demo_http_flow.
  app.use('/api', flowllmExpress(demoConfig(options)));
  return app;
}
