-- 031_sealed_txns: a committed txn is sealed, and a balance changes only by
-- posting (DESIGN §2; issue 7 item 2).
--
-- What 002 let through, and what holds from here on:
--   * Entries could be added to a txn committed long ago (a balanced pair
--     keeps the sum-to-zero check happy).  Now an entry is accepted only
--     from the (sub)transaction that wrote its txn row: the two rows must
--     carry the same xmin, which no statement can fake (FL005).  ledger_post
--     writes the txn and all its entries in one call, so it always passes.
--   * accounts_guard_balance let any trigger at depth >= 2 rewrite a balance
--     (a trigger on a temporary table is at depth 2).  Now the guard does
--     not ask who is updating but whether the new balance is exactly the
--     old one plus the account's entries posted since: accounts.last_entry_id
--     remembers the newest entry folded into the balance, and an update must
--     move it to the newest entry and the balance by the sum in between
--     (FL004), however deep, whoever runs it.
--   * An account row could be deleted and inserted again with another
--     balance.  Now accounts are never deleted or truncated, and a new one
--     starts at 0 with no entries (FL004).
--   * ledger_post runs as the owner (030), so ledger_txns.created_by records
--     the login role of the session that posted (session_user).
--
-- Concurrency: ledger_post locks its accounts (FOR UPDATE, in id order)
-- before drawing entry ids, so an account's entries get increasing ids in
-- the order their postings commit, which is what last_entry_id relies on.
-- Anything that wrote entries without the lock would be refused, never
-- miscounted.
--
-- SQLSTATEs added: FL005 entries written apart from their txn.

ALTER TABLE accounts ADD COLUMN last_entry_id bigint NOT NULL DEFAULT 0;
COMMENT ON COLUMN accounts.last_entry_id IS 'Newest ledger_entries.id included in balance_ucents (0: none yet). balance_ucents may only change together with it, by exactly the sum of the account''s entries after the old value.';
UPDATE accounts a SET last_entry_id = m.last_id
  FROM (SELECT account_id, max(id) AS last_id FROM ledger_entries GROUP BY account_id) m
 WHERE m.account_id = a.id;

-- Balance maintenance (002) plus the seal check, in one statement trigger.
CREATE OR REPLACE FUNCTION ledger_apply_entries() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    v_txn bigint;
BEGIN
    SELECT n.txn_id INTO v_txn
      FROM new_entries n
      JOIN ledger_entries e ON e.id = n.id
      JOIN ledger_txns t ON t.id = n.txn_id
     WHERE e.xmin <> t.xmin
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'ledger txn % is sealed: entries are written only together with their txn (ledger_post)', v_txn
              USING ERRCODE = 'FL005';
    END IF;
    UPDATE accounts a
       SET balance_ucents = a.balance_ucents + n.delta,
           last_entry_id = n.last_id
      FROM (SELECT account_id, sum(amount_ucents)::bigint AS delta, max(id) AS last_id
              FROM new_entries GROUP BY account_id) n
     WHERE a.id = n.account_id;
    RETURN NULL;
END $$;

-- The guard of every change to accounts.
CREATE OR REPLACE FUNCTION accounts_guard_balance() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    v_sum numeric;
    v_last bigint;
BEGIN
    IF TG_OP IN ('DELETE', 'TRUNCATE') THEN
        RAISE EXCEPTION 'accounts are permanent: % refused', TG_OP USING ERRCODE = 'FL004';
    END IF;
    IF TG_OP = 'INSERT' THEN
        IF NEW.balance_ucents <> 0 OR NEW.last_entry_id <> 0
           OR EXISTS (SELECT 1 FROM ledger_entries WHERE account_id = NEW.id) THEN
            RAISE EXCEPTION 'a new account starts at 0 with no entries (account %)', NEW.id
                  USING ERRCODE = 'FL004';
        END IF;
        RETURN NEW;
    END IF;
    IF NEW.id <> OLD.id OR NEW.agent_id <> OLD.agent_id OR NEW.kind <> OLD.kind
       OR NEW.created_at <> OLD.created_at THEN
        RAISE EXCEPTION 'an account''s id, owner, kind and opening time cannot change (account %)', OLD.id
              USING ERRCODE = 'FL004';
    END IF;
    IF NEW.balance_ucents <> OLD.balance_ucents OR NEW.last_entry_id <> OLD.last_entry_id THEN
        SELECT coalesce(sum(amount_ucents), 0), max(id) INTO v_sum, v_last
          FROM ledger_entries
         WHERE account_id = OLD.id AND id > OLD.last_entry_id;
        IF v_last IS NULL OR NEW.last_entry_id <> v_last
           OR NEW.balance_ucents <> OLD.balance_ucents + v_sum THEN
            RAISE EXCEPTION 'accounts.balance_ucents is maintained from ledger_entries; post a ledger txn instead (account %)', OLD.id
                  USING ERRCODE = 'FL004';
        END IF;
    END IF;
    RETURN NEW;
