import { flowllmKoa } from '@flowllm/koa';
import { type DemoConfigOptions, demoConfig } from '@flowllm-examples/shared';
import { bodyParser } from '@koa/bodyparser';
import Koa from 'koa';

export type BuildAppOptions = DemoConfigOptions;

/** An ordinary koa app with the demo flows mounted under /api beside its own routes. */
export function buildApp(options: BuildAppOptions = {}): Koa {
  const app = new Koa();
  // A body parser is optional: flowllm reuses ctx.request.body when one ran, reads the body otherwise.
  app.use(bodyParser());
  // One call: /api/health, /api/openapi.json, /api/docs, /api/demo_stream_http_flow, /api/demo_http_flow.
  app.use(flowllmKoa(demoConfig(options), { prefix: '/api' }));
  // The host's own route: it keeps working next to the flows.
  app.use(async (ctx, next) => {
    if (ctx.method !== 'GET' || ctx.path !== '/') return next();
    ctx.body = { app: 'koa example', docs: '/api/docs' };
  });
  return app;
}
