import { type ConformanceTarget, defineTarget, HOST, nodeServer } from '@flowllm/conformance';
import { bodyParser } from '@koa/bodyparser';
import cors from '@koa/cors';
import { Router } from '@koa/router';
import Koa from 'koa';
import compress from 'koa-compress';
import { flowllmKoa } from '../src/index.js';

export interface KoaVariant {
  /** `@koa/bodyparser` (`jsonLimit: '50mb'`) registered before the flows. */
  bodyParser?: boolean;
  /** `koa-compress` registered before the flows (threshold 0: it compresses whatever it may). */
  compress?: boolean;
}

/** A real koa 3 app serving the flows with `app.use(flowllmKoa(…, { prefix }))`. */
export function koaTarget(variant: KoaVariant = {}): ConformanceTarget {
  return defineTarget({
    name: ['koa', variant.bodyParser && 'bodyparser', variant.compress && 'compress']
      .filter(Boolean)
      .join('+'),
    capabilities: { frameworkCors: true },
    serve(service, options, hostErrors) {
      const app = new Koa();
      // Errors koa reports itself (e.g. a failed stream after the response began).
      app.on('error', (error) => hostErrors.push(error));
      // The host's error handler.
      app.use(async (ctx, next) => {
        try {
          await next();
        } catch (error) {
          hostErrors.push(error);
          ctx.status = HOST.boom.status;
          ctx.type = 'json';
          ctx.body = HOST.boom.body;
        }
      });
      app.use(async (ctx, next) => {
        ctx.set(HOST.header, '1');
        await next();
      });
      if (options.cors === 'framework') app.use(cors({ credentials: true }));
      if (variant.compress) app.use(compress({ threshold: 0 }));
      // A larger limit than the flows' (http.body_limit): theirs must still hold.
      if (variant.bodyParser) app.use(bodyParser({ jsonLimit: '50mb' }));
      app.use(flowllmKoa(service, { prefix: options.prefix }));
      const router = new Router();
      router.get(HOST.ping.path, (ctx) => {
        ctx.type = 'json';
        ctx.body = HOST.ping.body;
      });
      router.post(HOST.echo.path, bodyParser(), (ctx) => {
        ctx.body = { echo: ctx.request.body };
      });
      router.get(HOST.boom.path, () => {
        throw new Error('host boom');
      });
      app.use(router.routes());
      app.use((ctx) => {
        ctx.status = HOST.notFound.status;
        ctx.type = 'json';
        ctx.body = HOST.notFound.body;
      });
      return nodeServer(app.listen(0, '127.0.0.1'));
    },
  });
}
