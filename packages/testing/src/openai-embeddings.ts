import { fakeEmbedding } from './embeddings.js';
import { promptTokens } from './event-writer.js';
import { type Exchange, sendJson } from './server.js';

/** The 400 answer the real Embeddings API gives a request it refuses, as `[status, message]`. */
export function refuseEmbeddings(body: unknown): [number, string] | undefined {
  const { model, input } = (body ?? {}) as { model?: unknown; input?: unknown };
  if (typeof model !== 'string' || !model) return [400, 'you must provide a model parameter'];
  const texts = Array.isArray(input) ? input : [input];
  if (texts.length === 0 || texts.some((text) => typeof text !== 'string' || text === ''))
    return [
      400,
      "'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.",
    ];
  return undefined;
}

/** Answers `POST /v1/embeddings` with `fakeEmbedding` vectors, as floats or base64. */
export function embeddings({ request, response, reply }: Exchange): void {
  const body = request.body as {
    model: string;
    input: string | string[];
    dimensions?: number;
    encoding_format?: string;
  };
  const texts = Array.isArray(body.input) ? body.input : [body.input];
  const dimensions = body.dimensions ?? 16;
  const data = texts.map((text, index) => {
    const vector = fakeEmbedding(text, dimensions);
    const embedding =
      body.encoding_format === 'base64'
        ? Buffer.from(new Float32Array(vector).buffer).toString('base64')
        : vector;
    return { object: 'embedding', index, embedding };
  });
  if (reply.reverseEmbeddings) data.reverse();
  const tokens = texts.reduce((sum, text) => sum + promptTokens(text), 0);
  sendJson(response, 200, {
    object: 'list',
    data,
    model: body.model,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  });
}
