// A real nginx in front of a flowllm server, for the deployment docs' configurations.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';

/** The nginx binary: NGINX_BIN, else /usr/sbin/nginx (Debian's), else `nginx` on the PATH. */
export function nginxBinary(): string {
  if (process.env.NGINX_BIN) return process.env.NGINX_BIN;
  return existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx';
}

/** A port that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Runs the doc's `server { … }` block in a foreground nginx: `listen 80` becomes a free local port and
 * `127.0.0.1:8002` the given upstream. Resolves once nginx accepts connections.
 */
export async function startNginx(dir: string, serverBlock: string, upstreamPort: number) {
  const port = await freePort();
  const server = serverBlock
    .replace(/listen\s+80\s*;/, `listen 127.0.0.1:${port};`)
    .replaceAll('127.0.0.1:8002', `127.0.0.1:${upstreamPort}`);
  if (!server.includes(`127.0.0.1:${port}`) || !server.includes(`127.0.0.1:${upstreamPort}`)) {
    throw new Error('an nginx sample must be a server block with `listen 80;` proxying to 127.0.0.1:8002');
  }
  await mkdir(join(dir, 'logs'), { recursive: true });
  const temp = (name: string) => `${name}_temp_path ${join(dir, name)};`;
  const config = [
    'daemon off;',
    'master_process off;',
    `pid ${join(dir, 'nginx.pid')};`,
    `error_log ${join(dir, 'logs', 'error.log')} warn;`,
    'events { worker_connections 64; }',
    'http {',
    '  access_log off;',
    `  ${temp('client_body')} ${temp('proxy')} ${temp('fastcgi')} ${temp('uwsgi')} ${temp('scgi')}`,
    server,
    '}',
  ].join('\n');
  await writeFile(join(dir, 'nginx.conf'), config);
  const child = spawn(
    nginxBinary(),
    ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'logs', 'error.log')],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (data) => {
    output += data;
  });
  child.stderr.on('data', (data) => {
    output += data;
  });
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  for (let attempt = 0; attempt < 100; attempt++) {
    if (child.exitCode !== null) break;
    if (await accepts(port)) return { port, stop, output: () => output };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await stop();
  throw new Error(`nginx did not start (is it installed? NGINX_BIN=${nginxBinary()}):\n${output}\n${config}`);
}

/**
 * Reads a stream whose backend holds all but its first chunk until `release()` is called. It calls
 * `release()` when the first chunk arrives, or after `waitMs` without one (a buffering proxy holds the
 * first chunk until the end). `streamed`: the first chunk arrived while the backend was still holding
 * the rest, which only a proxy that passes chunks on as they come makes possible.
 */
export async function gatedStream(
  url: string,
  release: () => Promise<void>,
  waitMs: number,
): Promise<{ body: string; streamed: boolean }> {
  let released: Promise<void> | undefined;
  const releaseOnce = () => {
    released ??= release();
  };
  const timer = setTimeout(releaseOnce, waitMs);
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'hi' }),
    });
    if (!response.ok || !response.body) throw new Error(`POST ${url} answered ${response.status}`);
    const decoder = new TextDecoder();
    let body = '';
    let streamed = false;
    const reader = response.body.getReader();
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      const before = body.includes('data:{');
      body += decoder.decode(read.value, { stream: true });
      if (!before && body.includes('data:{')) {
        streamed = released === undefined;
        releaseOnce();
      }
    }
    await released;
    return { body, streamed };
  } finally {
    clearTimeout(timer);
  }
}
