import type { Server } from 'node:http';
import { serve as honoServe } from '@hono/node-server';
import { protoFetch } from '../proto/fetch-path.js';
import { protoServer, switchesFrom } from '../proto/node-path.js';
import { nodeTarget, type RunningTarget } from './common.js';
import { benchService } from './ours.js';

export function start(name: string): Promise<RunningTarget> {
  const [base, variant] = name.split('@');
  const switches = switchesFrom(variant?.replaceAll('+', ',') ?? process.env.PROTO);
  const service = benchService();
  if (base === 'proto-fetch') {
    const server = honoServe({
      fetch: (request: Request) => protoFetch(service, request, switches),
      port: 0,
      hostname: '127.0.0.1',
    });
    return nodeTarget(server as unknown as Server);
  }
  return nodeTarget(protoServer(service, switches).listen(0, '127.0.0.1'));
}
