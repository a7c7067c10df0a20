// A target's server process: starts the target, reports its port, answers CPU and memory probes, and
// reports when a model stopped early (for disconnect → abort timings).
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { Socket } from 'node:net';
import { join } from 'node:path';
import { serveIpc } from './ipc.js';
import { nowUs, onModelStop } from './model.js';
import type { RunningTarget } from './servers/common.js';
import { targetByName } from './targets.js';

const loaders: Record<string, () => Promise<{ start(name: string): Promise<RunningTarget> }>> = {
  raw: () => import('./servers/raw.js'),
  ours: () => import('./servers/ours.js'),
  peers: () => import('./servers/peers.js'),
};

const gc = (globalThis as { gc?: () => void }).gc;

async function settleMemory(): Promise<NodeJS.MemoryUsage> {
  // Full collections, with turns of the event loop between them so finalizers and weak refs settle.
  for (let i = 0; i < 3; i++) {
    gc?.();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return process.memoryUsage();
}

const info = targetByName(process.argv[2] ?? '');
const loader = loaders[info.module];
if (!loader) throw new Error(`no server module '${info.module}'`);
const running = await (await loader()).start(info.name);

onModelStop((id, atUs) => process.send?.({ type: 'stop', id, atUs }));
process.on('uncaughtException', (error) => {
  process.stderr.write(`uncaught in ${info.name}: ${error.stack ?? error}\n`);
});
process.on('unhandledRejection', () => {});

// `pnpm … profile` counts the socket writes (one per write/writev syscall batch) so a profile can say
// how many frames leave per write; a normal run does not touch the prototype.
let socketWrites = 0;
if (process.env.BENCH_COUNT_WRITES) {
  const proto = Socket.prototype as unknown as { _writeGeneric: (...args: unknown[]) => unknown };
  const write = proto._writeGeneric;
  proto._writeGeneric = function (this: Socket, ...args: unknown[]) {
    socketWrites++;
    return write.apply(this, args);
  };
}

// `pnpm … profile`: the orchestrator profiles exactly its measured windows (not start-up or warm-up).
let profiler: Session | undefined;

serveIpc(async (message) => {
  switch (message.type) {
    case 'cpu':
      return { cpu: process.cpuUsage(), atUs: nowUs(), socketWrites };
    case 'mem':
      return { mem: await settleMemory() };
    case 'profile-start':
      profiler = new Session();
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.setSamplingInterval', { interval: 100 });
      await profiler.post('Profiler.start');
      return {};
    case 'profile-stop': {
      const { profile } = await profiler!.post('Profiler.stop');
      profiler!.disconnect();
      profiler = undefined;
      writeFileSync(join(String(message.dir), `${String(message.name)}.cpuprofile`), JSON.stringify(profile));
      return {};
    }
    case 'close':
      await running.close();
      return {};
    default:
      throw new Error(`unknown request '${message.type}'`);
  }
});
process.send?.({ type: 'ready', port: running.port });
