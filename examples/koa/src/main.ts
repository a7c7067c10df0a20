import type { AddressInfo } from 'node:net';
import { buildApp } from './app.js';

const port = Number(process.env.PORT ?? 8002);
const server = buildApp().listen(port, () => {
  const url = `http://localhost:${(server.address() as AddressInfo).port}`;
  console.log(
    `listening on ${url} — try: curl -N -X POST ${url}/api/demo_stream_http_flow -H 'Content-Type: application/json' -d '{"query":"what is ai"}'`,
  );
});
