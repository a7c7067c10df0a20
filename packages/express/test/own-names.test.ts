// In middleware mode a path named like an Object.prototype member is not ours: the host's own route of
// that name answers.
import type { Server } from 'node:http';
import { closeServer, conformanceOps, lettersConfig, listening, send } from '@flowllm/conformance';
import express from 'express';
import { afterEach, expect, it } from 'vitest';
import { flowllmExpress } from '../src/index.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map(closeServer));
});

it("GET /api/toString, /api/constructor… beside app.use('/api', flowllmExpress(…)) reach the host's routes", async () => {
  const names = ['toString', 'constructor', 'valueOf', 'hasOwnProperty', '__proto__'];
  const app = express();
  app.use('/api', flowllmExpress(lettersConfig(), { env: {}, ops: conformanceOps }));
  for (const name of names) app.get(`/api/${name}`, (_req, res) => void res.json({ host: name }));
  const server = app.listen(0, '127.0.0.1');
  servers.push(server);
  const base = await listening(server);
  for (const name of names) {
    const reply = await send(base, `/api/${name}`);
    expect(reply.status, name).toBe(200);
    expect(JSON.parse(reply.body), name).toEqual({ host: name });
  }
  expect((await send(base, '/api/health')).status).toBe(200);
});
