import { type ConformanceTarget, defineTarget, HOST } from '@flowllm/conformance';
import { H3, handleCors, serve } from 'h3';
import { flowllmH3 } from '../src/index.js';

const json = (status: number, body: string) =>
  new Response(body, { status, headers: { 'content-type': 'application/json' } });

/**
 * A real h3 2 app (served by h3's `serve`, srvx on node:http) with the flows mounted by
 * `app.mount(prefix, flowllmH3(…))`. The host's 404 and error answers come from its `onError` hook.
 */
export function h3Target(): ConformanceTarget {
  return defineTarget({
    name: 'h3',
    capabilities: { frameworkCors: true },
    async serve(service, options, hostErrors) {
      const app = new H3({
        silent: true,
        onError: (error) => {
          if (error.status === 404) return json(HOST.notFound.status, HOST.notFound.body);
          hostErrors.push(error);
          return json(HOST.boom.status, HOST.boom.body);
        },
      });
      app.use((event) => {
        event.res.headers.set(HOST.header, '1');
      });
      if (options.cors === 'framework') {
        app.use((event) => {
          const preflight = handleCors(event, {
            origin: () => true,
            credentials: true,
            methods: '*',
            exposeHeaders: [],
          });
          if (preflight !== false) return preflight;
        });
      }
      app.mount(options.prefix, flowllmH3(service));
      app.get(HOST.ping.path, () => json(200, HOST.ping.body));
      app.post(HOST.echo.path, async (event) => ({ echo: await event.req.json() }));
      app.get(HOST.boom.path, () => {
        throw new Error('host boom');
      });
      const server = serve(app, { port: 0, hostname: '127.0.0.1', silent: true, gracefulShutdown: false });
      await server.ready();
      return { url: new URL(server.url!).origin, close: () => server.close(true) };
    },
  });
}
