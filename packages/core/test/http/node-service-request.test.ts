import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { FlowAbortedError } from '../../src/engine/flow-errors.js';
import { nodeServiceRequest } from '../../src/http/node-handler.js';

/** A real server whose handler hands over the service request of the first request, then holds it open. */
async function heldRequest() {
  type Held = {
    serviceRequest: ReturnType<typeof nodeServiceRequest>;
    req: IncomingMessage;
    res: ServerResponse;
  };
  let take: (value: Held) => void;
  const taken = new Promise<Held>((resolve) => {
    take = resolve;
  });
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200);
    res.flushHeaders();
    take({ serviceRequest: nodeServiceRequest(req, res, { path: '/x' }), req, res });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = httpRequest({ port: (server.address() as AddressInfo).port, host: '127.0.0.1', path: '/x' });
  client.on('error', () => {});
  client.end();
  const { serviceRequest, req, res } = await taken;
  const closed = new Promise((resolve) => res.once('close', resolve));
  return { serviceRequest, req, res, leave: () => client.destroy(), closed, server };
}

describe('nodeServiceRequest knows when its client left', () => {
  it('tells every onGone listener once, and a signal asked for afterwards is already aborted', async () => {
    const { serviceRequest, leave, closed, server } = await heldRequest();
    const told: unknown[] = [];
    serviceRequest.onGone?.((reason) => told.push(['first', reason]));
    serviceRequest.onGone?.((reason) => told.push(['second', reason]));
    expect(serviceRequest.aborted).toBe(false);
    leave();
    await closed;
    expect(serviceRequest.aborted).toBe(true);
    expect(serviceRequest.reason).toBeInstanceOf(FlowAbortedError);
    expect(told).toEqual([
      ['first', serviceRequest.reason],
      ['second', serviceRequest.reason],
    ]);
    const late: unknown[] = [];
    serviceRequest.onGone?.((reason) => late.push(reason));
    expect(late).toEqual([serviceRequest.reason]);
    expect(serviceRequest.signal?.aborted).toBe(true);
    expect(serviceRequest.signal?.reason).toBe(serviceRequest.reason);
    server.close();
  });

  it('tells a second view of the same response too (each view hears its own leave)', async () => {
    const { serviceRequest, leave, closed, server, req, res } = await heldRequest();
    const second = nodeServiceRequest(req, res, { path: '/x' });
    leave();
    await closed;
    expect(serviceRequest.aborted).toBe(true);
    expect(second.aborted).toBe(true);
    expect(second.reason).toBeInstanceOf(FlowAbortedError);
    server.close();
  });

  it('says nothing when the response ends normally and then closes', async () => {
    const { serviceRequest, closed, server, res } = await heldRequest();
    res.end();
    await closed;
    expect(serviceRequest.aborted).toBe(false);
    server.close();
  });

  it('fires a signal made before the client left', async () => {
    const { serviceRequest, leave, closed, server } = await heldRequest();
    const signal = serviceRequest.signal as AbortSignal;
    const fired = new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    leave();
    await closed;
    await fired;
    expect(signal.reason).toBe(serviceRequest.reason);
    server.close();
  });
});
