import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { ProgressNotification } from '@modelcontextprotocol/sdk/types.js';

/** One `notifications/progress` as the client received it. */
export type ProgressUpdate = ProgressNotification['params'];

/**
 * Records every progress notification reaching `client`'s transport, then hands it on unchanged. The
 * SDK client settles a response at once but gives a notification to `onprogress` a microtask later, so
 * progress that shares a network read with a fast result misses `onprogress`; watching the transport
 * sees every one. Callers still pass an `onprogress` (a no-op) so the request carries a progress token.
 */
export function recordProgress(client: Client): ProgressUpdate[] {
  const transport = client.transport;
  if (!transport?.onmessage) throw new Error('recordProgress needs a connected client');
  const seen: ProgressUpdate[] = [];
  const deliver = transport.onmessage;
  transport.onmessage = (message, extra) => {
    if ('method' in message && message.method === 'notifications/progress') {
      seen.push(message.params as ProgressUpdate);
    }
    deliver(message, extra);
  };
  return seen;
}
