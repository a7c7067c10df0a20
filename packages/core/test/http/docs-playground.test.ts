// The /docs playground as the server serves it: the page and its two files over a real node:http server,
// their headers (types, caching, CSP), their weight, and `http.docs: false`. The page's behaviour in a
// browser is tested in Chromium by examples/browser (test/playground*.test.ts).
import { afterEach, describe, expect, it } from 'vitest';
import { PLAYGROUND_VERSION } from '../../src/http/playground/assets.generated.js';
import { FlowService } from '../../src/http/service.js';
import { testApp } from '../helpers/app.js';
import { listenService } from '../helpers/listen-service.js';

const CONFIG = {
  llm: { default: { backend: 'mock', answer: 'ok' } },
  flow: { chat: { flow_content: 'ChatOp()' } },
};
const PAGE_BUDGET_BYTES = 50 * 1024;

const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(config: Record<string, unknown> = CONFIG): Promise<string> {
  const running = await listenService(new FlowService(testApp(config)));
  servers.push(running);
  return running.url;
}

async function get(url: string, init?: RequestInit) {
  const response = await fetch(url, init);
  const bytes = new Uint8Array(await response.arrayBuffer());
  return { response, bytes, text: new TextDecoder().decode(bytes) };
}

describe('the /docs playground, served', () => {
  it('is an HTML shell with no inline script, style or handler; its files come from docs/, versioned', async () => {
    const url = await serve();
    const { response, text } = await get(`${url}/docs`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    const csp = response.headers.get('content-security-policy') ?? '';
    for (const directive of [
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      "connect-src 'self'",
    ])
      expect(csp).toContain(directive);
    expect(csp).not.toContain('unsafe');
    // Every script has a src, there is no <style> and no on*= attribute: `script-src 'self'` is enough.
    expect(text).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(text).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
    expect(text).toContain(`src="docs/playground.js?v=${PLAYGROUND_VERSION}"`);
    expect(text).toContain(`href="docs/playground.css?v=${PLAYGROUND_VERSION}"`);
    // All URLs relative (the page works under any mount point): no http(s):// and no leading slash.
    expect(text).not.toMatch(/(?:src|href)="(?:https?:|\/)/);
  });

  it('weighs under 50 KB in all: HTML, script and style as sent', async () => {
    const url = await serve();
    const sizes = await Promise.all(
      ['docs', 'docs/playground.js', 'docs/playground.css'].map(
        async (path) => (await get(`${url}/${path}`)).bytes.length,
      ),
    );
    const total = sizes.reduce((sum, size) => sum + size, 0);
    expect(Math.min(...sizes)).toBeGreaterThan(0);
    expect(total).toBeLessThan(PAGE_BUDGET_BYTES);
  });

  it('serves the script and style with their types; kept for good only at the current version', async () => {
    const url = await serve();
    for (const [file, type] of [
      ['playground.js', 'text/javascript; charset=utf-8'],
      ['playground.css', 'text/css; charset=utf-8'],
    ] as const) {
      const current = await get(`${url}/docs/${file}?v=${PLAYGROUND_VERSION}`);
      expect(current.response.status).toBe(200);
      expect(current.response.headers.get('content-type')).toBe(type);
      expect(current.response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(current.response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      const old = await get(`${url}/docs/${file}?v=0ld`);
      expect(old.text).toBe(current.text);
      expect(old.response.headers.get('cache-control')).toBe('no-cache');
      const head = await get(`${url}/docs/${file}`, { method: 'HEAD' });
      expect(head.response.headers.get('content-type')).toBe(type);
      expect(head.bytes.length).toBe(0);
      expect((await get(`${url}/docs/${file}`, { method: 'POST' })).response.status).toBe(405);
    }
    expect((await get(`${url}/docs/other.js`)).response.status).toBe(404);
  });

  it('the script builds the page with DOM calls only: no innerHTML, eval or inline handlers', async () => {
    const url = await serve();
    const { text } = await get(`${url}/docs/playground.js`);
    expect(text).toContain("fetch(new URL('openapi.json', baseUrl))");
    expect(text).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function/);
    expect(text).not.toMatch(/setAttribute\('on|setAttribute\('style/);
  });

  it('http.docs: false answers none of the three (the host takes them); the rest is served', async () => {
    const url = await serve({ ...CONFIG, http: { docs: false } });
    for (const path of ['docs', 'docs/playground.js', 'docs/playground.css'])
      expect((await get(`${url}/${path}`)).response.status, path).toBe(404);
    expect((await get(`${url}/openapi.json`)).response.status).toBe(200);
    const service = new FlowService(testApp({ ...CONFIG, http: { docs: false } }));
    expect(service.routeTemplates()).not.toContain('/docs');
    expect(service.routeTemplates().filter((path) => path.startsWith('/docs'))).toEqual([]);
    expect(new FlowService(testApp(CONFIG)).routeTemplates()).toEqual(
      expect.arrayContaining(['/docs', '/docs/playground.js', '/docs/playground.css']),
    );
    // The run timeline (telemetry.timeline) lives under /docs: fastify registers it with the page.
    const timeline = { ...CONFIG, telemetry: { timeline: true } };
    expect(new FlowService(testApp(timeline)).routeTemplates()).toContain('/docs/timeline/:flowId');
    expect(new FlowService(testApp(CONFIG)).routeTemplates()).not.toContain('/docs/timeline/:flowId');
    const withoutDocs = { ...timeline, http: { docs: false } };
    expect(new FlowService(testApp(withoutDocs)).routeTemplates()).not.toContain('/docs/timeline/:flowId');
  });
});
