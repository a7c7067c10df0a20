// One origin for page and API: the built React page at `/`, the express example's flows under /api.
import { fileURLToPath } from 'node:url';
import { type BuildAppOptions, buildApp } from '@flowllm-examples/express/src/app.ts';
import express, { type Express } from 'express';

/**
 * Where `vite build` writes the page.
 *
 * @example
 * existsSync(join(DIST_DIR, 'index.html')) // built already?
 */
export const DIST_DIR: string = fileURLToPath(new URL('../dist', import.meta.url));

/**
 * The express example's options (`tokenDelayMs` of the mock model) and where the built page is.
 *
 * @example
 * buildChatApp({ tokenDelayMs: 5, staticDir: '/tmp/page' } satisfies ChatAppOptions);
 */
export interface ChatAppOptions extends BuildAppOptions {
  /** The built page to serve at `/`; default `dist/`. */
  staticDir?: string;
}

/**
 * The express example's app (`/api/demo_stream_http_flow/ui` and the other flow routes) behind the
 * built page: no CORS needed, the page calls `/api/…` on its own origin.
 *
 * @example
 * buildChatApp().listen(8020); // then open http://localhost:8020/
 */
export function buildChatApp({ staticDir = DIST_DIR, ...appOptions }: ChatAppOptions = {}): Express {
  const app = express();
  // index.html at `/` (before the example's own JSON `/` route) and the hashed assets.
  app.use(express.static(staticDir));
  app.use(buildApp(appOptions));
  return app;
}
