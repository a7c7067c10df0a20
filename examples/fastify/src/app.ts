import { flowllmFastify } from '@flowllm/fastify';
import { type DemoConfigOptions, demoConfig } from '@flowllm-examples/shared';
import Fastify, { type FastifyInstance } from 'fastify';

export interface BuildAppOptions extends DemoConfigOptions {
  /** fastify's logger (flowllm logs its failures there too); off by default. */
  logger?: boolean;
}

/** An ordinary fastify app with the demo flows registered under /api beside its own routes. */
export function buildApp({ logger = false, ...options }: BuildAppOptions = {}): FastifyInstance {
  const app = Fastify({ logger });
  // The host's own route: it keeps working next to the flows.
  app.get('/', async () => ({ app: 'fastify example', docs: '/api/docs' }));
  // One call: /api/health, /api/openapi.json, /api/docs, /api/demo_stream_http_flow, /api/demo_http_flow.
  app.register(flowllmFastify, { config: demoConfig(options), prefix: '/api' });
  return app;
}
