import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The newsroom app (src/admin), built into dist/admin and served by Masthead at /admin/.
export default defineConfig({
  root: fileURLToPath(new URL('./src/admin/', import.meta.url)),
  base: '/admin/',
  publicDir: false,
  build: {
    outDir: fileURLToPath(new URL('./dist/admin/', import.meta.url)),
    emptyOutDir: true,
    // No inlined assets: the CSP allows only files from our own origin.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    // One bundle for a staff-only app (React, Tiptap, zod): size matters less than simplicity.
    chunkSizeWarningLimit: 1200,
  },
  oxc: { jsx: { runtime: 'automatic' } },
});
