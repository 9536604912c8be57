-- 032_ledger_seals: tamper evidence beyond the database's own permissions
-- (DESIGN §2; issue 7 item 3).
--
-- A superuser can change any row with triggers disabled.  What it cannot do
-- unnoticed is change a row that was sealed: committed txns are chained,
-- in batches, into ledger_seals, and `feltctl audit` (or ledger_verify(),
-- or the plain SQL of the README) recomputes every hash from the rows.
--
-- What is hashed, per txn (ledger_txn_canonical; README "Checking the seals"):
--   <id>|<kind>|<created_at, UTC, YYYY-MM-DD HH24:MI:SS.US>|<created_by as a JSON string>|<reference::text>
-- then, per entry in id order, a newline and
--   <entry id>|<account id>|<the account's agent_id>|<the account's kind>|<amount_ucents>
-- and hash = sha256 of that text in UTF-8.  The account's owner and kind are
-- in it, so moving an account to another agent breaks every seal it is in.
-- Seal k covers the txns with id in (after_txn_id, through_txn_id], in id
-- order, each listed with its hash, and
--   digest_k = sha256(digest_(k-1) || UTF-8 "<k>|<after>|<through>|<n>" || hash_1 || ... || hash_n)
-- with digest_0 = 32 zero bytes.
--
-- Sealing never slows posting: ledger_post reads nothing of it.  A sealer
-- (felt-api's main thread every FELT_SEAL_INTERVAL_S, or `feltctl seal`)
-- calls ledger_seal(), which works in two steps across calls because a txn
-- can commit after one with a higher id:
--   1. take a candidate: the newest txn id visible now and the xmax of the
--      same snapshot;
--   2. once every transaction older than that xmax has ended (a later
--      snapshot's xmin >= it), no txn with an id up to the candidate can
--      still appear, so they are sealed.
-- That holds because a txn's id is drawn only after its transaction has an
-- xid (trigger ledger_txns_take_xid below): a txn with a smaller id than
-- the candidate drew it earlier, so its transaction had an xid before the
-- candidate's snapshot and was either visible or still running in it.
-- (It also needs the id sequence to hand out ids in order: CACHE 1, the
-- default.  A cache would make the audit report false alarms, never miss.)

CREATE VIEW ledger_txn_canonical AS
SELECT c.txn_id, c.canonical, sha256(convert_to(c.canonical, 'UTF8')) AS hash
  FROM (SELECT t.id AS txn_id,
               t.id || '|' || t.kind
               || '|' || to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')
               || '|' || to_jsonb(t.created_by)::text
               || '|' || t.reference::text
               || coalesce(string_agg(E'\n' || e.id || '|' || e.account_id || '|' || coalesce(a.agent_id::text, '')
                                      || '|' || coalesce(a.kind, '') || '|' || e.amount_ucents,
                                      '' ORDER BY e.id), '') AS canonical
          FROM ledger_txns t
          LEFT JOIN ledger_entries e ON e.txn_id = t.id
          LEFT JOIN accounts a ON a.id = e.account_id
         GROUP BY t.id) c;

COMMENT ON VIEW ledger_txn_canonical IS 'Each txn as the canonical text the seals hash (txn line, then one line per entry in id order) and its SHA-256. Filter on txn_id.';
COMMENT ON COLUMN ledger_txn_canonical.txn_id IS 'The txn.';
COMMENT ON COLUMN ledger_txn_canonical.canonical IS 'id|kind|created_at UTC|created_by as JSON|reference, then per entry: newline, id|account id|agent_id|account kind|amount_ucents.';
COMMENT ON COLUMN ledger_txn_canonical.hash IS 'sha256(canonical in UTF-8), 32 bytes.';

CREATE TABLE ledger_seals (
    id              bigint PRIMARY KEY,
    after_txn_id    bigint NOT NULL,
    through_txn_id  bigint NOT NULL,
    txn_ids         bigint[] NOT NULL,
    txn_hashes      bytea[] NOT NULL,
    prev_digest     bytea NOT NULL,
    digest          bytea NOT NULL,
    sealed_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT ledger_seals_range CHECK (after_txn_id >= 0 AND through_txn_id > after_txn_id),
    CONSTRAINT ledger_seals_lists CHECK (cardinality(txn_ids) BETWEEN 1 AND 100000
                                         AND cardinality(txn_hashes) = cardinality(txn_ids)),
    CONSTRAINT ledger_seals_digests CHECK (octet_length(prev_digest) = 32 AND octet_length(digest) = 32)
);

COMMENT ON TABLE ledger_seals IS 'The hash chain over committed ledger txns: seal k lists the txns with id in (after_txn_id, through_txn_id] with their hashes and chains them onto seal k-1. Append-only; written by ledger_seal(); checked by feltctl audit and ledger_verify().';
COMMENT ON COLUMN ledger_seals.id IS 'Seal number: 1, 2, 3 ... without gaps.';
COMMENT ON COLUMN ledger_seals.after_txn_id IS 'The previous seal''s through_txn_id (0 for the first): the range starts after it.';
COMMENT ON COLUMN ledger_seals.through_txn_id IS 'Last txn id of the range (ids of aborted transactions leave gaps; they are covered too).';
COMMENT ON COLUMN ledger_seals.txn_ids IS 'Every txn id in the range, ascending.';
COMMENT ON COLUMN ledger_seals.txn_hashes IS 'The SHA-256 of each txn''s canonical text when it was sealed, in the order of txn_ids (ledger_txn_canonical).';
COMMENT ON COLUMN ledger_seals.prev_digest IS 'digest of seal id-1 (32 zero bytes for seal 1).';
COMMENT ON COLUMN ledger_seals.digest IS 'sha256(prev_digest || UTF-8 "id|after_txn_id|through_txn_id|n" || txn_hashes in order).';
COMMENT ON COLUMN ledger_seals.sealed_at IS 'When the seal was written.';

CREATE TABLE ledger_seal_state (
    singleton         boolean PRIMARY KEY DEFAULT true,
    candidate_txn_id  bigint,
    candidate_xmax    xid8,
    candidate_at      timestamptz,
    CONSTRAINT ledger_seal_state_one_row CHECK (singleton),
    CONSTRAINT ledger_seal_state_pair CHECK ((candidate_txn_id IS NULL) = (candidate_xmax IS NULL))
);
INSERT INTO ledger_seal_state DEFAULT VALUES;

COMMENT ON TABLE ledger_seal_state IS 'The sealer''s one row: the next range to seal, taken at one call and sealed at a later one once every transaction that could still add a txn to it has ended. Locked by the sealer at work, so concurrent sealers skip.';
COMMENT ON COLUMN ledger_seal_state.singleton IS 'Always true: there is one row.';
COMMENT ON COLUMN ledger_seal_state.candidate_txn_id IS 'Newest txn id visible when the candidate was taken; NULL: none pending.';
COMMENT ON COLUMN ledger_seal_state.candidate_xmax IS 'xmax of that snapshot: once the oldest running transaction is at least this, every txn up to candidate_txn_id has committed or never will.';
COMMENT ON COLUMN ledger_seal_state.candidate_at IS 'When the candidate was taken.';

-- A txn's id is drawn after its transaction has an xid (see the header).
-- BEFORE STATEMENT triggers fire before the identity default is computed.
CREATE FUNCTION ledger_txns_take_xid() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_current_xact_id();
    RETURN NULL;
END $$;
CREATE TRIGGER ledger_txns_take_xid BEFORE INSERT ON ledger_txns
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_txns_take_xid();

-- The chain is append-only, like the ledger.
CREATE TRIGGER ledger_seals_append_only BEFORE UPDATE OR DELETE ON ledger_seals
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_seals_no_truncate BEFORE TRUNCATE ON ledger_seals
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();

-- digest of a seal from its fields (the recipe in the header).
CREATE FUNCTION ledger_seal_digest(p_prev bytea, p_id bigint, p_after bigint, p_through bigint,
                                   p_hashes bytea[])
RETURNS bytea LANGUAGE sql IMMUTABLE SET search_path FROM CURRENT AS $$
    SELECT sha256(p_prev
                  || convert_to(p_id || '|' || p_after || '|' || p_through || '|' || cardinality(p_hashes), 'UTF8')
                  || coalesce((SELECT string_agg(h, ''::bytea ORDER BY i)
                                 FROM unnest(p_hashes) WITH ORDINALITY AS u (h, i)), ''::bytea))
$$;
COMMENT ON FUNCTION ledger_seal_digest(bytea, bigint, bigint, bigint, bytea[]) IS 'sha256(prev || "id|after|through|n" || hashes...): the digest of one seal.';

-- ledger_seal: one step of the sealer (see the header).  Seals at most
-- p_max_txns txns and returns how many; 0 when there was nothing ready, or
-- when another sealer holds the state row.
CREATE FUNCTION ledger_seal(p_max_txns integer DEFAULT 5000) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    st ledger_seal_state;
    head ledger_seals;
    v_zero constant bytea := decode(repeat('00', 32), 'hex');
    v_after bigint;
    v_through bigint;
    v_ids bigint[];
    v_hashes bytea[];
    v_n integer := 0;
    v_newest bigint;
    v_xmax xid8;
BEGIN
    IF p_max_txns IS NULL OR p_max_txns < 1 OR p_max_txns > 100000 THEN
        RAISE EXCEPTION 'ledger_seal: p_max_txns must be 1..100000' USING ERRCODE = 'FL003';
    END IF;
    SELECT * INTO st FROM ledger_seal_state FOR UPDATE SKIP LOCKED;
    IF NOT FOUND THEN
        RETURN 0;
    END IF;
    SELECT * INTO head FROM ledger_seals ORDER BY id DESC LIMIT 1;
    v_after := coalesce(head.through_txn_id, 0);

    IF st.candidate_txn_id IS NOT NULL
       AND pg_snapshot_xmin(pg_current_snapshot()) >= st.candidate_xmax THEN
        SELECT array_agg(txn_id ORDER BY txn_id), array_agg(hash ORDER BY txn_id)
          INTO v_ids, v_hashes
          FROM (SELECT txn_id, hash FROM ledger_txn_canonical
                 WHERE txn_id > v_after AND txn_id <= st.candidate_txn_id
                 ORDER BY txn_id LIMIT p_max_txns) b;
        v_n := coalesce(cardinality(v_ids), 0);
        -- a full batch stops at its last txn; the rest waits for the next call
        v_through := CASE WHEN v_n = p_max_txns THEN v_ids[v_n] ELSE st.candidate_txn_id END;
        IF v_n > 0 THEN
            INSERT INTO ledger_seals (id, after_txn_id, through_txn_id, txn_ids, txn_hashes,
                                      prev_digest, digest)
            VALUES (coalesce(head.id, 0) + 1, v_after, v_through, v_ids, v_hashes,
                    coalesce(head.digest, v_zero),
                    ledger_seal_digest(coalesce(head.digest, v_zero), coalesce(head.id, 0) + 1,
                                       v_after, v_through, v_hashes));
            v_after := v_through;
        END IF;
        IF v_through = st.candidate_txn_id THEN
            st.candidate_txn_id := NULL;
        END IF;
    END IF;

    IF st.candidate_txn_id IS NULL THEN
        -- one statement, one snapshot: its newest txn and its xmax
        SELECT max(id), pg_snapshot_xmax(pg_current_snapshot()) INTO v_newest, v_xmax
          FROM ledger_txns;
        IF v_newest > v_after THEN
            UPDATE ledger_seal_state
               SET candidate_txn_id = v_newest, candidate_xmax = v_xmax, candidate_at = now();
        ELSE
            UPDATE ledger_seal_state
               SET candidate_txn_id = NULL, candidate_xmax = NULL, candidate_at = NULL;
        END IF;
    END IF;
    RETURN v_n;
END $$;
COMMENT ON FUNCTION ledger_seal(integer) IS 'One step of the sealer: seals up to p_max_txns committed txns that can no longer be joined by a txn with a lower id, chaining them onto the last seal; returns how many. Call it periodically (felt-api does, FELT_SEAL_INTERVAL_S; feltctl seal).';

-- ledger_verify: the whole check in SQL, for /api/accounting and DBAs.
-- feltctl audit does the same from the raw rows in C, trusting no function
-- or view of the database.
CREATE FUNCTION ledger_verify(
    OUT seals bigint, OUT sealed_txns bigint, OUT unsealed_txns bigint,
    OUT head_seal_id bigint, OUT head_through_txn_id bigint, OUT head_digest text,
    OUT intact boolean, OUT first_bad_txn bigint, OUT problem text)
LANGUAGE plpgsql STABLE SET search_path FROM CURRENT AS $$
DECLARE
    v_zero constant bytea := decode(repeat('00', 32), 'hex');
    v_seal bigint;
    v_txn bigint;
    v_why text;
    v_account bigint;
BEGIN
    SELECT count(*), coalesce(sum(cardinality(txn_ids)), 0) INTO seals, sealed_txns FROM ledger_seals;
    SELECT s.id, s.through_txn_id, encode(s.digest, 'hex')
      INTO head_seal_id, head_through_txn_id, head_digest
      FROM ledger_seals s ORDER BY s.id DESC LIMIT 1;
    SELECT count(*) INTO unsealed_txns FROM ledger_txns WHERE id > coalesce(head_through_txn_id, 0);

    -- 1. the chain itself: numbering, links, ranges, digests
    SELECT s.id, s.txn_ids[1],
           CASE WHEN s.id <> coalesce(s.lag_id, 0) + 1 THEN 'seal numbering has a gap before seal ' || s.id
                WHEN s.prev_digest <> coalesce(s.lag_digest, v_zero) THEN 'seal ' || s.id || ' does not chain onto seal ' || (s.id - 1)
                WHEN s.after_txn_id <> coalesce(s.lag_through, 0) THEN 'seal ' || s.id || ' does not start where seal ' || (s.id - 1) || ' ends'
                ELSE 'seal ' || s.id || ' was altered (its digest does not match its contents)' END
      INTO v_seal, v_txn, v_why
      FROM (SELECT l.*, lag(id) OVER w AS lag_id, lag(digest) OVER w AS lag_digest,
                   lag(through_txn_id) OVER w AS lag_through
              FROM ledger_seals l WINDOW w AS (ORDER BY id)) s
     WHERE s.id <> coalesce(s.lag_id, 0) + 1
        OR s.prev_digest <> coalesce(s.lag_digest, v_zero)
        OR s.after_txn_id <> coalesce(s.lag_through, 0)
        OR s.digest <> ledger_seal_digest(s.prev_digest, s.id, s.after_txn_id, s.through_txn_id, s.txn_hashes)
        OR EXISTS (SELECT 1 FROM (SELECT x, lag(x) OVER (ORDER BY i) AS before
                                    FROM unnest(s.txn_ids) WITH ORDINALITY AS u (x, i)) v
                    WHERE v.x <= s.after_txn_id OR v.x > s.through_txn_id OR v.x <= v.before)
     ORDER BY s.id LIMIT 1;
    IF v_seal IS NOT NULL THEN
        first_bad_txn := v_txn;
        problem := v_why;
    END IF;

    -- 2. every sealed txn as it is now against its sealed hash, both ways
    SELECT coalesce(st.txn_id, cur.txn_id),
           CASE WHEN cur.txn_id IS NULL THEN 'txn ' || st.txn_id || ' was sealed but is gone'
                WHEN st.txn_id IS NULL THEN 'txn ' || cur.txn_id || ' appeared inside the sealed range'
                ELSE 'txn ' || st.txn_id || ' changed since it was sealed' END
      INTO v_txn, v_why
      FROM (SELECT u.txn_id, u.hash FROM ledger_seals s, unnest(s.txn_ids, s.txn_hashes) AS u (txn_id, hash)) st
      FULL JOIN (SELECT c.txn_id, c.hash FROM ledger_txn_canonical c
                  WHERE c.txn_id <= coalesce(head_through_txn_id, 0)) cur
        ON cur.txn_id = st.txn_id
     WHERE st.hash IS DISTINCT FROM cur.hash
     ORDER BY 1 LIMIT 1;
    IF v_txn IS NOT NULL AND (first_bad_txn IS NULL OR v_txn < first_bad_txn) THEN
        first_bad_txn := v_txn;
        problem := v_why;
    END IF;

    -- 3. every txn, sealed or not, balances and has two entries or more;
    --    no entry without its txn
    SELECT x.txn_id, x.why INTO v_txn, v_why FROM (
        SELECT e.txn_id, 'txn ' || e.txn_id || ' does not balance (' || count(*) || ' entries summing to ' || sum(e.amount_ucents) || ')' AS why
          FROM ledger_entries e GROUP BY e.txn_id
        HAVING count(*) < 2 OR sum(e.amount_ucents) <> 0
        UNION ALL
        SELECT t.id, 'txn ' || t.id || ' has no entries' FROM ledger_txns t
         WHERE NOT EXISTS (SELECT 1 FROM ledger_entries e WHERE e.txn_id = t.id)
        UNION ALL
        SELECT e.txn_id, 'entry ' || e.id || ' belongs to txn ' || e.txn_id || ', which does not exist' FROM ledger_entries e
         WHERE NOT EXISTS (SELECT 1 FROM ledger_txns t WHERE t.id = e.txn_id)) x
     ORDER BY 1 LIMIT 1;
    IF v_txn IS NOT NULL AND (first_bad_txn IS NULL OR v_txn < first_bad_txn) THEN
        first_bad_txn := v_txn;
        problem := v_why;
    END IF;

    -- 4. every balance equals the sum of its entries (no txn to name)
    SELECT a.id INTO v_account
      FROM accounts a
      LEFT JOIN (SELECT account_id, sum(amount_ucents) AS s, max(id) AS m
                   FROM ledger_entries GROUP BY account_id) r ON r.account_id = a.id
     WHERE a.balance_ucents <> coalesce(r.s, 0) OR a.last_entry_id <> coalesce(r.m, 0)
     ORDER BY a.id LIMIT 1;
    IF v_account IS NOT NULL AND problem IS NULL THEN
        problem := 'account ' || v_account || ': balance_ucents is not the sum of its entries';
    END IF;
    intact := problem IS NULL;
END $$;
COMMENT ON FUNCTION ledger_verify() IS 'Checks the seal chain, every sealed txn against its sealed hash, every txn''s balance and every account''s balance against its entries. One row: counts, the head digest, intact, the first bad txn and what is wrong. Reads the whole ledger.';

GRANT SELECT ON ledger_seals, ledger_seal_state, ledger_txn_canonical TO felt_app, felt_read;
GRANT EXECUTE ON FUNCTION ledger_seal(integer), ledger_verify() TO felt_app;
GRANT EXECUTE ON FUNCTION ledger_verify(), ledger_seal_digest(bytea, bigint, bigint, bigint, bytea[]) TO felt_read;
GRANT EXECUTE ON FUNCTION ledger_seal_digest(bytea, bigint, bigint, bigint, bytea[]) TO felt_app;
