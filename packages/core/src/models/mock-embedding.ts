import { mockTokens } from './mock-tokens.js';
import type { EmbeddingModel } from './types.js';

/**
 * The built-in offline embedding model: a hashed bag of words, L2-normalised, so texts that share
 * words get a cosine similarity above zero. Deterministic; no network.
 *
 * @example
 * const [vector] = await new MockEmbeddingModel({ dimensions: 8 }).embed(['hello world']);
 */
export class MockEmbeddingModel implements EmbeddingModel {
  readonly backend = 'mock';
  readonly modelName: string;
  readonly dimensions: number;

  constructor(settings: { model_name?: string; dimensions?: number } = {}) {
    this.modelName = settings.model_name || 'mock-embedding';
    this.dimensions = settings.dimensions ?? 64;
  }

  async embed(texts: string[], options: { signal?: AbortSignal } = {}): Promise<number[][]> {
    options.signal?.throwIfAborted();
    return texts.map((text) => this.embedOne(text));
  }

  private embedOne(text: string): number[] {
    const vector = new Array<number>(this.dimensions).fill(0);
    for (const token of mockTokens(text.toLowerCase())) {
      const word = token.trim();
      if (word) vector[fnv1a(word) % this.dimensions]! += 1;
    }
    const norm = Math.hypot(...vector) || 1;
    return vector.map((value) => value / norm);
  }
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
