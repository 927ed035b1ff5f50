/**
 * The Weft command line, against the database of DATABASE_URL (created and
 * migrated when needed):
 *
 *   weft user add <name> [--role user|modeler|operator|admin] [--groups a,b] [--password <pw>]
 *   weft user password <name> [--password <pw>]
 *   weft user update <name> [--role <role>] [--groups a,b] [--disable | --enable]
 *   weft user remove <name>
 *   weft user list
 *   weft token create <user> [--name <label>] [--scope worker]
 *   weft token list [<user>]
 *   weft token revoke <token-id>
 *   weft secrets set|list|delete|rotate …  (scripts/secrets-cli.ts; a value only ever from stdin)
 *   weft connectors
 *   weft audit verify-archive <file>   (a history archive's audit chains, offline; no database)
 *   weft deploy|start|instances|tasks|incidents|retry|tail|batch …  (scripts/cli/: a running Weft's REST API)
 *
 * `weft connectors` runs the built-in connectors as a process of their own
 * (connectors/run-connectors.ts: WEFT_URL, WEFT_TOKEN, REDIS_URL, …); it
 * needs no database.
 *
 * Without --password, a password is read from WEFT_PASSWORD or generated and
 * printed once. A token is printed once; only its hash is kept.
 */
import { randomBytes } from 'node:crypto';
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { loadConfig } from '../engine/config.js';
import { createDatabase, migrate, openDatabase } from '../engine/persistence/database.js';
import { IdentityRepository } from '../engine/features/people/identity-repository.js';
import { scrubText } from '../engine/security/redaction.js';
import { runSecrets, SECRETS_USAGE } from './secrets-cli.js';
import { API_USAGE, isApiCommand, runApiCli } from './cli/index.js';

const USAGE = `usage:
  weft user add <name> [--role user|modeler|operator|admin] [--groups a,b] [--password <pw>]
  weft user password <name> [--password <pw>]
  weft user update <name> [--role <role>] [--groups a,b] [--disable | --enable]
  weft user remove <name>
  weft user list
  weft token create <user> [--name <label>] [--scope worker]
  weft token list [<user>]
  weft token revoke <token-id>
${SECRETS_USAGE}
  weft connectors            (env: WEFT_URL, WEFT_TOKEN, REDIS_URL, WEFT_QUEUE_PREFIX, WEFT_CONNECTOR_ALLOW)
  weft audit verify-archive <file>   (recompute the audit chains of a history archive, offline)
${API_USAGE}`;

/** The actor the audit log records for command-line changes, e.g. `cli:root`. */
const CLI = `cli:${process.env.USER ?? process.env.LOGNAME ?? osUser()}`;

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

// The REST commands have options of their own (commander, scripts/cli/); they are not parsed here.
const apiCommand = isApiCommand(process.argv.slice(2));

