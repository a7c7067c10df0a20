import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FlowService } from '../../src/http/service.js';

/**
 * A real node:http server on 127.0.0.1, port 0, serving `service` (through `listener` when given), and
 * a `close` that shuts the service down and drops every connection.
 */
export async function listenService(
  service: FlowService,
  listener: RequestListener = service.node,
): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: async () => {
      service.shutdown();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
