import type { Knex } from 'knex';
import { GENESIS, ROW_CHAIN_FUNCTION } from './20261213000002_audit_chain.js';

/**
 * The audit hash chain, the same bytes, made once per statement instead of
 * once per row. The first design (20261213000002) ran a row trigger that
 * updated the chain's head row for every audit row: ~35 µs of Postgres per
 * row, about 25 rows per instance of the bench's process, a fifth of the
 * engine's throughput. Measured on 40,000 rows over 5,000 chains: 37 µs a
 * row for the row trigger, 19 µs for this one (4 µs with no chain).
 *
 * Now a statement trigger walks the statement's new rows (its transition
 * table) chain by chain, in chain order: one `SELECT … FOR UPDATE` of each
 * chain's head (the chain's lock, held to commit, taken in chain order, so
 * two statements cannot deadlock over chains), the hashes in a loop, one
 * head update per chain, and one insert of the links. An AFTER trigger
 * cannot change the rows it follows, so the links live in `audit_links`
 * (append-only too); `audit_chained` shows each audit row with its link,
 * as the verifier reads it. Existing links move over unchanged.
 */
/** The trigger function (20261215000100 replaces it with a set-based one, and brings this back on the way down). */
export const PER_CHAIN_SEAL_FUNCTION = `
  CREATE FUNCTION audit_seal() RETURNS trigger LANGUAGE plpgsql AS $$
  DECLARE
    a audit%ROWTYPE;
    chain_key text;
    current_chain text := NULL;
    last_seq bigint;
    last_hash text;
    last_prev text;
    ids bigint[] := '{}';
    chains text[] := '{}';
    seqs bigint[] := '{}';
    prevs text[] := '{}';
    hashes text[] := '{}';
  BEGIN
    FOR a IN SELECT * FROM inserted ORDER BY coalesce(process_instance_id::text, 'none'), id LOOP
      chain_key := coalesce(a.process_instance_id::text, 'none');
      IF chain_key IS DISTINCT FROM current_chain THEN
        IF current_chain IS NOT NULL THEN
          UPDATE audit_chain_heads h SET seq = last_seq, hash = last_hash, prev = last_prev WHERE h.chain = current_chain;
        END IF;
        current_chain := chain_key;
        -- The chain's lock: a second writer of this chain waits here until the first commits, then reads its head.
        SELECT h.seq, h.hash INTO last_seq, last_hash FROM audit_chain_heads h WHERE h.chain = chain_key FOR UPDATE;
        IF NOT FOUND THEN
          -- A new chain; a concurrent first writer makes this one wait, then read.
          INSERT INTO audit_chain_heads (chain, seq, hash, prev) VALUES (chain_key, 0, '${GENESIS}', '${GENESIS}') ON CONFLICT (chain) DO NOTHING;
          SELECT h.seq, h.hash INTO last_seq, last_hash FROM audit_chain_heads h WHERE h.chain = chain_key FOR UPDATE;
        END IF;
      END IF;
      last_prev := last_hash;
      last_seq := last_seq + 1;
      last_hash := audit_row_hash(last_prev, last_seq, a);
      ids := array_append(ids, a.id);
      chains := array_append(chains, chain_key);
      seqs := array_append(seqs, last_seq);
      prevs := array_append(prevs, last_prev);
      hashes := array_append(hashes, last_hash);
    END LOOP;
    IF current_chain IS NOT NULL THEN
      UPDATE audit_chain_heads h SET seq = last_seq, hash = last_hash, prev = last_prev WHERE h.chain = current_chain;
      INSERT INTO audit_links (audit_id, chain, seq, prev_hash, hash) SELECT * FROM unnest(ids, chains, seqs, prevs, hashes);
    END IF;
    RETURN NULL;
  END $$;
`;

const SEAL = `
  CREATE TABLE audit_links (audit_id bigint PRIMARY KEY, chain text NOT NULL, seq bigint NOT NULL, prev_hash text NOT NULL, hash text NOT NULL);
  CREATE TRIGGER audit_links_no_update BEFORE UPDATE OR DELETE ON audit_links FOR EACH ROW EXECUTE FUNCTION audit_is_append_only();
${PER_CHAIN_SEAL_FUNCTION}`;

export async function up(knex: Knex): Promise<void> {
  await knex.raw(SEAL);
  await knex.raw(`
    INSERT INTO audit_links (audit_id, chain, seq, prev_hash, hash)
      SELECT id, coalesce(process_instance_id::text, 'none'), chain_seq, prev_hash, hash FROM audit WHERE chain_seq IS NOT NULL;
    DROP TRIGGER audit_chain ON audit;
    DROP FUNCTION audit_chain();
    DROP INDEX audit_chain_order;
    ALTER TABLE audit DROP COLUMN chain_seq, DROP COLUMN prev_hash, DROP COLUMN hash;
    CREATE TRIGGER audit_seal AFTER INSERT ON audit REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION audit_seal();
    CREATE VIEW audit_chained AS
      SELECT a.*, l.seq AS chain_seq, l.prev_hash, l.hash FROM audit a LEFT JOIN audit_links l ON l.audit_id = a.id;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DROP VIEW audit_chained;
    DROP TRIGGER audit_seal ON audit;
    DROP FUNCTION audit_seal();
    ALTER TABLE audit ADD COLUMN chain_seq bigint, ADD COLUMN prev_hash text, ADD COLUMN hash text;
    ALTER TABLE audit DISABLE TRIGGER audit_no_update;
    UPDATE audit a SET chain_seq = l.seq, prev_hash = l.prev_hash, hash = l.hash FROM audit_links l WHERE l.audit_id = a.id;
    ALTER TABLE audit ENABLE TRIGGER audit_no_update;
    DROP TABLE audit_links;
    ${ROW_CHAIN_FUNCTION}
    CREATE TRIGGER audit_chain BEFORE INSERT ON audit FOR EACH ROW EXECUTE FUNCTION audit_chain();
    CREATE INDEX audit_chain_order ON audit (process_instance_id, chain_seq);
  `);
}
