/**
 * `weft secrets …`: the secrets store from the command line (weft-cli.ts
 * dispatches here). A value is read from stdin, never from the arguments, so
 * it stays out of shell history and `ps`:
 *
 *   printf %s "$TOKEN" | weft secrets set CRM_TOKEN
 *   weft secrets set CRM_TOKEN            # on a terminal: asks, without echo
 *   weft secrets list
 *   weft secrets delete CRM_TOKEN
 *   weft secrets rotate [--batch 100]     # re-seal values under WEFT_SECRETS_KEY
 */
import type { Knex } from 'knex';
import { z } from 'zod';
import type { Config } from '../engine/config.js';
import { NO_SECRET_KEYS } from '../engine/secrets/secret-keys.js';
import { secretNameSchema, secretValueSchema } from '../engine/secrets/secret-schemas.js';
import { ROTATE_BATCH, SecretsAdmin } from '../engine/secrets/secrets-admin.js';

export const SECRETS_USAGE = `  weft secrets set <NAME>      (the value from stdin: printf %s "$VALUE" | weft secrets set NAME)
  weft secrets list
  weft secrets delete <NAME>
  weft secrets rotate [--batch ${ROTATE_BATCH}]`;

export interface SecretsIo {
  stdin: NodeJS.ReadStream;
  out: (line: string) => void;
  /** Prompts go to stderr, so `weft secrets list > file` holds the list only. */
  err: NodeJS.WriteStream;
}

export async function runSecrets(db: Knex, config: Config, actor: string, [verb, arg]: string[], options: { batch?: string }, io: SecretsIo): Promise<void> {
  const admin = new SecretsAdmin(db, config.secretKeys ?? NO_SECRET_KEYS);
  const name = () => {
    if (!arg) throw new Error(`secrets ${verb} needs a secret name\n${SECRETS_USAGE}`);
    const parsed = secretNameSchema.safeParse(arg);
    if (!parsed.success) throw new Error(`Secret name '${arg}' ${parsed.error.issues[0].message}`);
    return parsed.data;
  };
  switch (verb) {
    case 'set': {
      const secret = name();
      const parsed = secretValueSchema.safeParse(await readValue(io, secret));
      if (!parsed.success) throw new Error(`The value of ${secret} ${parsed.error.issues[0].message}`);
      const { created } = await admin.set(secret, parsed.data, actor);
      io.out(`${created ? 'Created' : 'Replaced'} secret ${secret} (key ${admin.keyId}).`);
      return;
    }
    case 'list': {
      for (const s of await admin.list()) io.out(`${s.name}\tkey ${s.keyId}\tupdated ${s.updatedAt} by ${s.updatedBy}`);
      return;
    }
    case 'delete': {
      const secret = name();
      await admin.delete(secret, actor);
      io.out(`Deleted secret ${secret}.`);
      return;
    }
    case 'rotate': {
      const batch = z.coerce.number().int().min(1).max(10_000).safeParse(options.batch ?? ROTATE_BATCH);
      if (!batch.success) throw new Error('--batch must be a whole number from 1 to 10000');
      const total = await admin.rotate(actor, batch.data, (count) => io.out(`Re-encrypted ${count}…`));
      io.out(`Re-encrypted ${total} secret${total === 1 ? '' : 's'} with key ${admin.keyId}.`);
      return;
    }
    default:
      throw new Error(`usage:\n${SECRETS_USAGE}`);
  }
}

/**
 * The value: on a terminal, one line typed without echo; otherwise all of
 * stdin, less one trailing newline (so `echo "$V" |` and `printf %s "$V" |`
 * give the same value).
 */
async function readValue(io: SecretsIo, name: string): Promise<string> {
  if (io.stdin.isTTY) return readHidden(io, `Value of ${name} (not shown): `);
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

function readHidden(io: SecretsIo, prompt: string): Promise<string> {
  const { stdin, err } = io;
  return new Promise((resolve, reject) => {
    let value = '';
    err.write(prompt);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const done = (error?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      err.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (text: string) => {
      for (const char of text) {
        if (char === '\r' || char === '\n' || char === '\u0004') return done();
        if (char === '\u0003') return done(new Error('Cancelled'));
        if (char === '\u007f' || char === '\b') value = value.slice(0, -1);
        else value += char;
      }
    };
    stdin.on('data', onData);
  });
}
