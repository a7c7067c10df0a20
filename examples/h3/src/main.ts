import type { AddressInfo } from 'node:net';
import { serve } from 'h3';
import { buildApp } from './app.js';

const server = serve(buildApp(), { port: Number(process.env.PORT ?? 8002), silent: true });
await server.ready();
const url = `http://localhost:${(server.node!.server!.address() as AddressInfo).port}`;
console.log(
  `listening on ${url} — try: curl -N -X POST ${url}/api/demo_stream_http_flow -H 'Content-Type: application/json' -d '{"query":"what is ai"}'`,
);
