// The visitor widget's chat panel: a small Preact app in an iframe, served by Parley at
// /widget/frame.html (assets under /widget/assets/), and the mobile app's WebView chat page
// (webview.html, served at the spec's /UIMClient/Chat and /wise/webchat/Chat). The loader (`/widget.js`) is built separately
// by loader.config.ts.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/widget/',
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: fileURLToPath(new URL('../dist/widget', import.meta.url)),
    emptyOutDir: true,
    target: 'es2020',
    sourcemap: true,
    assetsInlineLimit: 0,
    rollupOptions: { input: { frame: fileURLToPath(new URL('frame.html', import.meta.url)), webview: fileURLToPath(new URL('webview.html', import.meta.url)) } },
  },
});
