import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HANG_MS } from '@flowllm/conformance';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../src/client.js';
import { arrivalOf, fetchTimed, streamEvents } from '../src/http-client.js';
import { findNginx, type NginxProxy, startNginx } from '../src/nginx.js';
import { gate } from '../src/ops.js';
import { record, unhandledRejections } from '../src/report.js';
import { SIZE } from '../src/sizes.js';
import { closeServer, HOST, type RunningTarget, TARGETS } from '../src/targets.js';

const { readTimeout, idle, heartbeat } = SIZE.nginx;
const TICKS = 8;

// The rest of each stream waits for the gate, which opens once every client holds its first chunk:
// a proxy that held chunks back would never let that happen.
const flows = {
  ticks: { flow_content: `SeqStreamOp(count=${TICKS}, gate=True)`, stream: true },
  idle: { flow_content: `IdleStreamOp(idle_ms=${idle * 1000})`, stream: true },
};

/** A stream without `X-Accel-Buffering: no` (the same events, held at the gate too): what nginx does by default. */
function controlServer(): Promise<Server> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
    res.flushHeaders();
    const event = (i: number) => `data:{"chunk_type":"answer","chunk":"control:${i}"}\n\n`;
    res.write(event(0));
    gate.pass(new AbortController().signal).then(() => {
      for (let i = 1; i < TICKS; i++) res.write(event(i));
      res.end('data:[DONE]\n\n');
    });
  });
  return new Promise((resolve) => server.listen(0, HOST, () => resolve(server)));
}

const post = (url: string, query: string, timeoutMs: number, onBody?: (body: string) => void) =>
  fetchTimed(
    url,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
      timeoutMs,
    },
    onBody,
  );

