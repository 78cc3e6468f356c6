// The widget loader: the one script a customer puts on its pages (`/widget.js`). A single small
// IIFE with no imports at run time; it only makes the iframe that holds the chat panel.
// Vite requires a `name` for an IIFE; the loader exports nothing, so no global of that name is
// made (`ParleyWidget`, the page's API, is set by the code itself, once).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../dist/widget', import.meta.url)),
    emptyOutDir: false,
    target: 'es2018',
    sourcemap: false,
    minify: true,
    lib: { entry: fileURLToPath(new URL('src/loader.ts', import.meta.url)), formats: ['iife'], name: 'ParleyWidgetLoader', fileName: () => 'loader.js' },
  },
});