const { values: opts, positionals } = parseArgs({
  args: apiCommand ? [] : process.argv.slice(2),
  allowPositionals: true,
  options: {
    role: { type: 'string' },
    groups: { type: 'string' },
    password: { type: 'string' },
    name: { type: 'string' },
    scope: { type: 'string', multiple: true },
    disable: { type: 'boolean' },
    enable: { type: 'boolean' },
    batch: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

const groups = () => (opts.groups === undefined ? undefined : opts.groups.split(',').map((g) => g.trim()).filter(Boolean));

function password(): { value: string; generated: boolean } {
  const given = opts.password ?? process.env.WEFT_PASSWORD;
  return given ? { value: given, generated: false } : { value: randomBytes(12).toString('base64url'), generated: true };
}

async function run(identity: IdentityRepository, [noun, verb, arg]: string[]): Promise<void> {
  const need = (what: string) => {
    if (!arg) throw new Error(`${noun} ${verb} needs ${what}\n${USAGE}`);
    return arg;
  };
  switch (`${noun} ${verb}`) {
    case 'user add': {
      const pw = password();
      const user = await identity.addUser({ name: need('a user name'), role: opts.role, groups: groups(), password: pw.value }, CLI);
      console.log(`Added ${user.name} (role ${user.role}${user.groups.length ? `, groups ${user.groups.join(', ')}` : ''}).`);
      if (pw.generated) console.log(`Password (shown once): ${pw.value}`);
      return;
    }
    case 'user password': {
      const pw = password();
      await identity.updateUser(need('a user name'), { password: pw.value }, CLI);
      console.log(`Password of ${arg} set; their browser sessions are ended.`);
      if (pw.generated) console.log(`Password (shown once): ${pw.value}`);
      return;
    }
    case 'user update': {
      const disabled = opts.disable ? true : opts.enable ? false : undefined;
      const user = await identity.updateUser(need('a user name'), { role: opts.role, groups: groups(), disabled }, CLI);
      console.log(`${user.name}: role ${user.role}, groups ${user.groups.join(', ') || '(none)'}${user.disabled ? ', disabled' : ''}`);
      return;
    }
    case 'user remove':
      await identity.removeUser(need('a user name'), CLI);
      console.log(`Removed ${arg}.`);
      return;
    case 'user list':
      for (const u of await identity.users()) console.log(`${u.name}\t${u.role}\t${u.groups.join(',') || '-'}${u.disabled ? '\tdisabled' : ''}`);
      return;
    case 'token create': {
      const token = await identity.createToken(need('a user name'), { name: opts.name, scopes: opts.scope }, CLI);
      console.log(`Token ${token.id} for ${token.user}${token.scopes.length ? ` (scopes ${token.scopes.join(', ')})` : ''}.`);
      console.log(`Token (shown once): ${token.token}`);
      return;
    }
    case 'token list':
      for (const t of await identity.tokens({ user: arg })) console.log(`${t.id}\t${t.user}\t${t.name}\t${t.scopes.join(',') || '-'}\t${t.revokedAt ? `revoked ${t.revokedAt}` : 'active'}`);
      return;
    case 'token revoke':
      await identity.revokeToken(need('a token id'), CLI);
      console.log(`Revoked ${arg}.`);
      return;
    default:
      throw new Error(USAGE);
  }
}

/** Prints the verdict of each archived chain that does not verify; exit code 0 when all do, 2 when one does not, 1 when the file cannot be read. */
async function verifyArchive(file: string | undefined): Promise<number> {
  if (!file) {
    console.error(`audit verify-archive needs a file\n${USAGE}`);
    return 1;
  }
  try {
    const { verifyArchiveFile } = await import('../engine/features/history-retention/archive-verify.js');
    const verdict = await verifyArchiveFile(file);
    for (const bad of verdict.invalid) {
      const m = bad.verdict.firstMismatch;
      console.log(`${bad.instanceId}: INVALID — event ${m?.id ?? '-'} (${m?.type ?? '-'}) ${m?.reason ?? ''}`);
    }
    console.log(`${verdict.valid ? 'valid' : 'INVALID'}: ${verdict.instances} instance(s), ${verdict.events} event(s), ${verdict.invalid.length} chain(s) that do not verify`);
    return verdict.valid ? 0 : 2;
  } catch (error) {
    console.error(`${file}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

if (apiCommand) {
  process.exitCode = await runApiCli(process.argv.slice(2));
} else if (opts.help || positionals.length === 0) {
  console.log(USAGE);
} else if (positionals[0] === 'audit' && positionals[1] === 'verify-archive') {
  process.exitCode = await verifyArchive(positionals[2]);
} else if (positionals[0] === 'connectors') {
  try {
    const { runConnectors } = await import('../connectors/run-connectors.js');
    const running = await runConnectors();
    const stop = () => void running.close().then(() => process.exit(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  } catch (error) {
    console.error(scrubText(error instanceof Error ? error.message : String(error)));
    process.exitCode = 1;
  }
} else {
  try {
    // Inside the try: a bad setting (WEFT_SECRETS_KEY of the wrong length) is one line naming it, not a stack trace.
    const config = loadConfig();
    await createDatabase(config.databaseUrl);
    const db = await openDatabase(config, { poolMax: 1 });
    try {
      await migrate(db);
      if (positionals[0] === 'secrets') {
        await runSecrets(db, config, CLI, positionals.slice(1), opts, { stdin: process.stdin, out: (line) => console.log(line), err: process.stderr });
      } else {
        await run(new IdentityRepository(db), positionals);
      }
    } finally {
      await db.destroy();
    }
  } catch (error) {
    console.error(scrubText(error instanceof Error ? error.message : String(error)));
    process.exitCode = 1;
  }
}
