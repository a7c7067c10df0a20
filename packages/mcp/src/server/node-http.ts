import type { IncomingMessage, ServerResponse } from 'node:http';

/** The largest JSON-RPC POST body read (the SDK's own limit for the SSE transport). */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

/**
 * Answers with a JSON-RPC error object (`id: null`), as the SDK's transports answer HTTP-level problems.
 *
 * @example
 * sendJsonRpcError(res, 404, -32001, 'Session not found');
 */
export function sendJsonRpcError(
  res: ServerResponse,
  status: number,
  code: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}

/**
 * Reads and parses a POST's JSON body; `undefined` after answering 413 or 400 itself.
 *
 * @example
 * const body = await readJsonBody(req, res);
 * if (body === undefined) return;
 */
export async function readJsonBody(req: IncomingMessage, res: ServerResponse): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_MESSAGE_BYTES) {
      sendJsonRpcError(res, 413, -32000, `Request body larger than ${MAX_MESSAGE_BYTES} bytes`, {
        connection: 'close',
      });
      return undefined;
    }
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    sendJsonRpcError(res, 400, -32700, 'Parse error: the body is not JSON');
    return undefined;
  }
}

/**
 * The ids of the JSON-RPC requests in a POST body (one message or a batch).
 *
 * @example
 * requestIds({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: {} }); // [3]
 */
export function requestIds(body: unknown): (string | number)[] {
  const messages = Array.isArray(body) ? body : [body];
  return messages.flatMap((message) => {
    const { id, method } = (message ?? {}) as { id?: unknown; method?: unknown };
    return typeof method === 'string' && (typeof id === 'string' || typeof id === 'number') ? [id] : [];
  });
}
