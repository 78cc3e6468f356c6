// The platform's own app: the public sign-up page (/apply) and the platform admin (/platform),
// served by Parley with assets under /platform/assets/. It reuses the console's API client, i18n
// machinery, dialogs and styles and the control panel's page pieces (imported from their sources).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/platform/',
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir: fileURLToPath(new URL('../dist/platform', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // Parley serves index.html itself (with its CSP); the assets are content-hashed.
    assetsInlineLimit: 0,
  },
});
