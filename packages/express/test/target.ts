import { type ConformanceTarget, defineTarget, HOST, nodeServer } from '@flowllm/conformance';
import compression from 'compression';
import cors from 'cors';
import express, { type ErrorRequestHandler } from 'express';
import { flowllmExpress } from '../src/index.js';

export interface ExpressVariant {
  /** `express.json({ limit: '50mb' })` registered before the flows. */
  json?: boolean;
  /** `compression()` registered before the flows. */
  compression?: boolean;
}

/** A real express 5 app serving the flows with `app.use(flowllmExpress(…))` or `app.use(prefix, …)`. */
export function expressTarget(variant: ExpressVariant = {}): ConformanceTarget {
  return defineTarget({
    name: ['express', variant.json && 'json', variant.compression && 'compression'].filter(Boolean).join('+'),
    capabilities: { frameworkCors: true },
    serve(service, options, hostErrors) {
      const app = express();
      app.use((_req, res, next) => {
        res.setHeader(HOST.header, '1');
        next();
      });
      if (options.cors === 'framework') app.use(cors({ origin: true, credentials: true }));
      if (variant.compression) app.use(compression());
      // A larger limit than the flows' (http.body_limit): theirs must still hold.
      if (variant.json) app.use(express.json({ limit: '50mb' }));
      const flowsMiddleware = flowllmExpress(service);
      if (options.prefix) app.use(options.prefix, flowsMiddleware);
      else app.use(flowsMiddleware);
      app.get(HOST.ping.path, (_req, res) => {
        res.type('json').send(HOST.ping.body);
      });
      app.post(HOST.echo.path, express.json(), (req, res) => {
        res.json({ echo: req.body });
      });
      app.get(HOST.boom.path, () => {
        throw new Error('host boom');
      });
      app.use((_req, res) => {
        res.status(HOST.notFound.status).type('json').send(HOST.notFound.body);
      });
      const onError: ErrorRequestHandler = (error, _req, res, _next) => {
        hostErrors.push(error);
        if (res.headersSent) return void res.destroy();
        res.status(HOST.boom.status).type('json').send(HOST.boom.body);
      };
      app.use(onError);
      return nodeServer(app.listen(0, '127.0.0.1'));
    },
  });
}