END $$;
COMMENT ON FUNCTION accounts_guard_balance() IS 'Trigger: accounts are never deleted, start at 0, keep their owner and kind, and change balance only by the entries posted to them since last_entry_id (FL004).';

DROP TRIGGER accounts_guard_balance ON accounts;
CREATE TRIGGER accounts_guard BEFORE INSERT OR UPDATE OR DELETE ON accounts
    FOR EACH ROW EXECUTE FUNCTION accounts_guard_balance();
CREATE TRIGGER accounts_no_truncate BEFORE TRUNCATE ON accounts
    FOR EACH STATEMENT EXECUTE FUNCTION accounts_guard_balance();

-- ledger_post as in 002, recording who posted: it runs as the owner, so
-- current_user would always be the owner.
CREATE OR REPLACE FUNCTION ledger_post(p_kind text, p_reference jsonb,
                                       p_accounts bigint[], p_amounts bigint[])
RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    v_n integer := coalesce(cardinality(p_accounts), 0);
    v_txn bigint;
    v_found integer;
BEGIN
    IF v_n < 2 OR v_n > 64 OR v_n <> coalesce(cardinality(p_amounts), 0)
       OR array_position(p_accounts, NULL) IS NOT NULL
       OR array_position(p_amounts, NULL) IS NOT NULL
       OR 0 = ANY (p_amounts) THEN
        RAISE EXCEPTION 'ledger_post needs 2..64 non-zero legs with one amount per account'
              USING ERRCODE = 'FL003';
    END IF;
    IF (SELECT sum(x) FROM unnest(p_amounts) AS x) <> 0 THEN
        RAISE EXCEPTION 'ledger txn does not balance: legs sum to % ucents',
              (SELECT sum(x) FROM unnest(p_amounts) AS x)
              USING ERRCODE = 'FL001';
    END IF;
    -- Lock in id order: concurrent postings on the same accounts queue
    -- instead of deadlocking, and an account's entries are drawn in commit
    -- order (accounts.last_entry_id).
    SELECT count(*) INTO v_found FROM (
        SELECT id FROM accounts WHERE id = ANY (p_accounts) ORDER BY id FOR UPDATE) locked;
    IF v_found <> (SELECT count(DISTINCT x) FROM unnest(p_accounts) AS x) THEN
        RAISE EXCEPTION 'ledger_post: unknown account in %', p_accounts
              USING ERRCODE = '23503';
    END IF;
    INSERT INTO ledger_txns (kind, reference, created_by)
    VALUES (p_kind, coalesce(p_reference, '{}'), session_user) RETURNING id INTO v_txn;
    INSERT INTO ledger_entries (txn_id, account_id, amount_ucents)
    SELECT v_txn, a, m FROM unnest(p_accounts, p_amounts) AS t (a, m);
    RETURN v_txn;
END $$;
COMMENT ON FUNCTION ledger_post(text, jsonb, bigint[], bigint[]) IS 'Post one balanced txn: ledger_post(kind, reference, ARRAY[account ids], ARRAY[signed ucents]) returns the txn id. Refuses unbalanced legs (FL001) and negative agent balances (23514). The only way felt_app writes the ledger.';
COMMENT ON COLUMN ledger_txns.created_by IS 'Login role of the session that posted it (session_user; felt_app for the programs).';
