import type { Knex } from 'knex';
import { GENESIS } from './20261213000002_audit_chain.js';
import { PER_CHAIN_SEAL_FUNCTION } from './20261213000004_audit_seal_per_statement.js';

/**
 * The audit hash chain, the same bytes, with the chains' heads read and
 * written once per statement instead of once per chain (issue #13).
 *
 * Since the engine writes a whole group commit as one statement
 * (engine/service/batch-writes.ts), one audit insert holds the rows of many
 * instances, so many chains. The trigger of 20261213000004 ran a
 * `SELECT … FOR UPDATE` and an `UPDATE` of `audit_chain_heads` per chain, each
 * a statement of its own inside the trigger; this one locks every chain's
 * head in one `SELECT … ORDER BY chain FOR UPDATE` (locks taken in chain
 * order, as before, so two statements still cannot deadlock over chains),
 * creates the heads of new chains in one insert, and writes every head back
 * in one `UPDATE … FROM unnest(…)`. The walk over the rows, the hash
 * (audit_row_hash) and the links are unchanged, so existing chains continue
 * and engine/audit/audit-chain.ts verifies both alike.
 */
const SET_BASED = `
  CREATE OR REPLACE FUNCTION audit_seal() RETURNS trigger LANGUAGE plpgsql AS $$
  DECLARE
    a audit%ROWTYPE;
    chain_key text;
    keys text[];
    head_chains text[];
    head_seqs bigint[];
    head_hashes text[];
    at_head int := 0;
    current_chain text := NULL;
    last_seq bigint;
    last_hash text;
    last_prev text;
    ids bigint[] := '{}';
    chains text[] := '{}';
    seqs bigint[] := '{}';
    prevs text[] := '{}';
    hashes text[] := '{}';
    end_chains text[] := '{}';
    end_seqs bigint[] := '{}';
    end_hashes text[] := '{}';
    end_prevs text[] := '{}';
  BEGIN
    SELECT array_agg(DISTINCT coalesce(process_instance_id::text, 'none')) INTO keys FROM inserted;
    IF keys IS NULL THEN RETURN NULL; END IF;
    -- New chains get their head first; a concurrent first writer of one makes this wait at the lock below.
    INSERT INTO audit_chain_heads (chain, seq, hash, prev)
      SELECT k, 0, '${GENESIS}', '${GENESIS}' FROM unnest(keys) k
       WHERE NOT EXISTS (SELECT 1 FROM audit_chain_heads h WHERE h.chain = k)
      ON CONFLICT (chain) DO NOTHING;
    -- The chains' locks, in chain order, held to commit: a second writer of a chain waits here until the first commits, then reads its head.
    SELECT array_agg(l.chain ORDER BY l.chain), array_agg(l.seq ORDER BY l.chain), array_agg(l.hash ORDER BY l.chain)
      INTO head_chains, head_seqs, head_hashes
      FROM (SELECT h.chain, h.seq, h.hash FROM audit_chain_heads h WHERE h.chain = ANY (keys) ORDER BY h.chain FOR UPDATE) l;
    FOR a IN SELECT * FROM inserted ORDER BY coalesce(process_instance_id::text, 'none'), id LOOP
      chain_key := coalesce(a.process_instance_id::text, 'none');
      IF chain_key IS DISTINCT FROM current_chain THEN
        IF current_chain IS NOT NULL THEN
          end_chains := array_append(end_chains, current_chain);
          end_seqs := array_append(end_seqs, last_seq);
          end_hashes := array_append(end_hashes, last_hash);
          end_prevs := array_append(end_prevs, last_prev);
        END IF;
        current_chain := chain_key;
        -- Both walks go in chain order: the next head is this chain's.
        at_head := at_head + 1;
        IF head_chains[at_head] IS DISTINCT FROM chain_key THEN
          RAISE EXCEPTION 'audit chain head of % not found', chain_key;
        END IF;
        last_seq := head_seqs[at_head];
        last_hash := head_hashes[at_head];
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
    end_chains := array_append(end_chains, current_chain);
    end_seqs := array_append(end_seqs, last_seq);
    end_hashes := array_append(end_hashes, last_hash);
    end_prevs := array_append(end_prevs, last_prev);
    UPDATE audit_chain_heads h SET seq = e.seq, hash = e.hash, prev = e.prev
      FROM unnest(end_chains, end_seqs, end_hashes, end_prevs) AS e(chain, seq, hash, prev) WHERE h.chain = e.chain;
    INSERT INTO audit_links (audit_id, chain, seq, prev_hash, hash) SELECT * FROM unnest(ids, chains, seqs, prevs, hashes);
    RETURN NULL;
  END $$;
`;

export async function up(knex: Knex): Promise<void> {
  await knex.raw(SET_BASED);
}

export async function down(knex: Knex): Promise<void> {
  // 20261213000004's function, as it was.
  await knex.raw(PER_CHAIN_SEAL_FUNCTION.replace('CREATE FUNCTION', 'CREATE OR REPLACE FUNCTION'));
}
