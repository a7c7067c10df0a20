// The telemetry cases of core, with the flows served by a real express 5 app: a middleware in front
// plays the host's HTTP instrumentation (a SERVER span around the request), as
// @opentelemetry/instrumentation-http would.
import type { AddressInfo } from 'node:net';
import express from 'express';
import { telemetryCases, withServerSpan } from '../../core/test/helpers/telemetry-cases.js';
import { flowllmExpress } from '../src/index.js';

telemetryCases('express', async (service) => {
  const app = express();
  app.use((request, response, next) => withServerSpan(request, response, () => next()));
  // The service comes from core's sources; the adapter takes it as it is (its brand survives two copies).
  app.use(flowllmExpress(service as never));
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      service.shutdown();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
});
