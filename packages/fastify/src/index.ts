// The fastify adapter: it only translates fastify's request/reply to @flowllm/core's Node path.
// All behaviour — routes, validation, streaming, errors — lives in core.
import {
  createFlowService,
  type FlowServiceOptions,
  type FlowServiceSource,
  type ServiceLogger,
} from '@flowllm/core';
import { nodeServiceRequest, writeNodeStream } from '@flowllm/core/adapter';
import type { FastifyBaseLogger, FastifyPluginAsync, FastifyReply } from 'fastify';

/**
 * Options of the {@link flowllmFastify} plugin: `config` (required), fastify's own `prefix`, the
 * service's `logger` (default: fastify's), `mcp` (the MCP endpoint beside the flows) and `createFlowApp`'s
 * options (`overrides`, `cwd`, `env`, `ops`, …).
 *
 * @example
 * await fastify.register(flowllmFastify, { config: 'my_stream_config', prefix: '/api', ops: [SummarizeOp] });
 * await fastify.register(flowllmFastify, { config: 'my_stream_config', mcp: { path: '/mcp' } });
 */
export interface FlowllmFastifyOptions extends FlowServiceOptions {
  /** A YAML path or config name, a config object, a `FlowApp` or a `FlowService`. */
  config: FlowServiceSource;
}

/**
 * A fastify plugin serving every flow of a config; `prefix` works as for any plugin. Failures go to
 * fastify's logger. Headers set by hooks such as `@fastify/cors` reach streamed responses too. Request
 * bodies are held to the smaller of fastify's `bodyLimit` (instance or route) and `http.body_limit`.
 * With `mcp`, the MCP Streamable HTTP endpoint is served beside the flows (at `/mcp` below `prefix`).
 *
 * @example
 * await fastify.register(flowllmFastify, { config: 'my_stream_config', prefix: '/api' });
 * await fastify.register(flowllmFastify, { config: 'my_stream_config', mcp: true }); // + /mcp
 */
export const flowllmFastify: FastifyPluginAsync<FlowllmFastifyOptions> = async (fastify, options) => {
  const { config, ...serviceOptions } = options;
  const service = createFlowService(config, { logger: fastifyLogger(fastify.log), ...serviceOptions });
  // Core reads and checks the body itself (its limits and 4xx answers), so fastify must not parse it here.
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
  const mcp = service.mcp;
  if (mcp) {
    fastify.route({
      method: [...fastify.supportedMethods],
      url: mcp.path,
      // The MCP transport answers on the raw response (its streams, its 4xx), reading the raw body.
      handler: async (request, reply) => {
        takeOver(reply);
        await mcp.handleNode(request.raw, reply.raw);
      },
    });
  }
  // Core lists its routes (flows, protocols, resume runs, the OpenAI facade) as `:param` templates.
  const routes = service.routeTemplates().map((url) => ({
    url,
    path: (params: Record<string, string>) =>
      url
        .replace(/:([A-Za-z]+)/g, (_match, name: string) => encodeURIComponent(params[name] ?? ''))
        .replace(/\*$/, () => params['*'] ?? ''),
  }));
  for (const { url, path } of routes) {
    fastify.route({
      // Every method this fastify knows (TRACE, QUERY, and any added with addHttpMethod): the service answers
      // the ones a route does not take with 405 and Allow, as on every other transport.
      method: [...fastify.supportedMethods],
      url,
      handler: async (request, reply) => {
        // Core reads the body, not fastify: it applies fastify's bodyLimit too (the smaller one holds).
        const bodyLimit = request.routeOptions.bodyLimit;
        const params = request.params as Record<string, string>;
        const serviceRequest = nodeServiceRequest(request.raw, reply.raw, { path: path(params), bodyLimit });
        const result = await service.handle(serviceRequest);
        if (!result) return reply.callNotFound();
        // Plain answers go through fastify, so onSend hooks (compression, headers) still run — except
        // empty HEAD/204 answers, where fastify would add a Content-Length the GET answer does not have.
        const empty =
          !('stream' in result) && result.body === '' && (request.method === 'HEAD' || result.status === 204);
        if (!('stream' in result) && !empty)
          return reply.code(result.status).headers(result.headers).send(result.body);
        takeOver(reply);
        if (!('stream' in result)) return void reply.raw.writeHead(result.status, result.headers).end();
        await writeNodeStream(service, reply.raw, result, { signal: serviceRequest });
      },
    });
  }
};

// After hijack fastify writes nothing: carry over the headers hooks (e.g. @fastify/cors) set first.
function takeOver(reply: FastifyReply): void {
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    if (value !== undefined) reply.raw.setHeader(name, value as string | string[]);
  }
  reply.hijack();
}

function fastifyLogger(log: FastifyBaseLogger): ServiceLogger {
  return {
    error: (message, details) => log.error(details ?? {}, message),
    warn: (message, details) => log.warn(details ?? {}, message),
    info: (message, details) => log.info(details ?? {}, message),
  };
}

export default flowllmFastify;
