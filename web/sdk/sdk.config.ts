// The Agent Console SDK: one small script with no run-time imports, built twice from the same code,
// as a classic script that sets the globals (`/sdk/agent-console.js`, vite.config.ts) and as an ES
// module (`/sdk/agent-console.mjs`, module.config.ts); its types (`agent-console.d.ts`) go beside them.
import { copyFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type UserConfig } from 'vite';

const outDir = fileURLToPath(new URL('../dist/sdk', import.meta.url));
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export function sdkBuild(format: 'iife' | 'es'): UserConfig {
  return defineConfig({
    logLevel: 'warn',
    build: {
      outDir,
      // The classic build runs first and starts the directory afresh.
      emptyOutDir: format === 'iife',
      target: 'es2018',
      sourcemap: false,
      minify: true,
      lib:
        format === 'iife'
          ? { entry: here('src/global.ts'), formats: ['iife'], name: 'ParleyAgentConsoleScript', fileName: () => 'agent-console.js' }
          : { entry: here('src/module.ts'), formats: ['es'], fileName: () => 'agent-console.mjs' },
    },
    plugins: [{ name: 'parley-sdk-types', closeBundle: () => copyFileSync(here('agent-console.d.ts'), `${outDir}/agent-console.d.ts`) }],
  });
}
