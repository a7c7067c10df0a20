// `vite build` (and `buildClient()` in src/build-client.ts): the React page in src/client → dist/.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  // Absolute paths: the build also runs from the test, whose working directory may be the repo root.
  root: fileURLToPath(new URL('./src/client', import.meta.url)),
  plugins: [react()],
  // @ai-sdk/react pins an exact `ai` patch: one copy of `ai` (ours) in the bundle, not two.
  resolve: { dedupe: ['ai'] },
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    rollupOptions: {
      onwarn(warning, warn) {
        // zod's comments that Rollup cannot place: harmless, and noisy on every build.
        if (warning.code !== 'INVALID_ANNOTATION') warn(warning);
      },
    },
  },
});
