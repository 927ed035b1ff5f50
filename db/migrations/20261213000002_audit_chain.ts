import type { Knex } from 'knex';

/**
 * A tamper-evident audit (issue #12): every audit row carries the hash of the
 * row before it in its chain — one chain per process instance, and one for
 * the events that belong to no instance — and its own hash over that and its
 * canonical content (engine/audit/audit-chain.ts computes the same bytes).
 *
 * The chain is made here, in a BEFORE INSERT trigger, because audit rows are
 * written from many places (the effect applier's bulk insert, the service,
 * the people and secrets features): every writer passes through the trigger,
 * none can forget. `audit_chain_heads` holds each chain's last sequence and
 * hash: reading and updating it under its row lock serialises concurrent
 * writers of one chain (the lock lasts to the end of the transaction), makes
 * finding the previous hash one index lookup, and lets the verifier notice
 * rows removed from a chain's end (the head remembers how long it was).
 *
 * Canonical content, one field after another, each as `<octets>:<text>` (or
 * `-` for null) and closed by `|`, after the previous hash and `|`:
 * chain_seq, id, process_instance_id, at (UTC, microseconds), actor, type,
 * element_id, element_instance_key, payload (jsonb's own text form: keys in
 * jsonb's order, so the same value always renders the same text).
 */
export const GENESIS = '0'.repeat(64);

const CHAIN_FUNCTIONS = `
  CREATE FUNCTION audit_field(v text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN v IS NULL THEN '-' ELSE octet_length(v)::text || ':' || v END || '|'
  $$;

  CREATE FUNCTION audit_row_hash(prev text, seq bigint, a audit) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT encode(sha256(convert_to(
      prev || '|' || audit_field(seq::text) || audit_field(a.id::text) || audit_field(a.process_instance_id::text)
        || audit_field(to_char(a.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
        || audit_field(a.actor) || audit_field(a.type) || audit_field(a.element_id) || audit_field(a.element_instance_key)
        || audit_field(a.payload::text),
      'UTF8')), 'hex')
  $$;
`;

/** The per-row trigger function (20261213000004 replaces it with a statement trigger, and brings it back on the way down). */
export const ROW_CHAIN_FUNCTION = `
  CREATE FUNCTION audit_chain() RETURNS trigger LANGUAGE plpgsql AS $$
  DECLARE
    chain_key text := coalesce(NEW.process_instance_id::text, 'none');
  BEGIN
    -- One statement on the common path: on the right of SET every column is
    -- its old value, so prev is the hash before this row. The row lock it
    -- takes is the chain's lock: a second writer of this chain waits here
    -- until the first commits.
    UPDATE audit_chain_heads SET prev = hash, seq = seq + 1, hash = audit_row_hash(hash, seq + 1, NEW)
      WHERE chain = chain_key RETURNING prev, seq, hash INTO NEW.prev_hash, NEW.chain_seq, NEW.hash;
    IF NOT FOUND THEN
      -- A new chain; a concurrent first writer makes this one wait, then update.
      INSERT INTO audit_chain_heads (chain, seq, hash, prev) VALUES (chain_key, 0, '${GENESIS}', '${GENESIS}') ON CONFLICT (chain) DO NOTHING;
      UPDATE audit_chain_heads SET prev = hash, seq = seq + 1, hash = audit_row_hash(hash, seq + 1, NEW)
        WHERE chain = chain_key RETURNING prev, seq, hash INTO NEW.prev_hash, NEW.chain_seq, NEW.hash;
    END IF;
    RETURN NEW;
  END $$;
`;

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE audit_chain_heads (chain text PRIMARY KEY, seq bigint NOT NULL, hash text NOT NULL, prev text NOT NULL);
    ALTER TABLE audit ADD COLUMN chain_seq bigint, ADD COLUMN prev_hash text, ADD COLUMN hash text;
  `);
  await knex.raw(CHAIN_FUNCTIONS);
  await knex.raw(ROW_CHAIN_FUNCTION);
  // Rows recorded before this migration are chained in id order (the order they were written in).
  await knex.raw(`
    ALTER TABLE audit DISABLE TRIGGER audit_no_update;
    DO $$
    DECLARE
      a audit%ROWTYPE;
      chain_key text;
      last_key text := NULL;
      seq bigint := 0;
      prev text := '${GENESIS}';
      prev_of_last text := '${GENESIS}';
    BEGIN
      FOR a IN SELECT * FROM audit ORDER BY coalesce(process_instance_id::text, 'none'), id LOOP
        chain_key := coalesce(a.process_instance_id::text, 'none');
        IF last_key IS DISTINCT FROM chain_key THEN
          IF last_key IS NOT NULL THEN INSERT INTO audit_chain_heads VALUES (last_key, seq, prev, prev_of_last); END IF;
          last_key := chain_key; seq := 0; prev := '${GENESIS}';
        END IF;
        seq := seq + 1;
        a.chain_seq := seq;
        a.prev_hash := prev;
        prev_of_last := prev;
        prev := audit_row_hash(prev, seq, a);
        UPDATE audit SET chain_seq = seq, prev_hash = a.prev_hash, hash = prev WHERE id = a.id;
      END LOOP;
      IF last_key IS NOT NULL THEN INSERT INTO audit_chain_heads VALUES (last_key, seq, prev, prev_of_last); END IF;
    END $$;
    ALTER TABLE audit ENABLE TRIGGER audit_no_update;
    CREATE TRIGGER audit_chain BEFORE INSERT ON audit FOR EACH ROW EXECUTE FUNCTION audit_chain();
    CREATE INDEX audit_chain_order ON audit (process_instance_id, chain_seq);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DROP TRIGGER audit_chain ON audit;
    DROP INDEX audit_chain_order;
    DROP FUNCTION audit_chain();
    DROP FUNCTION audit_row_hash(text, bigint, audit);
    DROP FUNCTION audit_field(text);
    ALTER TABLE audit DROP COLUMN chain_seq, DROP COLUMN prev_hash, DROP COLUMN hash;
    DROP TABLE audit_chain_heads;
  `);
}
