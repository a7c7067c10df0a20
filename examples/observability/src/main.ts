import type { AddressInfo } from 'node:net';
import { buildApp } from './app.js';
// The SDK first: flowllm looks the providers up per run, but the app's own code may not.
import { startTelemetry } from './telemetry.js';

const telemetry = startTelemetry({ metricIntervalMs: Number(process.env.METRIC_INTERVAL_MS ?? 60_000) });
const port = Number(process.env.PORT ?? 8002);
const server = buildApp().listen(port, (error) => {
  if (error) throw error;
  const url = `http://localhost:${(server.address() as AddressInfo).port}`;
  console.log(
    `listening on ${url} — try: curl -N -X POST ${url}/api/demo_stream_http_flow -H 'Content-Type: application/json' -d '{"query":"what is ai"}'`,
  );
});
// Flush the last spans and metrics on the way out.
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    server.close();
    void telemetry.shutdown().finally(() => process.exit(0));
  });
