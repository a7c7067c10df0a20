// One way to run a real nginx in a test (the reliability suite, the deployment docs' samples): a
// foreground nginx in its own directory, ready once every port it listens on accepts connections.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** nginx listens, and is reached, on the loopback address only. */
const LOOPBACK = '127.0.0.1';
const TEMP_PATHS = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'];
/** Hang guard for start-up; nginx listens within a few milliseconds. */
const READY_WITHIN_MS = 10_000;

/**
 * The nginx binary: `NGINX_BIN`, else the first of `nginx` on PATH, /usr/sbin/nginx, /usr/local/sbin/nginx
 * that runs. Throws a message that says how to install it.
 *
 * @example
 * execFileSync(findNginx(), ['-v']);
 */
export function findNginx(): string {
  const candidates = [process.env.NGINX_BIN, 'nginx', '/usr/sbin/nginx', '/usr/local/sbin/nginx'];
  for (const candidate of candidates) {
    if (!candidate) continue;
    try {
      execFileSync(candidate, ['-v'], { stdio: 'ignore' });
      return candidate;
    } catch {
      // try the next one
    }
  }
  throw new Error(
    'nginx is not installed: these tests run streams through a real nginx. Install it ' +
      '(Debian: apt-get install -y nginx; .ci/run does) or point NGINX_BIN at the binary.',
  );
}

/**
 * A TCP port of 127.0.0.1 that was free a moment ago (nginx needs a number in its configuration).
 *
 * @example
 * const port = await freePort();
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, LOOPBACK, () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/**
 * A running nginx from {@link startNginx}.
 *
 * @example
 * const nginx: RunningNginx = await startNginx({ servers, ports: [port] });
 * await nginx.stop();
 */
export interface RunningNginx {
  /** What nginx wrote to stderr and its error log so far (for failure messages). */
  log(): string;
  /** Stops nginx gracefully (SIGQUIT, SIGKILL after 3 s) and removes a directory it created. */
  stop(): Promise<void>;
}

/**
 * Runs nginx in the foreground with `servers` (one or more `server { … }` blocks) inside its `http`
 * block, defaults for everything else, and all its files in `dir` (a new temporary directory, removed by
 * `stop()`, when not given). Resolves once each of `ports` accepts connections.
 *
 * @example
 * const port = await freePort();
 * const nginx = await startNginx({
 *   servers: `server { listen 127.0.0.1:${port}; location / { proxy_pass http://127.0.0.1:8002; } }`,
 *   ports: [port],
 * });
 */
export async function startNginx(options: {
  servers: string;
  ports: readonly number[];
  dir?: string;
}): Promise<RunningNginx> {
  const binary = findNginx();
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'flowllm-nginx-'));
  for (const name of TEMP_PATHS) mkdirSync(join(dir, name), { recursive: true });
  const errorFile = join(dir, 'error.log');
  // As root the master would hand the workers to `nobody`, who cannot write the temporary directories.
  const runAsRoot = process.getuid?.() === 0 ? 'user root;\n' : '';
  const conf = `${runAsRoot}worker_processes 1;
error_log ${errorFile} warn;
pid ${join(dir, 'nginx.pid')};
events { worker_connections 4096; }
http {
  access_log off;
${TEMP_PATHS.map((name) => `  ${name}_temp_path ${join(dir, name)};`).join('\n')}
${options.servers}
}
`;
  const confPath = join(dir, 'nginx.conf');
  writeFileSync(confPath, conf);
  // -e: the error log before the configuration is read (the default one may not be writable).
  const child = spawn(binary, ['-p', dir, '-c', confPath, '-e', errorFile, '-g', 'daemon off;'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (part: Buffer) => {
    stderr += part.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const log = () => stderr + (existsSync(errorFile) ? readFileSync(errorFile, 'utf8') : '');
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGQUIT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    }
    if (options.dir === undefined) rmSync(dir, { recursive: true, force: true });
  };
  const deadline = performance.now() + READY_WITHIN_MS;
  for (const port of options.ports) {
    while (!(await accepts(port))) {
      if (child.exitCode !== null || child.signalCode !== null || performance.now() > deadline) {
        const message = `nginx did not start listening on ${port}:\n${log()}\n${conf}`;
        await stop();
        throw new Error(message);
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
  return { log, stop };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: LOOPBACK });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
