import type { AddressInfo } from 'node:net';
import fastifyCors from '@fastify/cors';
import { type ConformanceTarget, defineTarget, HOST } from '@flowllm/conformance';
import Fastify from 'fastify';
import { flowllmFastify } from '../src/index.js';

/**
 * A real fastify 5 app serving the flows with `fastify.register(flowllmFastify, { config, prefix })`.
 * The host's hooks, error handler and 404 handler are set before the plugin, so they apply to it too.
 */
export function fastifyTarget(): ConformanceTarget {
  return defineTarget({
    name: 'fastify',
    capabilities: { frameworkCors: true },
    async serve(service, options, hostErrors) {
      const fastify = Fastify({ logger: false });
      fastify.addHook('onRequest', async (_request, reply) => {
        reply.header(HOST.header, '1');
      });
      fastify.setErrorHandler((error, _request, reply) => {
        hostErrors.push(error);
        reply.code(HOST.boom.status).type('application/json').send(HOST.boom.body);
      });
      fastify.setNotFoundHandler((_request, reply) => {
        reply.code(HOST.notFound.status).type('application/json').send(HOST.notFound.body);
      });
      if (options.cors === 'framework')
        await fastify.register(fastifyCors, { origin: true, credentials: true });
      await fastify.register(flowllmFastify, { config: service, prefix: options.prefix });
      fastify.get(HOST.ping.path, async (_request, reply) =>
        reply.type('application/json').send(HOST.ping.body),
      );
      fastify.post(HOST.echo.path, async (request) => ({ echo: request.body }));
      fastify.get(HOST.boom.path, async () => {
        throw new Error('host boom');
      });
      await fastify.listen({ port: 0, host: '127.0.0.1' });
      const { port } = fastify.server.address() as AddressInfo;
      return {
        url: `http://127.0.0.1:${port}`,
        close: async () => {
          fastify.server.closeAllConnections();
          await fastify.close();
        },
      };
    },
  });
}
