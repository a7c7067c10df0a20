import { describe, expect, it } from 'vitest';
import { send } from '../client.js';
import type { SuiteContext } from '../harness.js';
import { flows } from '../util.js';

// biome-ignore lint/suspicious/noExplicitAny: walking a JSON document
type Json = Record<string, any>;

const config = {
  app_name: 'Test Flows',
  flow: flows({
    search: {
      flow_content: 'ChatOp()',
      description: 'Search the docs',
      input_schema: {
        query: { type: 'string', description: 'what to find', required: true },
        top_k: { type: 'integer', description: 'how many', required: false },
        mode: { type: 'string', description: 'how', required: false, enum: ['fast', 'deep'] },
        tags: { type: 'array', description: 'labels', required: true, items: { type: 'string' } },
      },
    },
    talk: {
      flow_content: 'StreamChatOp()',
      stream: true,
      description: 'Chat, streamed',
      input_schema: { query: { type: 'string', description: 'the question', required: true } },
    },
  }),
};

function resolve(document: Json, node: Json): Json {
  if (typeof node.$ref !== 'string') return node;
  const path = (node.$ref as string).replace(/^#\//, '').split('/');
  return path.reduce<Json>((at, key) => at[key], document);
}

/** openapi.json: OpenAPI 3.1, from the flows' input_schema. */
export function openapiCases(ctx: SuiteContext): void {
  describe('OpenAPI', () => {
    it('is OpenAPI 3.1 titled from app_name, with one POST operation per flow', async () => {
      const { url } = await ctx.start(config);
      const reply = await send(url, '/openapi.json');
      expect(reply.status).toBe(200);
      expect(reply.headers['content-type']).toMatch(/^application\/json/);
      const document = JSON.parse(reply.body) as Json;
      expect(document.openapi).toMatch(/^3\.1\.\d+$/);
      expect(document.info.title).toBe('Test Flows');
      // Routes beside the flows (here the UI message stream of the stream flow) carry x-flowllm-route.
      const posts = Object.entries(document.paths as Json).filter(
        ([, item]) => item.post && !('x-flowllm-route' in item.post),
      );
      expect(posts.map(([path]) => path).sort()).toEqual(['/search', '/talk']);
      expect(document.paths['/talk/ui'].post['x-flowllm-route']).toBe('ui');
      expect(document.paths['/search/ui']).toBeUndefined();
      expect(document.paths['/search'].post.description).toBe('Search the docs');
      const operationIds = posts.map(([, item]) => item.post.operationId);
      expect(new Set(operationIds).size).toBe(operationIds.length);
    });

    it('takes the request schema from input_schema: required, enum, items', async () => {
      const { url } = await ctx.start(config);
      const document = JSON.parse((await send(url, '/openapi.json')).body) as Json;
      const schema = resolve(
        document,
        document.paths['/search'].post.requestBody.content['application/json'].schema,
      );
      expect(schema.type).toBe('object');
      expect([...schema.required].sort()).toEqual(['query', 'tags']);
      expect(schema.properties.query).toMatchObject({ type: 'string', description: 'what to find' });
      expect(schema.properties.top_k.type).toBe('integer');
      expect(schema.properties.mode.enum).toEqual(['fast', 'deep']);
      expect(schema.properties.tags).toMatchObject({ type: 'array', items: { type: 'string' } });
    });

    it('documents text/event-stream for stream flows and FlowResponse for sync flows', async () => {
      const { url } = await ctx.start(config);
      const document = JSON.parse((await send(url, '/openapi.json')).body) as Json;
      const streamOk = document.paths['/talk'].post.responses['200'].content;
      expect(Object.keys(streamOk)).toEqual(['text/event-stream']);
      const syncOk = document.paths['/search'].post.responses['200'].content;
      expect(Object.keys(syncOk)).toEqual(['application/json']);
      const flowResponse = resolve(document, syncOk['application/json'].schema);
      expect(Object.keys(flowResponse.properties).sort()).toEqual(['answer', 'metadata', 'success']);
      expect([...flowResponse.required].sort()).toEqual(['answer', 'metadata', 'success']);
      expect(flowResponse.properties.success.type).toBe('boolean');
      const talkSchema = resolve(
        document,
        document.paths['/talk'].post.requestBody.content['application/json'].schema,
      );
      expect(talkSchema.required).toEqual(['query']);
      expect(document.paths['/talk'].post.responses['422']).toBeDefined();
    });

    it('describes the GET (EventSource) variant of stream flows with query parameters', async () => {
      const { url } = await ctx.start(config);
      const document = JSON.parse((await send(url, '/openapi.json')).body) as Json;
      expect(document.paths['/search'].get).toBeUndefined();
      const get = document.paths['/talk'].get;
      expect(get.parameters[0]).toEqual(
        expect.objectContaining({
          name: 'query',
          in: 'query',
          required: true,
          schema: expect.objectContaining({ type: 'string' }),
        }),
      );
      // FlowLLM's other base fields, optional; lists of messages and objects travel as JSON text.
      expect(get.parameters.slice(1).map((parameter: Json) => [parameter.name, parameter.required])).toEqual([
        ['messages', false],
        ['workspace_id', false],
        ['metadata', false],
      ]);
      expect(get.parameters[1].content['application/json'].schema.type).toBe('array');
      expect(Object.keys(get.responses['200'].content)).toEqual(['text/event-stream']);
    });

    it('uses only OpenAPI 3.1 fields in media type objects (others need an x- prefix)', async () => {
      const { url } = await ctx.start(config);
      const document = JSON.parse((await send(url, '/openapi.json')).body) as Json;
      const allowed = new Set(['schema', 'example', 'examples', 'encoding']);
      const wrong: string[] = [];
      for (const [path, item] of Object.entries(document.paths as Json)) {
        for (const [method, operation] of Object.entries(item as Json)) {
          const contents = [
            operation.requestBody?.content,
            ...Object.values((operation.responses ?? {}) as Json).map((response: Json) => response.content),
          ];
          for (const content of contents) {
            for (const [mediaType, media] of Object.entries((content ?? {}) as Json)) {
              for (const key of Object.keys(media as Json))
                if (!allowed.has(key) && !key.startsWith('x-'))
                  wrong.push(`${method} ${path} ${mediaType}: ${key}`);
            }
          }
        }
      }
      expect(wrong).toEqual([]);
    });
  });
}
