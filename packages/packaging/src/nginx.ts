// A real nginx in front of a flowllm server, for the deployment docs' configurations.
import { freePort, startNginx as runNginx } from '@flowllm/conformance/nginx';

/**
 * Runs the doc's `server { … }` block in a foreground nginx: `listen 80` becomes a free local port and
 * `127.0.0.1:8002` the given upstream. Resolves once nginx accepts connections.
 */
export async function startNginx(dir: string, serverBlock: string, upstreamPort: number) {
  const port = await freePort();
  const servers = serverBlock
    .replace(/listen\s+80\s*;/, `listen 127.0.0.1:${port};`)
    .replaceAll('127.0.0.1:8002', `127.0.0.1:${upstreamPort}`);
  if (!servers.includes(`127.0.0.1:${port}`) || !servers.includes(`127.0.0.1:${upstreamPort}`)) {
    throw new Error('an nginx sample must be a server block with `listen 80;` proxying to 127.0.0.1:8002');
  }
  const nginx = await runNginx({ dir, servers, ports: [port] });
  return { port, stop: nginx.stop };
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
