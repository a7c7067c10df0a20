// FlowLLM's SSE framing, checked byte for byte: what a FlowLLM client expects to read.

export const CHUNK_FIELDS = ['flow_id', 'chunk_type', 'chunk', 'done', 'metadata'] as const;
const CHUNK_TYPES = new Set(['think', 'answer', 'tool', 'usage', 'error']);

export interface WireChunk {
  flow_id: string;
  chunk_type: string;
  chunk: unknown;
  done: boolean;
  metadata: Record<string, unknown>;
}

/**
 * Parses a complete stream body and throws, saying what is wrong, unless it is FlowLLM's framing:
 * events `data:{json}` (no space after the colon, compact JSON) separated by a blank line, each chunk
 * with exactly the fields flow_id, chunk_type, chunk, done, metadata in that order, one 32-hex flow id
 * for the whole stream, and `data:[DONE]` as the last event.
 */
export function parseFlowLlmStream(
  body: string,
  options: { allowComments?: boolean; eventSource?: boolean } = {},
): WireChunk[] {
  const fail = (message: string): never => {
    throw new Error(`not FlowLLM's framing: ${message}\n--- body\n${body.slice(0, 2000)}`);
  };
  if (!body.endsWith('data:[DONE]\n\n')) fail('the stream does not end with "data:[DONE]\\n\\n"');
  const events = body.slice(0, -2).split('\n\n');
  const done = events.pop() ?? '';
  // The EventSource variant (GET) numbers its events and ends with a numbered, named `done` event.
  const lastId = options.eventSource
    ? `id:${events.filter((event) => !event.startsWith(':')).length + 1}\n`
    : '';
  const expectedDone = options.eventSource ? `${lastId}event:done\ndata:[DONE]` : 'data:[DONE]';
  if (done !== expectedDone) fail(`the last event is not ${JSON.stringify(expectedDone)}`);
  const chunks: WireChunk[] = [];
  for (let event of events) {
    if (options.allowComments && event.startsWith(':')) continue;
    if (options.eventSource) {
      const id = /^id:(\d+)\n/.exec(event);
      if (id?.[1] !== String(chunks.length + 1)) fail(`an event does not start with id:${chunks.length + 1}`);
      event = event.slice(id?.[0].length);
    }
    if (!event.startsWith('data:{')) fail(`an event is not "data:{json}": ${JSON.stringify(event)}`);
    if (event.includes('\n')) fail(`an event spans several lines: ${JSON.stringify(event)}`);
    const text = event.slice('data:'.length);
    let chunk: WireChunk;
    try {
      chunk = JSON.parse(text) as WireChunk;
    } catch {
      return fail(`an event's data is not JSON: ${text}`);
    }
    if (JSON.stringify(chunk) !== text) fail(`the JSON is not compact: ${text}`);
    if (JSON.stringify(Object.keys(chunk)) !== JSON.stringify(CHUNK_FIELDS)) {
      fail(`the chunk's fields are not ${CHUNK_FIELDS.join(', ')} in this order: ${text}`);
    }
    if (!/^[0-9a-f]{32}$/.test(chunk.flow_id)) fail(`flow_id is not 32 hex characters: ${text}`);
    if (!CHUNK_TYPES.has(chunk.chunk_type)) fail(`unknown chunk_type: ${text}`);
    if (typeof chunk.done !== 'boolean') fail(`done is not a boolean: ${text}`);
    if (typeof chunk.metadata !== 'object' || chunk.metadata === null || Array.isArray(chunk.metadata)) {
      fail(`metadata is not an object: ${text}`);
    }
    chunks.push(chunk);
  }
  if (new Set(chunks.map((chunk) => chunk.flow_id)).size > 1) fail('the chunks carry different flow ids');
  return chunks;
}

/** The text of the stream's answer chunks, joined. */
export function answerText(chunks: WireChunk[]): string {
  return chunks
    .filter((chunk) => chunk.chunk_type === 'answer')
    .map((chunk) => String(chunk.chunk))
    .join('');
}

/** POSTs `input` to a stream flow and checks the answer's status, headers and framing. */
export async function streamFlow(url: string, input: Record<string, unknown>): Promise<WireChunk[]> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify(input),
  });
  const body = await response.text();
  if (response.status !== 200)
    throw new Error(`POST ${url} answered ${response.status}: ${body.slice(0, 500)}`);
  const contentType = response.headers.get('content-type');
  if (contentType !== 'text/event-stream; charset=utf-8') {
    throw new Error(`POST ${url}: content-type is ${contentType}, not text/event-stream; charset=utf-8`);
  }
  const chunks = parseFlowLlmStream(body);
  if (!chunks.some((chunk) => chunk.chunk_type === 'answer')) throw new Error(`POST ${url}: no answer chunk`);
  return chunks;
}
