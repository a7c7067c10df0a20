// `vite build` (with vite.config.ts), run for `pnpm start` when dist/ is empty and by the tests.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DIST_DIR } from './server.ts';

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));

/**
 * Builds the React page into `outDir` (default `dist/`) with `vite build`, in a child process: Vite picks
 * React's development or production JSX from NODE_ENV, which a test runner sets to `test`.
 *
 * @example
 * await buildClient(); // dist/index.html and dist/assets/*
 */
export function buildClient(outDir: string = DIST_DIR): Promise<void> {
  const vitePackage = createRequire(import.meta.url).resolve('vite/package.json');
  const vite = join(dirname(vitePackage), 'bin', 'vite.js');
  const child = spawn(process.execPath, [vite, 'build', '--outDir', outDir, '--emptyOutDir'], {
    cwd: PACKAGE_DIR,
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (data: Buffer) => (output += data));
  child.stderr.on('data', (data: Buffer) => (output += data));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`vite build exited with ${code}:\n${output}`)),
    );
  });
}
