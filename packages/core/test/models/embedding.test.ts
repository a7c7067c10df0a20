import { afterEach, describe, expect, it } from 'vitest';
import { fakeEmbedding, startOpenAiUpstream } from '../../../testing/src/index.js';
import { createFlowApp } from '../../src/create-flow-app.js';
import type { FlowllmError } from '../../src/errors.js';
import { OpenAiCompatibleEmbedding } from '../../src/models/openai-compatible-embedding.js';
import { closer } from './helpers/backends.js';

const resources = closer();
afterEach(() => resources.closeAll());

/** Float32 round trips lose digits: compare to 6 places. */
function expectClose(actual: number[], expected: number[]): void {
  expect(actual).toHaveLength(expected.length);
  for (const [slot, value] of actual.entries()) expect(value).toBeCloseTo(expected[slot]!, 6);
}

const texts = Array.from({ length: 23 }, (_, index) => `text number ${index}`);

describe('openai_compatible embeddings against the local upstream', () => {
  it('sends batches of 10 with dimensions, puts vectors back in input order', async () => {
    const upstream = resources.add(await startOpenAiUpstream([{ reverseEmbeddings: true }]));
    const model = new OpenAiCompatibleEmbedding({
      model_name: 'text-embedding-v4',
      dimensions: 12,
      params: { user: 'tests' },
      api_key: 'sk-embed',
      base_url: upstream.url,
    });
    const vectors = await model.embed(texts);
    expect(upstream.requests.map((request) => (request.body as { input: string[] }).input.length)).toEqual([
      10, 10, 3,
    ]);
    expect(upstream.requests[0]?.path).toBe('/v1/embeddings');
    expect(upstream.requests[0]?.body).toMatchObject({
      model: 'text-embedding-v4',
      dimensions: 12,
      encoding_format: 'float',
      user: 'tests',
    });
    expect(vectors).toHaveLength(23);
    for (const [index, text] of texts.entries()) {
      expect(vectors[index]).toHaveLength(12);
      expectClose(vectors[index]!, fakeEmbedding(text, 12));
    }
  });

  it('decodes base64 vectors when params ask for them', async () => {
    const upstream = resources.add(await startOpenAiUpstream());
    const model = new OpenAiCompatibleEmbedding({
      model_name: 'e',
      params: { dimensions: 8, encoding_format: 'base64' },
      api_key: 'k',
      base_url: upstream.url,
    });
    const [vector] = await model.embed(['hello world']);
    expect(model.dimensions).toBe(8);
    expect(Array.isArray(vector)).toBe(true);
    expectClose(vector!, fakeEmbedding('hello world', 8));
  });

  it('retries a failed batch (500, then a dropped connection) and stops at the first final error', async () => {
    const upstream = resources.add(await startOpenAiUpstream([{ status: 500 }, { hang: 'headers' }, {}]));
    const model = new OpenAiCompatibleEmbedding({
      model_name: 'e',
      api_key: 'k',
      base_url: upstream.url,
      retry_delay: 0.01,
      timeout: 0.2,
    });
    expect(await model.embed(['a'])).toHaveLength(1);
    expect(upstream.requests).toHaveLength(3);

    const refusing = resources.add(await startOpenAiUpstream([], { apiKey: 'sk-right' }));
    const wrongKey = new OpenAiCompatibleEmbedding({
      model_name: 'e',
      api_key: 'sk-wrong-key-123',
      base_url: refusing.url,
    });
    const error = (await wrongKey.embed(['a']).catch((caught: unknown) => caught)) as Error;
    expect(error.message).toBe(
      "openai_compatible model e (embedding): the API key was refused (HTTP 401); check FLOW_EMBEDDING_API_KEY or the entry's api_key (error code: invalid_api_key)",
    );
    const { logDetail } = error as FlowllmError;
    expect(logDetail).toMatch(/^Incorrect API key provided: \[redacted\]/);
    expect(logDetail).not.toContain('sk-wrong-key-123');
    expect(logDetail).not.toContain('-123');
    expect(refusing.requests).toHaveLength(1);
  });

  it("a 200 whose body is a JSON error (some proxies) fails with the provider's message", async () => {
    const upstream = resources.add(
      await startOpenAiUpstream([{ status: 401, message: 'Proxy: key expired', errorAs200: true }]),
    );
    const model = new OpenAiCompatibleEmbedding({
      model_name: 'e',
      api_key: 'k',
      base_url: upstream.url,
      max_retries: 0,
    });
    const error = (await model.embed(['a']).catch((caught: unknown) => caught)) as Error;
    expect(error.message).toBe(
      'openai_compatible model e (embedding): the provider answered with an error instead of a result (error code: invalid_api_key)',
    );
    expect((error as FlowllmError).logDetail).toBe('Proxy: key expired');
    expect(upstream.requests).toHaveLength(1);
  });

  it('does not fall back to OPENAI_BASE_URL without a base_url', async () => {
    const saved = process.env.OPENAI_BASE_URL;
    process.env.OPENAI_BASE_URL = 'http://127.0.0.1:9/v1';
    try {
      const model = new OpenAiCompatibleEmbedding({ model_name: 'e', api_key: 'k' });
      // The client is made once the lazily imported SDK is loaded: still under this process.env.
      const client = await (model as unknown as { connection: { client: Promise<{ baseURL: string }> } })
        .connection.client;
      expect(client.baseURL).toBe('https://api.openai.com/v1');
    } finally {
      if (saved === undefined) delete process.env.OPENAI_BASE_URL;
      else process.env.OPENAI_BASE_URL = saved;
    }
  });

  it('is built from config with FLOW_EMBEDDING_API_KEY / FLOW_EMBEDDING_BASE_URL and params.dimensions', async () => {
    const upstream = resources.add(await startOpenAiUpstream());
    const app = createFlowApp({
      config: {
        embedding_model: {
          default: {
            backend: 'openai_compatible',
            model_name: 'text-embedding-v4',
            params: { dimensions: 6 },
          },
        },
      },
      env: { FLOW_EMBEDDING_API_KEY: 'sk-e', FLOW_EMBEDDING_BASE_URL: upstream.url },
    });
    const model = app.resources.embeddingModel('default');
    expect(model.dimensions).toBe(6);
    const [vector] = await model.embed(['x y']);
    expect(vector).toHaveLength(6);
    expect(upstream.requests[0]?.headers.authorization).toBe('Bearer sk-e');
  });
});
