/** A database and Redis prefix of a benchmark's own, made from the configuration, and dropped afterwards. */
import { randomBytes } from 'node:crypto';
import { loadConfig, type Config } from '../engine/config.js';
import { benchDatabaseUrl } from './bench-support.js';

export { dropDatabase } from './bench-support.js';

export function benchConfig(): Config {
  const base = loadConfig();
  return { ...base, databaseUrl: benchDatabaseUrl(base.databaseUrl, 'weft_bench'), queuePrefix: `weft-bench-${randomBytes(4).toString('hex')}`, port: 0 };
}