describe(`through nginx (default proxy settings, proxy_read_timeout ${readTimeout}s)`, () => {
  const beating: RunningTarget[] = [];
  const silent: RunningTarget[] = [];
  let control: Server;
  let nginx: NginxProxy;

  beforeAll(async () => {
    findNginx(); // a clear message when nginx is missing
    for (const target of TARGETS) {
      beating.push(await target.start({ config: { http: { heartbeat }, flow: flows } }));
      silent.push(await target.start({ config: { http: { heartbeat: 0 }, flow: flows } }));
    }
    control = await controlServer();
    const upstreams: Record<string, string> = {
      control: `http://${HOST}:${(control.address() as AddressInfo).port}`,
    };
    for (const [i, target] of TARGETS.entries()) {
      upstreams[target.name] = beating[i]!.url;
      upstreams[`${target.name} silent`] = silent[i]!.url;
    }
    nginx = await startNginx(upstreams, { readTimeoutSeconds: readTimeout });
  }, 60_000);

  afterAll(async () => {
    await nginx?.close();
    for (const server of [...beating, ...silent]) await server.close();
    if (control) await closeServer(control);
    expect(unhandledRejections).toEqual([]);
  });

  it('chunks arrive one by one (X-Accel-Buffering: no), where a stream without it is buffered', async () => {
    gate.reset();
    const timeout = 2 * HANG_MS;
    const firstChunks = new Set<string>();
    const holdsFirstChunk = (tag: string) => (body: string) => {
      if (body.includes(`${tag}:0`)) firstChunks.add(tag);
    };
    const replies = Promise.all([
      post(nginx.url('control'), 'control', timeout, holdsFirstChunk('control')),
      ...TARGETS.map((target) =>
        post(`${nginx.url(target.name)}/ticks`, target.name, timeout, holdsFirstChunk(target.name)),
      ),
    ]);
    // Every flowllm stream passes its first chunk on while the rest waits at the gate (where the
    // control waits too, its first chunk written).
    await waitFor(
      () => gate.arrived === TARGETS.length + 1 && TARGETS.every((target) => firstChunks.has(target.name)),
      HANG_MS,
      () => `every first chunk through nginx; got ${[...firstChunks].join(', ')}`,
    );
    // The control proves nginx buffers by default: its first chunk, written as long ago, is held back.
    expect(firstChunks.has('control'), 'control: nginx should have buffered the stream').toBe(false);
    gate.open();
    const [controlReply, ...targetReplies] = await replies;
    expect(controlReply!.status).toBe(200);
    expect(streamEvents(controlReply!.body)).toHaveLength(TICKS + 1);
    const figures: Record<string, unknown> = {};
    for (const [i, target] of TARGETS.entries()) {
      const reply = targetReplies[i]!;
      const events = streamEvents(reply.body);
      expect(reply.status, `${target.name}: ${nginx.errorLog()}`).toBe(200);
      expect(reply.headers['content-type']).toMatch(/^text\/event-stream/);
      expect(events.at(-1)?.data, target.name).toBe('[DONE]');
      expect(events.filter((event) => event.chunk?.chunk_type === 'answer')).toHaveLength(TICKS);
      // Figures for the report, not limits: the last chunk waited for the gate.
      figures[target.name] = {
        firstChunkMs: Math.round(arrivalOf(reply, `${target.name}:0`) ?? -1),
        lastChunkMs: Math.round(arrivalOf(reply, `${target.name}:${TICKS - 1}`) ?? -1),
      };
    }
    const control = {
      controlFirstMs: Math.round(arrivalOf(controlReply!, 'control:0') ?? -1),
      controlLastMs: Math.round(arrivalOf(controlReply!, `control:${TICKS - 1}`) ?? -1),
    };
    console.log(`nginx incremental: ${JSON.stringify({ ...control, ...figures })}`);
    record('nginx', 'incremental', { ticks: TICKS, ...control, targets: figures });
  });

  it(`a stream idle for ${idle} s survives proxy_read_timeout ${readTimeout}s thanks to ${heartbeat} s heartbeats (and is cut without them)`, async () => {
    const timeout = idle * 1000 + 10_000;
    const started = performance.now();
    const [kept, cut] = await Promise.all([
      Promise.all(TARGETS.map((target) => post(`${nginx.url(target.name)}/idle`, 'idle', timeout))),
      Promise.all(
        TARGETS.map((target) => post(`${nginx.url(`${target.name} silent`)}/idle`, 'idle', timeout)),
      ),
    ]);
    const figures: Record<string, unknown> = {};
    for (const [i, target] of TARGETS.entries()) {
      const alive = kept[i]!;
      const events = streamEvents(alive.body).map((event) => event.chunk?.chunk ?? event.data);
      const pings = alive.body.split(': ping\n\n').length - 1;
      expect(alive.status, `${target.name}: ${nginx.errorLog()}`).toBe(200);
      expect(events, `${target.name} with heartbeats`).toEqual(['before-idle', 'after-idle', '[DONE]']);
      expect(alive.complete).toBe(true);
      expect(alive.ms).toBeGreaterThanOrEqual(idle * 1000);
      // At least one byte per proxy_read_timeout, or nginx would have cut it (the count, not the pace).
      expect(pings).toBeGreaterThanOrEqual(Math.floor(idle / readTimeout));
      // Without heartbeats nginx gives up after proxy_read_timeout: the stream never gets its end.
      const dead = cut[i]!;
      expect(dead.body, `${target.name} without heartbeats`).toContain('before-idle');
      expect(dead.body).not.toContain('after-idle');
      expect(dead.body).not.toContain('[DONE]');
      // Cut by nginx after its read timeout, before the op's idle time ran out ('after-idle' never came).
      expect(dead.ms).toBeGreaterThanOrEqual(readTimeout * 1000 - 250);
      figures[target.name] = {
        survivedMs: Math.round(alive.ms),
        pings,
        cutWithoutHeartbeatMs: Math.round(dead.ms),
      };
    }
    // The cut streams end on the flowllm side too (nginx closed the upstream connection).
    for (const server of silent)
      await waitFor(() => server.service.openStreamCount === 0, HANG_MS, 'cut streams to end');
    console.log(
      `nginx idle ${idle}s: ${JSON.stringify(figures)} in ${Math.round(performance.now() - started)} ms`,
    );
    record('nginx', 'idle', {
      idleSeconds: idle,
      readTimeoutSeconds: readTimeout,
      heartbeatSeconds: heartbeat,
      targets: figures,
    });
  });
});
