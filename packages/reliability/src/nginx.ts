import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HOST } from './host.js';

/** The nginx binary: `NGINX` or `nginx` on PATH (Debian puts it in /usr/sbin). */
export function findNginx(): string {
  const candidates = [process.env.NGINX, 'nginx', '/usr/sbin/nginx', '/usr/local/sbin/nginx'].filter(
    (candidate): candidate is string => Boolean(candidate),
  );
  for (const candidate of candidates) {
    try {
      execFileSync(candidate, ['-v'], { stdio: 'ignore' });
      return candidate;
    } catch {
      // try the next one
    }
  }
  throw new Error(
    'nginx is not installed: the reliability suite runs streams through a real nginx. Install it ' +
      '(Debian: apt-get install -y nginx; .ci/run does) or point NGINX at the binary.',
  );
}

/** A free TCP port on 127.0.0.1 (nginx needs a number in its config). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, HOST, () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export interface NginxProxy {
  /** The proxy's origin for each upstream name. */
  url(name: string): string;
  /** nginx's error log so far (for failure messages). */
  errorLog(): string;
  close(): Promise<void>;
}

/**
 * Starts nginx (`nginx -c <conf> -p <dir> -g 'daemon off;'`) with one `server` per upstream, each on a
 * free port of 127.0.0.1 proxying `/` to the upstream with nginx's default proxy settings (HTTP/1.0 to
 * the upstream, proxy_buffering on) plus `proxy_read_timeout`.
 */
export async function startNginx(
  upstreams: Record<string, string>,
  options: { readTimeoutSeconds: number },
): Promise<NginxProxy> {
  const binary = findNginx();
  const dir = mkdtempSync(join(tmpdir(), 'flowllm-nginx-'));
  for (const sub of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, sub));
  const ports: Record<string, number> = {};
  const servers: string[] = [];
  for (const [name, origin] of Object.entries(upstreams)) {
    const port = await freePort();
    ports[name] = port;
    servers.push(`
    server {
      listen ${HOST}:${port};
      location / {
        proxy_pass ${origin};
        proxy_read_timeout ${options.readTimeoutSeconds}s;
      }
    }`);
  }
  const runAsRoot = process.getuid?.() === 0 ? 'user root;\n' : '';
  const conf = `${runAsRoot}worker_processes 1;
error_log ${join(dir, 'error.log')} warn;
pid ${join(dir, 'nginx.pid')};
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${join(dir, 'body')};
  proxy_temp_path ${join(dir, 'proxy')};
  fastcgi_temp_path ${join(dir, 'fastcgi')};
  uwsgi_temp_path ${join(dir, 'uwsgi')};
  scgi_temp_path ${join(dir, 'scgi')};
${servers.join('\n')}
}
`;
  const confPath = join(dir, 'nginx.conf');
  writeFileSync(confPath, conf);
  const child: ChildProcess = spawn(binary, ['-c', confPath, '-p', dir, '-g', 'daemon off;'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (part: Buffer) => {
    stderr += part.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const errorLog = () => {
    const file = join(dir, 'error.log');
    return stderr + (existsSync(file) ? readFileSync(file, 'utf8') : '');
  };
  // Ready when every port accepts connections.
  const deadline = performance.now() + 10_000;
  for (const port of Object.values(ports)) {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`nginx exited at start-up: ${errorLog()}`);
      if (await accepts(port)) break;
      if (performance.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`nginx did not listen on ${port} within 10 s: ${errorLog()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
  return {
    url: (name) => `http://${HOST}:${ports[name]}`,
    errorLog,
    async close() {
      if (child.exitCode === null) {
        child.kill('SIGQUIT');
        const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: HOST });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
