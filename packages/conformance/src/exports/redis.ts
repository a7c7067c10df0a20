// One way to run a real redis-server in a test (@flowllm/redis, the reliability suite, the benchmarks): a
// foreground server on a free loopback port, its files in a temporary directory, ready once PING answers.
// Never port 6379: the Debian package's init script may already run a daemon there.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './nginx.js';

const LOOPBACK = '127.0.0.1';
/** Hang guard for start-up; redis-server answers PING within a few milliseconds. */
const READY_WITHIN_MS = 10_000;

/**
 * The redis-server binary: `REDIS_SERVER_BIN`, else the first of `redis-server` on PATH and
 * /usr/bin/redis-server that runs. Throws a message that says how to install it.
 *
 * @example
 * execFileSync(findRedisServer(), ['--version']);
 */
export function findRedisServer(): string {
  const candidates = [process.env.REDIS_SERVER_BIN, 'redis-server', '/usr/bin/redis-server'];
  for (const candidate of candidates) {
    if (!candidate) continue;
    try {
      execFileSync(candidate, ['--version'], { stdio: 'ignore' });
      return candidate;
    } catch {
      // try the next one
    }
  }
  throw new Error(
    'redis-server is not installed: these tests run against a real Redis. Install it ' +
      '(Debian: apt-get install -y redis-server; .ci/run does) or point REDIS_SERVER_BIN at the binary.',
  );
}

/**
 * A running redis-server from {@link startRedis}.
 *
 * @example
 * const redis: RunningRedis = await startRedis();
 * await redis.stop();
 */
export interface RunningRedis {
  /** `redis://127.0.0.1:<port>`; the same after {@link RunningRedis.restart}. */
  readonly url: string;
  /** The port it listens on. */
  readonly port: number;
  /** What the server wrote so far (for failure messages). */
  log(): string;
  /** Stops it (SIGTERM, SIGKILL after 3 s) and removes its directory. */
  stop(): Promise<void>;
  /** SIGKILL: a crash, with no chance to save or close connections. */
  kill(): Promise<void>;
  /** Starts it again on the same port and directory (with AOF, the data comes back). */
  restart(): Promise<void>;
  /** SIGSTOP: it keeps its connections but answers nothing, like a stalled server. */
  pause(): void;
  /** SIGCONT after {@link RunningRedis.pause}. */
  resume(): void;
}

/**
 * Starts `redis-server --port <free> --bind 127.0.0.1 --save "" --appendonly no --daemonize no` in a new
 * temporary directory and resolves once it answers PING. `appendonly: true` keeps an append-only file, so
 * the data outlives {@link RunningRedis.kill} + {@link RunningRedis.restart}. `args` go after the
 * defaults (e.g. `['--requirepass', secret]`; PING then answers NOAUTH, which counts as up).
 *
 * @example
 * const redis = await startRedis();
 * const log = createRedisEventLog({ url: redis.url });
 * // …
 * await redis.stop();
 */
export async function startRedis(
  options: { appendonly?: boolean; args?: readonly string[] } = {},
): Promise<RunningRedis> {
  const binary = findRedisServer();
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'flowllm-redis-'));
  const args = [
    '--port',
    String(port),
    '--bind',
    LOOPBACK,
    '--save',
    '',
    '--appendonly',
    options.appendonly ? 'yes' : 'no',
    '--appendfsync',
    'always',
    '--dir',
    dir,
    '--daemonize',
    'no',
    '--loglevel',
    'warning',
    ...(options.args ?? []),
  ];
  let output = '';
  let child: ReturnType<typeof spawn> | undefined;
  let exited: Promise<void> = Promise.resolve();
  const running = () => child !== undefined && child.exitCode === null && child.signalCode === null;

  const launch = async () => {
    const started = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = started;
    // A test that throws before stop() must not leave a server behind when its process exits.
    const reap = () => started.kill('SIGKILL');
    process.once('exit', reap);
    exited = new Promise<void>((resolve) =>
      started.once('close', () => {
        process.off('exit', reap);
        resolve();
      }),
    );
    const collect = (part: Buffer) => {
      output += part.toString();
    };
    started.stdout?.on('data', collect);
    started.stderr?.on('data', collect);
    const deadline = performance.now() + READY_WITHIN_MS;
    while (!(await answersPing(port))) {
      if (!running() || performance.now() > deadline) {
        const message = `redis-server did not answer PING on ${port}:\n${output}`;
        await halt('SIGKILL');
        throw new Error(message);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const halt = async (signal: NodeJS.Signals) => {
    if (!running()) return;
    child?.kill('SIGCONT');
    child?.kill(signal);
    const timer = setTimeout(() => child?.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  };

  try {
    await launch();
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `redis://${LOOPBACK}:${port}`,
    port,
    log: () => output,
    stop: async () => {
      await halt('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
    kill: () => halt('SIGKILL'),
    restart: async () => {
      await halt('SIGTERM');
      await launch();
    },
    pause: () => {
      if (running()) child?.kill('SIGSTOP');
    },
    resume: () => {
      if (running()) child?.kill('SIGCONT');
    },
  };
}

/** One RESP `PING` on a fresh connection; true when the answer is `+PONG`. */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: LOOPBACK });
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (part: Buffer) => {
      reply += part.toString();
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG') || reply.startsWith('-NOAUTH'));
    });
    socket.once('error', () => done(false));
  });
}
