/**
 * `npm start`: one engine process with the REST API.
 */
import { loadConfig } from './config.js';
import { startWeft } from './weft.js';
import { scrubText } from './security/redaction.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const weft = await startWeft({ config });
  const log = weft.logger;
  log.info(`Weft listening on ${weft.url} (Postgres ${scrubText(config.databaseUrl)}, Redis ${scrubText(config.redisUrl)})`);
  if (weft.adminTokenGenerated) {
    // Printed once, on the start that generated it; later starts read it from the database.
    console.log(`\nAdmin token (generated, stored in the database; set WEFT_ADMIN_TOKEN to choose your own):\n\n  ${weft.adminToken}\n`);
  }
  const stop = async (signal: string) => {
    log.info(`${signal}: shutting down`);
    await weft.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: Error) => {
  console.error(scrubText(`Weft could not start: ${error.message}`));
  process.exit(1);
});
