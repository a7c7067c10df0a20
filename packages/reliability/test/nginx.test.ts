import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../src/client.js';
import { arrivalOf, fetchTimed, streamEvents, type TimedReply } from '../src/http-client.js';
import { findNginx, type NginxProxy, startNginx } from '../src/nginx.js';
import { record, unhandledRejections } from '../src/report.js';
import { SIZE } from '../src/sizes.js';
import { closeServer, HOST, type RunningTarget, TARGETS } from '../src/targets.js';

const { readTimeout, idle, heartbeat } = SIZE.nginx;
const TICKS = 8;
const TICK_MS = 300;

const flows = {
  ticks: { flow_content: `SeqStreamOp(count=${TICKS}, delay_ms=${TICK_MS})`, stream: true },
  idle: { flow_content: `IdleStreamOp(idle_ms=${idle * 1000})`, stream: true },
};

/** A stream without `X-Accel-Buffering: no` (the same events, same pace): what nginx does by default. */
function controlServer(): Promise<Server> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
    res.flushHeaders();
    let i = 0;
    const tick = () => {
      res.write(`data:{"chunk_type":"answer","chunk":"control:${i}"}\n\n`);
      if (++i < TICKS) setTimeout(tick, TICK_MS);
      else res.end('data:[DONE]\n\n');
    };
    tick();
  });
  return new Promise((resolve) => server.listen(0, HOST, () => resolve(server)));
}

const post = (url: string, query: string, timeoutMs: number) =>
  fetchTimed(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
    timeoutMs,
  });

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
    const timeout = TICKS * TICK_MS + 10_000;
    const [controlReply, ...replies] = await Promise.all([
      post(nginx.url('control'), 'control', timeout),
      ...TARGETS.map((target) => post(`${nginx.url(target.name)}/ticks`, target.name, timeout)),
    ]);
    const spread = (reply: TimedReply, tag: string) => {
      const first = arrivalOf(reply, `${tag}:0`);
      const last = arrivalOf(reply, `${tag}:${TICKS - 1}`);
      return { first, last, gap: first !== undefined && last !== undefined ? last - first : undefined };
    };
    // The control proves nginx buffers by default: everything arrives at the end, together.
    const controlSpread = spread(controlReply!, 'control');
    expect(controlReply!.status).toBe(200);
    expect(controlSpread.gap, 'control: nginx should have buffered the stream').toBeLessThan(TICK_MS);
    const figures: Record<string, unknown> = {};
    for (const [i, target] of TARGETS.entries()) {
      const reply = replies[i]!;
      const { first, last, gap } = spread(reply, target.name);
      const events = streamEvents(reply.body);
      expect(reply.status, `${target.name}: ${nginx.errorLog()}`).toBe(200);
      expect(reply.headers['content-type']).toMatch(/^text\/event-stream/);
      expect(events.at(-1)?.data, target.name).toBe('[DONE]');
      expect(events.filter((event) => event.chunk?.chunk_type === 'answer')).toHaveLength(TICKS);
      // The first chunk is out at once; the last comes (TICKS - 1) × TICK_MS later: they were not held back.
      expect(first, `${target.name} first chunk`).toBeLessThan(1500);
      expect(gap, `${target.name} first → last chunk`).toBeGreaterThan((TICKS - 1) * TICK_MS * 0.8);
      figures[target.name] = { firstChunkMs: Math.round(first!), lastChunkMs: Math.round(last!) };
    }
    console.log(
      `nginx incremental: control gap ${Math.round(controlSpread.gap ?? -1)} ms; ${JSON.stringify(figures)}`,
    );
    record('nginx', 'incremental', {
      ticks: TICKS,
      tickMs: TICK_MS,
      controlFirstMs: Math.round(controlSpread.first ?? -1),
      controlLastMs: Math.round(controlSpread.last ?? -1),
      targets: figures,
    });
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
      expect(pings).toBeGreaterThanOrEqual(Math.floor(idle / heartbeat / 2));
      // Without heartbeats nginx gives up after proxy_read_timeout: the stream never gets its end.
      const dead = cut[i]!;
      expect(dead.body, `${target.name} without heartbeats`).toContain('before-idle');
      expect(dead.body).not.toContain('after-idle');
      expect(dead.body).not.toContain('[DONE]');
      expect(dead.ms).toBeGreaterThanOrEqual(readTimeout * 1000 - 250);
      expect(dead.ms).toBeLessThan(idle * 1000);
      figures[target.name] = {
        survivedMs: Math.round(alive.ms),
        pings,
        cutWithoutHeartbeatMs: Math.round(dead.ms),
      };
    }
    // The cut streams end on the flowllm side too (nginx closed the upstream connection).
    for (const server of silent)
      await waitFor(() => server.service.openStreamCount === 0, 5000, 'cut streams to end');
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
