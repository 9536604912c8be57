-- 002_ledger: the double-entry ledger (DESIGN §2).
--
-- Every movement of money is one ledger_txns row plus two or more
-- ledger_entries rows whose signed amounts sum to zero.  An account's
-- balance is the sum of its entries; accounts.balance_ucents keeps that sum
-- up to date in the same transaction.  Entries and txns are append-only: a
-- mistake is corrected by a new reversing txn, never by an edit.
--
-- Signs: money entering the platform is a negative entry on the platform
-- account `deposits` and a positive one on the agent's `agent_balance`, so
-- `deposits` and `adjustments` (the outside world's side) carry negative
-- balances and every other account is >= 0.
--
-- Unit: ucents, 1 USD = 10,000 ucents, always bigint.
--
-- Errors raised here (SQLSTATE): FL001 txn does not balance, FL002 ledger
-- rows are append-only, FL003 bad ledger_post arguments, FL004 balance not
-- writable by hand; 23514 accounts_balance_nonnegative when an account
-- would go below zero.

CREATE TABLE accounts (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    agent_id        uuid NOT NULL REFERENCES agents (id),
    kind            text NOT NULL,
    balance_ucents  bigint NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT accounts_agent_kind_key UNIQUE (agent_id, kind),
    CONSTRAINT accounts_kind_check CHECK (kind IN (
        'agent_balance', 'agent_in_play',
        'rake', 'deposits', 'withdrawals_pending', 'withdrawn', 'adjustments')),
    -- platform accounts exist once, owned by the platform agent
    CONSTRAINT accounts_platform_owner CHECK (
        kind IN ('agent_balance', 'agent_in_play')
        OR agent_id = '00000000-0000-0000-0000-000000000001'),
    CONSTRAINT accounts_balance_nonnegative CHECK (
        kind IN ('deposits', 'adjustments') OR balance_ucents >= 0)
);

COMMENT ON TABLE accounts IS 'Ledger accounts. Each agent has agent_balance (spendable) and agent_in_play (chips on tables); the platform agent also owns rake, deposits, withdrawals_pending, withdrawn and adjustments. balance_ucents is maintained by trigger from ledger_entries and cannot be written by hand.';
COMMENT ON COLUMN accounts.id IS 'Account id, referenced by ledger_entries.account_id.';
COMMENT ON COLUMN accounts.agent_id IS 'Owner: the agent, or the platform agent for platform accounts.';
COMMENT ON COLUMN accounts.kind IS 'agent_balance: spendable funds; agent_in_play: value of chips on tables; rake: platform revenue; deposits: external money in (negative: total deposited); withdrawals_pending: reserved for withdrawals being sent; withdrawn: external money out; adjustments: operator credits/debits (negative: net credited).';
COMMENT ON COLUMN accounts.balance_ucents IS 'Sum of this account''s ledger_entries, in ucents (1 USD = 10,000), maintained by trigger. Never negative except for deposits and adjustments.';
COMMENT ON COLUMN accounts.created_at IS 'When the account was opened.';

CREATE TABLE ledger_txns (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind        text NOT NULL,
    reference   jsonb NOT NULL DEFAULT '{}',
    created_at  timestamptz NOT NULL DEFAULT now(),
    created_by  text NOT NULL DEFAULT current_user,
    CONSTRAINT ledger_txns_kind_check CHECK (kind IN (
        'deposit', 'withdrawal', 'buy_in', 'cash_out', 'hand', 'rake', 'refund', 'adjustment')),
    CONSTRAINT ledger_txns_reference_object CHECK (jsonb_typeof(reference) = 'object')
);
CREATE INDEX ledger_txns_created_at_idx ON ledger_txns (created_at);
CREATE INDEX ledger_txns_kind_idx ON ledger_txns (kind, created_at);

COMMENT ON TABLE ledger_txns IS 'One row per business event that moves money. Its ledger_entries sum to zero (checked at commit). Append-only.';
COMMENT ON COLUMN ledger_txns.id IS 'Txn id.';
COMMENT ON COLUMN ledger_txns.kind IS 'deposit, withdrawal, buy_in, cash_out, hand (settlement between players), rake, refund (failed withdrawal returned), adjustment (operator credit/debit).';
COMMENT ON COLUMN ledger_txns.reference IS 'What the txn is for, a JSON object: e.g. {"tx_hash": ...} for deposits, {"table": ..., "hand": ...} for hands, {"reason": ..., "operator": ...} for adjustments.';
COMMENT ON COLUMN ledger_txns.created_at IS 'When the txn was posted (transaction start time).';
COMMENT ON COLUMN ledger_txns.created_by IS 'Database role that posted it.';

CREATE TABLE ledger_entries (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    txn_id         bigint NOT NULL REFERENCES ledger_txns (id),
    account_id     bigint NOT NULL REFERENCES accounts (id),
    amount_ucents  bigint NOT NULL,
    CONSTRAINT ledger_entries_amount_nonzero CHECK (amount_ucents <> 0)
);
CREATE INDEX ledger_entries_txn_idx ON ledger_entries (txn_id);
CREATE INDEX ledger_entries_account_idx ON ledger_entries (account_id, id);

COMMENT ON TABLE ledger_entries IS 'The legs of each ledger txn: a signed amount on one account. Append-only; the entries of a txn sum to zero.';
COMMENT ON COLUMN ledger_entries.id IS 'Entry id (posting order).';
COMMENT ON COLUMN ledger_entries.txn_id IS 'The txn this entry belongs to.';
COMMENT ON COLUMN ledger_entries.account_id IS 'The account credited (positive) or debited (negative).';
COMMENT ON COLUMN ledger_entries.amount_ucents IS 'Signed amount in ucents; never zero.';

-- Balance maintenance.  Statement level with a transition table, so an
-- account that appears twice in one posting is updated once with the net
-- amount and the non-negative check sees the txn's result, not the order
-- of its legs.
CREATE FUNCTION ledger_apply_entries() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE accounts a
       SET balance_ucents = a.balance_ucents + n.delta
      FROM (SELECT account_id, sum(amount_ucents)::bigint AS delta
              FROM new_entries GROUP BY account_id) n
     WHERE a.id = n.account_id;
    RETURN NULL;
END $$;
CREATE TRIGGER ledger_entries_apply AFTER INSERT ON ledger_entries
    REFERENCING NEW TABLE AS new_entries
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_apply_entries();

-- Only the trigger above may change a balance (it runs at trigger depth 2).
CREATE FUNCTION accounts_guard_balance() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.balance_ucents IS DISTINCT FROM OLD.balance_ucents AND pg_trigger_depth() < 2 THEN
        RAISE EXCEPTION 'accounts.balance_ucents is maintained from ledger_entries; post a ledger txn instead'
              USING ERRCODE = 'FL004';
    END IF;
    IF NEW.kind IS DISTINCT FROM OLD.kind OR NEW.agent_id IS DISTINCT FROM OLD.agent_id THEN
        RAISE EXCEPTION 'an account''s owner and kind cannot change' USING ERRCODE = 'FL004';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER accounts_guard_balance BEFORE UPDATE ON accounts
    FOR EACH ROW EXECUTE FUNCTION accounts_guard_balance();

-- Append-only ledger.
CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: post a reversing txn instead of %', TG_TABLE_NAME, TG_OP
          USING ERRCODE = 'FL002';
END $$;
CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_entries_no_truncate BEFORE TRUNCATE ON ledger_entries
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_txns_append_only BEFORE UPDATE OR DELETE ON ledger_txns
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_txns_no_truncate BEFORE TRUNCATE ON ledger_txns
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();

-- Sum to zero, checked at commit so a txn may be written leg by leg.  The
-- txn-side trigger also catches a txn with no entries at all.
CREATE FUNCTION ledger_assert_balanced(p_txn bigint) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    v_sum numeric;
    v_n bigint;
BEGIN
    SELECT coalesce(sum(amount_ucents), 0), count(*) INTO v_sum, v_n
      FROM ledger_entries WHERE txn_id = p_txn;
    IF v_n = 0 OR v_sum <> 0 THEN
        RAISE EXCEPTION 'ledger txn % does not balance: % entries summing to % ucents', p_txn, v_n, v_sum
              USING ERRCODE = 'FL001';
    END IF;
END $$;
COMMENT ON FUNCTION ledger_assert_balanced(bigint) IS 'Raise FL001 unless the txn has entries summing to zero (used by the commit-time constraint triggers).';
CREATE FUNCTION ledger_entries_check_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM ledger_assert_balanced(NEW.txn_id);
    RETURN NULL;
END $$;
CREATE FUNCTION ledger_txns_check_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM ledger_assert_balanced(NEW.id);
    RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER ledger_entries_balanced AFTER INSERT ON ledger_entries
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION ledger_entries_check_balanced();
CREATE CONSTRAINT TRIGGER ledger_txns_balanced AFTER INSERT ON ledger_txns
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION ledger_txns_check_balanced();

-- Every agent gets its two accounts when it is created.
CREATE FUNCTION agents_open_accounts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO accounts (agent_id, kind)
    VALUES (NEW.id, 'agent_balance'), (NEW.id, 'agent_in_play')
    ON CONFLICT (agent_id, kind) DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER agents_open_accounts AFTER INSERT ON agents
    FOR EACH ROW EXECUTE FUNCTION agents_open_accounts();

-- Accounts for agents that existed before this migration (the platform
-- agent) and the platform's own accounts.
INSERT INTO accounts (agent_id, kind)
SELECT id, k FROM agents, unnest(ARRAY['agent_balance', 'agent_in_play']) AS k;
INSERT INTO accounts (agent_id, kind)
SELECT '00000000-0000-0000-0000-000000000001', k
  FROM unnest(ARRAY['rake', 'deposits', 'withdrawals_pending', 'withdrawn', 'adjustments']) AS k;

-- ledger_post: the one way programs post money.  Checks the legs, locks
-- the accounts in id order (two concurrent postings on the same accounts
-- queue instead of deadlocking), writes the txn and its entries, and
-- returns the txn id.  Works inside a caller's transaction.
CREATE FUNCTION ledger_post(p_kind text, p_reference jsonb,
                            p_accounts bigint[], p_amounts bigint[])
RETURNS bigint LANGUAGE plpgsql AS $$
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
    SELECT count(*) INTO v_found FROM (
        SELECT id FROM accounts WHERE id = ANY (p_accounts) ORDER BY id FOR UPDATE) locked;
    IF v_found <> (SELECT count(DISTINCT x) FROM unnest(p_accounts) AS x) THEN
        RAISE EXCEPTION 'ledger_post: unknown account in %', p_accounts
              USING ERRCODE = '23503';
    END IF;
    INSERT INTO ledger_txns (kind, reference)
    VALUES (p_kind, coalesce(p_reference, '{}')) RETURNING id INTO v_txn;
    INSERT INTO ledger_entries (txn_id, account_id, amount_ucents)
    SELECT v_txn, a, m FROM unnest(p_accounts, p_amounts) AS t (a, m);
    RETURN v_txn;
END $$;
COMMENT ON FUNCTION ledger_post(text, jsonb, bigint[], bigint[]) IS 'Post one balanced txn: ledger_post(kind, reference, ARRAY[account ids], ARRAY[signed ucents]) returns the txn id. Refuses unbalanced legs (FL001) and negative agent balances (23514).';

-- ledger_agent_accounts: an agent's two account ids, opening them if they
-- are missing (foreign key error 23503 when the agent does not exist).
CREATE FUNCTION ledger_agent_accounts(p_agent uuid,
                                      OUT balance_account bigint, OUT in_play_account bigint)
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO accounts (agent_id, kind)
    VALUES (p_agent, 'agent_balance'), (p_agent, 'agent_in_play')
    ON CONFLICT (agent_id, kind) DO NOTHING;
    SELECT id INTO balance_account FROM accounts WHERE agent_id = p_agent AND kind = 'agent_balance';
    SELECT id INTO in_play_account FROM accounts WHERE agent_id = p_agent AND kind = 'agent_in_play';
END $$;
COMMENT ON FUNCTION ledger_agent_accounts(uuid) IS 'The agent_balance and agent_in_play account ids of an agent, opened if missing.';
