import { freePort, startNginx as runNginx } from '@flowllm/conformance/nginx';
import { HOST } from './host.js';

export { findNginx } from '@flowllm/conformance/nginx';

export interface NginxProxy {
  /** The proxy's origin for each upstream name. */
  url(name: string): string;
  /** nginx's error log so far (for failure messages). */
  errorLog(): string;
  close(): Promise<void>;
}

/**
 * Starts nginx with one `server` per upstream, each on a free port of 127.0.0.1 proxying `/` to the
 * upstream with nginx's default proxy settings (HTTP/1.0 to the upstream, proxy_buffering on) plus
 * `proxy_read_timeout`.
 */
export async function startNginx(
  upstreams: Record<string, string>,
  options: { readTimeoutSeconds: number },
): Promise<NginxProxy> {
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
  const nginx = await runNginx({ servers: servers.join('\n'), ports: Object.values(ports) });
  return { url: (name) => `http://${HOST}:${ports[name]}`, errorLog: nginx.log, close: nginx.stop };
}
