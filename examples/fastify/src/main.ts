import type { AddressInfo } from 'node:net';
import { buildApp } from './app.js';

const app = buildApp({ logger: true });
await app.listen({ port: Number(process.env.PORT ?? 8002), host: '0.0.0.0' });
const url = `http://localhost:${(app.server.address() as AddressInfo).port}`;
console.log(
  `listening on ${url} — try: curl -N -X POST ${url}/api/demo_stream_http_flow -H 'Content-Type: application/json' -d '{"query":"what is ai"}'`,
);
