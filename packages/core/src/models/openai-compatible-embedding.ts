import OpenAI from 'openai';
import { FlowllmError } from '../errors.js';
import type { EmbeddingModel } from './types.js';

const BATCH = 10;

/**
 * Embeddings on an OpenAI-compatible API: batches of 10, results put back in input order.
 *
 * @example
 * const model = new OpenAiCompatibleEmbedding({ model_name: 'text-embedding-v4', dimensions: 1024, params: {} });
 */
export class OpenAiCompatibleEmbedding implements EmbeddingModel {
  readonly backend = 'openai_compatible';
  readonly modelName: string;
  readonly dimensions: number;
  private readonly client: OpenAI;

  constructor(
    private readonly settings: {
      model_name: string;
      dimensions?: number;
      params: Record<string, unknown>;
      api_key?: string;
      base_url?: string;
    },
  ) {
    this.modelName = settings.model_name;
    this.dimensions = settings.dimensions ?? Number(settings.params.dimensions ?? 0);
    this.client = new OpenAI({ apiKey: settings.api_key, baseURL: settings.base_url, maxRetries: 0 });
  }

  async embed(texts: string[], options: { signal?: AbortSignal } = {}): Promise<number[][]> {
    const vectors: number[][] = [];
    for (let start = 0; start < texts.length; start += BATCH) {
      const input = texts.slice(start, start + BATCH);
      try {
        const response = await this.client.embeddings.create(
          {
            ...this.settings.params,
            model: this.modelName,
            input,
            ...(this.dimensions ? { dimensions: this.dimensions } : {}),
          },
          { signal: options.signal },
        );
        const ordered = [...response.data].sort((a, b) => a.index - b.index);
        vectors.push(...ordered.map((item) => item.embedding));
      } catch (error) {
        if (options.signal?.aborted) throw options.signal.reason;
        throw new FlowllmError(
          'FLOWLLM_MODEL_ERROR',
          `openai_compatible embedding ${this.modelName}: ${error instanceof Error ? error.message : 'unknown error'}`,
          { cause: error, expose: true, status: 502 },
        );
      }
    }
    return vectors;
  }
}
