import type OpenAI from 'openai';
import { FlowllmError } from '../errors.js';
import { openAiSpec } from './openai-client.js';
import { connectProvider, type ProviderConnection } from './provider-client.js';
import type { EmbeddingModel } from './types.js';
import { callWithRetries, type RetrySettings } from './upstream-call.js';
import { ErrorInsteadOfResult } from './upstream-details.js';

const BATCH = 10;

/**
 * The `openai_compatible` embedding entry. `api_key` and `base_url` default to `FLOW_EMBEDDING_API_KEY`
 * and `FLOW_EMBEDDING_BASE_URL` when the entry comes from config.
 *
 * @example
 * const settings: OpenAiCompatibleEmbeddingSettings = { model_name: 'text-embedding-3-small', dimensions: 512 };
 */
export interface OpenAiCompatibleEmbeddingSettings extends Partial<RetrySettings> {
  model_name: string;
  /** Vector size to ask for; default `params.dimensions`, else the model's own. */
  dimensions?: number;
  params?: Record<string, unknown>;
  api_key?: string;
  base_url?: string;
}

/**
 * Embeddings on an OpenAI-compatible API: batches of 10, results put back in input order (by
 * `index`), `dimensions` sent when set, floats requested (not every compatible API speaks base64).
 * Each batch is retried on 429, 5xx, timeouts and lost connections.
 *
 * @example
 * const model = new OpenAiCompatibleEmbedding({ model_name: 'text-embedding-v4', dimensions: 1024, api_key });
 * const [vector] = await model.embed(['hello']);
 */
export class OpenAiCompatibleEmbedding implements EmbeddingModel {
  readonly backend = 'openai_compatible';
  readonly modelName: string;
  readonly dimensions: number;
  private readonly connection: ProviderConnection<OpenAI>;

  constructor(private readonly settings: OpenAiCompatibleEmbeddingSettings) {
    this.modelName = settings.model_name;
    this.dimensions = settings.dimensions ?? Number(settings.params?.dimensions ?? 0);
    this.connection = connectProvider(
      settings,
      openAiSpec(`${this.modelName} (embedding)`, 'FLOW_EMBEDDING_API_KEY'),
    );
  }

  async embed(texts: string[], options: { signal?: AbortSignal } = {}): Promise<number[][]> {
    const vectors: number[][] = [];
    for (let start = 0; start < texts.length; start += BATCH) {
      const input = texts.slice(start, start + BATCH);
      const body = {
        encoding_format: 'float' as const,
        ...this.settings.params,
        model: this.modelName,
        input,
        ...(this.dimensions ? { dimensions: this.dimensions } : {}),
      };
      const response = await callWithRetries(this.connection, options.signal, async (attempt) => {
        const client = await this.connection.client;
        const result = await client.embeddings.create(body, { signal: attempt.signal });
        // Some proxies answer 200 with a JSON error body.
        if (!Array.isArray((result as { data?: unknown }).data)) {
          throw new ErrorInsteadOfResult(result, 'a result');
        }
        attempt.opened();
        return result;
      });
      if (response.data.length !== input.length) {
        throw new FlowllmError(
          'FLOWLLM_MODEL_STREAM',
          `openai_compatible model ${this.modelName} (embedding): asked for ${input.length} vectors, got ${response.data.length}`,
          { expose: true, status: 502 },
        );
      }
      const ordered = [...response.data].sort((a, b) => a.index - b.index);
      vectors.push(...ordered.map((item) => toNumbers(item.embedding as unknown)));
    }
    return vectors;
  }
}

/** A vector as plain numbers: floats as sent, or base64 float32 when `params.encoding_format` asked for it. */
function toNumbers(embedding: unknown): number[] {
  if (typeof embedding === 'string') {
    const bytes = Buffer.from(embedding, 'base64');
    return Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, Math.floor(bytes.byteLength / 4)));
  }
  return Array.from(embedding as ArrayLike<number>);
}
