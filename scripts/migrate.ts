// `npm run migrate`: create the database if missing and bring its schema up to date.
import { loadConfig } from '../engine/config.js';
import { createDatabase, migrate, openDatabase } from '../engine/persistence/database.js';
import { scrubText } from '../engine/security/redaction.js';

const config = loadConfig();
try {
  if (await createDatabase(config.databaseUrl)) console.log('Created the database.');
  const db = await openDatabase(config, { poolMax: 1 });
  try {
    const ran = await migrate(db);
    console.log(ran.length ? `Ran ${ran.length} migration(s): ${ran.join(', ')}` : 'Schema is up to date.');
  } finally {
    await db.destroy();
  }
} catch (error) {
  console.error(scrubText(error instanceof Error ? error.message : String(error)));
  process.exitCode = 1;
}
