// Builds the browser code (agent console, control panel, platform sign-up and admin, widget panel, widget loader, console SDK) into web/dist with Vite.
// Skips the build when nothing it depends on changed since the last one (a hash of web/ and the
// lockfile, kept in web/dist/.stamp), so `npm start` and `npm test` stay quick. `--force` builds anyway.
import { createHash } from 'node:crypto';
import { existsSync, globSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = `${root}web/dist`;
const stampFile = `${dist}/.stamp`;

function sourcesHash(): string {
  const hash = createHash('sha256');
  const files = globSync('web/**/*', { cwd: root })
    .filter((f) => !f.startsWith('web/dist/') && !f.includes('node_modules'))
    .sort();
  for (const file of [...files, 'package-lock.json']) {
    try {
      hash.update(file).update(readFileSync(`${root}${file}`));
    } catch {
      // a directory
    }
  }
  return hash.digest('hex');
}

const stamp = sourcesHash();
const upToDate = !process.argv.includes('--force') && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp;
if (upToDate) {
  process.stdout.write('web: up to date\n');
} else {
  const started = performance.now();
  for (const config of ['web/console/vite.config.ts', 'web/admin/vite.config.ts', 'web/platform/vite.config.ts', 'web/widget/vite.config.ts', 'web/widget/loader.config.ts', 'web/sdk/vite.config.ts', 'web/sdk/module.config.ts']) {
    await build({ configFile: `${root}${config}`, mode: 'production' });
  }
  writeFileSync(stampFile, stamp);
  process.stdout.write(`web: built in ${Math.round(performance.now() - started)} ms\n`);
}
