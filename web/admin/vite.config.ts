// The control panel: a React app served by Parley at /admin and at the spec's page paths
// (assets under /admin/assets/). It reuses the console's API client, i18n, components and styles
// (imported from web/console/src), and adds its own pages and strings.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/admin/',
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir: fileURLToPath(new URL('../dist/admin', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // Parley serves index.html itself (with its CSP); the assets are content-hashed.
    assetsInlineLimit: 0,
  },
});
