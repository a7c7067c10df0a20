import type { ServiceLogger } from '@flowllm/core';
import { flowllmExpress } from '@flowllm/express';
import { type DemoConfigOptions, demoConfig } from '@flowllm-examples/shared';
import express, { type Express } from 'express';

/**
 * A logger writing one JSON object per line, as pino does: the service adds `trace_id` and `span_id`
 * to the details while a span records, so a log line finds its trace. With pino itself:
 * `{ error: (message, details) => pino.error(details ?? {}, message), … }`.
 */
export const jsonLogger: ServiceLogger = {
  error: (message, details) => console.error(JSON.stringify({ level: 'error', msg: message, ...details })),
  warn: (message, details) => console.warn(JSON.stringify({ level: 'warn', msg: message, ...details })),
  info: (message, details) => console.info(JSON.stringify({ level: 'info', msg: message, ...details })),
};

/** The express example's app: the demo flows under /api, with the GenAI telemetry on (its default). */
export function buildApp(options: DemoConfigOptions = {}): Express {
  const app = express();
  app.get('/', (_request, response) => {
    response.json({ app: 'observability example', docs: '/api/docs' });
  });
  const config = { ...demoConfig(options), telemetry: { enabled: true, record_content: false } };
  app.use('/api', flowllmExpress(config, { logger: jsonLogger }));
  return app;
}
