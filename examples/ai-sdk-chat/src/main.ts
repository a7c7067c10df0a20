// `pnpm start`: builds the page if dist/ has none or an older one than its sources, then serves page
// and flows on one port.
import { existsSync, readdirSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildClient } from './build-client.ts';
import { buildChatApp, DIST_DIR } from './server.ts';

const PAGE_SOURCES = [
  fileURLToPath(new URL('../vite.config.ts', import.meta.url)),
  ...readdirSync(new URL('./client', import.meta.url)).map((name) =>
    fileURLToPath(new URL(`./client/${name}`, import.meta.url)),
  ),
];

function pageIsStale(): boolean {
  const built = join(DIST_DIR, 'index.html');
  if (!existsSync(built)) return true;
  const builtAt = statSync(built).mtimeMs;
  return PAGE_SOURCES.some((source) => statSync(source).mtimeMs > builtAt);
}

if (pageIsStale()) {
  console.log('building the page (vite build)…');
  await buildClient();
}
const port = Number(process.env.PORT ?? 8020);
const server = buildChatApp().listen(port, (error) => {
  if (error) throw error; // express 5 hands listen errors (e.g. EADDRINUSE) to this callback
  const url = `http://localhost:${(server.address() as AddressInfo).port}/`;
  console.log(`ai-sdk-chat on ${url} — open it in a browser`);
});
