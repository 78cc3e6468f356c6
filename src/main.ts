// Boot: read the config, build the node, listen, and shut down cleanly on SIGINT/SIGTERM.
import { createParley } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const parley = await createParley(config);
  const url = await parley.listen();
  parley.http.log.info({ url, publicUrl: config.publicUrl, docs: `${config.publicUrl}/docs` }, 'Parley is listening');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    parley.http.log.info({ signal }, 'shutting down');
    await parley.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

await main();
