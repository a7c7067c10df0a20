import { PLAYGROUND_CSS, PLAYGROUND_JS, PLAYGROUND_VERSION } from './assets.generated.js';

/**
 * The playground's own files, served at `{mount}/docs/{name}`: the script and the style of the page
 * (files, not inline, so a `script-src 'self'` CSP allows them).
 */
export const DOCS_ASSETS: ReadonlyMap<string, { contentType: string; body: string }> = new Map([
  ['playground.js', { contentType: 'text/javascript; charset=utf-8', body: PLAYGROUND_JS }],
  ['playground.css', { contentType: 'text/css; charset=utf-8', body: PLAYGROUND_CSS }],
]);

/** The name of one of {@link DOCS_ASSETS}. */
export type DocsAssetName = 'playground.js' | 'playground.css';

/**
 * The headers of a playground file. Asked for with the current `?v=` (as the page asks), it may be
 * kept for good; otherwise it is checked again each time, so an upgrade is never served stale.
 */
export function docsAssetHeaders(name: DocsAssetName, version: string | null): Record<string, string> {
  const asset = DOCS_ASSETS.get(name) as { contentType: string };
  return {
    'content-type': asset.contentType,
    'cache-control': version === PLAYGROUND_VERSION ? 'public, max-age=31536000, immutable' : 'no-cache',
    'x-content-type-options': 'nosniff',
  };
}
