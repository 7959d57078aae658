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
    // A staff-only app in three files loaded together: the editor's libraries
    // (Tiptap, ProseMirror), editing together (Yjs), and the rest. Each changes
    // at its own pace, so a release re-downloads only what changed.
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            {
              name: 'shared-editing',
              test: /node_modules[\\/](yjs|y-protocols|y-websocket|y-indexeddb|lib0|@tiptap[\\/](y-tiptap|extension-collaboration))[\\/]/,
              priority: 2,
            },
            { name: 'editor', test: /node_modules[\\/](@tiptap|prosemirror-)/, priority: 1 },
          ],
        },
      },
    },
  },
  oxc: { jsx: { runtime: 'automatic' } },
});
