import { PLAYGROUND_VERSION } from './playground/assets.generated.js';

/**
 * The Content-Security-Policy the `/docs` page is served with: everything from its own origin, nothing
 * inline, no frames from elsewhere. A host that sets its own CSP must allow at least
 * `script-src 'self'; style-src 'self'; connect-src 'self'` for the page (see docs/playground.md).
 */
export const DOCS_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

/**
 * The `/docs` playground page: an HTML shell that loads its script and style from `docs/playground.js`
 * and `docs/playground.css` (relative URLs, so it works under any mount point; no CDN, works offline),
 * and the script builds the page from `openapi.json`: a form per flow that runs it and shows its stream.
 *
 * @example
 * docsHtml('FlowLLM') // '<!doctype html>…'
 */
export function docsHtml(title: string): string {
  const name = escapeHtml(title);
  const version = `?v=${PLAYGROUND_VERSION}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${name} – API playground</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="docs/playground.css${version}">
<script type="module" src="docs/playground.js${version}"></script>
</head>
<body><header><h1>${name}</h1><a href="openapi.json">OpenAPI document (openapi.json)</a></header>
<div id="app"><p>Loading the flows…</p></div>
<noscript><p>The playground needs JavaScript; the API is described in <a href="openapi.json">openapi.json</a>.</p></noscript>
</body></html>
`;
}

/** The headers of the `/docs` page: HTML, never cached (it names the current script), and its CSP. */
export const DOCS_PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-cache',
  'content-security-policy': DOCS_CSP,
  'x-content-type-options': 'nosniff',
};

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
