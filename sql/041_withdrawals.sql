-- 041_withdrawals: USDC withdrawals to agents' wallets (DESIGN §5, §6).
--
-- Life of a withdrawal:
--   pending     withdrawal_request() reserved the amount (ledger txn
--               'withdrawal': agent balance -> withdrawals_pending) in the
--               same transaction that inserted the row; felt-payd will send.
--   processing  withdrawal_bind() gave it a nonce of the hot wallet before
--               anything was sent.  From here on it is only ever sent with
--               that nonce, so at most one transfer can exist for it on
--               chain; withdrawal_sent() records the transaction hash.
--   confirmed   mined with status 1 and enough confirmations:
--               withdrawal_confirm() moves withdrawals_pending -> withdrawn.
--   failed      refused before sending (the transfer would revert) or
--               reverted on chain: withdrawal_fail() gives the money back
--               (ledger txn 'refund': withdrawals_pending -> agent balance).
-- withdrawal_release() returns a processing withdrawal to pending only when
-- felt-payd proved its nonce was used by another transaction (so it was
-- never sent); withdrawal_note() records why felt-payd is waiting.
--
-- Limits (minimum, maximum, per agent per UTC day) come from the caller
-- (lib/money/settings, the one place they are configured).  The day's
-- total counts every withdrawal of the day that did not fail.
--
-- felt_app reads this table and changes it only through these functions,
-- which run as the owner.  Errors raised here (SQLSTATE): FP100 no such
-- agent or amount not positive; FP101 no wallet registered; FP102 below
-- the minimum; FP103 above the maximum; FP104 above the daily maximum
-- (message: ucents already requested today); FP201 the withdrawal is not
-- in the state the call needs; FP202 no such withdrawal; 23514
-- accounts_balance_nonnegative when the balance is too small.

CREATE TABLE withdrawals (
    id                  uuid PRIMARY KEY,
    agent_id            uuid NOT NULL REFERENCES agents (id),
    to_address          text NOT NULL,
    amount_ucents       bigint NOT NULL,
    status              text NOT NULL DEFAULT 'pending',
    reserve_txn_id      bigint NOT NULL REFERENCES ledger_txns (id),
    settle_txn_id       bigint REFERENCES ledger_txns (id),
    chain_id            bigint,
    token_address       text,
    from_address        text,
    nonce               bigint,
    nonce_block         bigint,
    gas                 bigint,
    tx_hash             text,
    block_number        bigint,
    confirmations_seen  bigint NOT NULL DEFAULT 0,
    send_attempts       integer NOT NULL DEFAULT 0,
    error_message       text,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    sent_at             timestamptz,
    finished_at         timestamptz,
    CONSTRAINT withdrawals_reserve_txn_key UNIQUE (reserve_txn_id),
    CONSTRAINT withdrawals_settle_txn_key UNIQUE (settle_txn_id),
    -- one withdrawal per nonce of a hot wallet: the never-twice rule
    CONSTRAINT withdrawals_nonce_key UNIQUE (chain_id, from_address, nonce),
    CONSTRAINT withdrawals_amount_positive CHECK (amount_ucents > 0),
    CONSTRAINT withdrawals_to_format CHECK (to_address ~ '^0x[0-9a-fA-F]{40}$'),
    CONSTRAINT withdrawals_tx_hash_format CHECK (tx_hash ~ '^0x[0-9a-f]{64}$'),
    CONSTRAINT withdrawals_status_check CHECK (
        status IN ('pending', 'processing', 'confirmed', 'failed')),
    CONSTRAINT withdrawals_settled_iff_final CHECK (
        (status IN ('confirmed', 'failed')) = (settle_txn_id IS NOT NULL)),
    CONSTRAINT withdrawals_processing_has_nonce CHECK (
        status <> 'processing' OR (nonce IS NOT NULL AND from_address IS NOT NULL
                                   AND chain_id IS NOT NULL AND token_address IS NOT NULL)),
    CONSTRAINT withdrawals_pending_unsent CHECK (
        status <> 'pending' OR (nonce IS NULL AND tx_hash IS NULL)),
    CONSTRAINT withdrawals_confirmed_has_hash CHECK (status <> 'confirmed' OR tx_hash IS NOT NULL)
);
CREATE INDEX withdrawals_open_idx ON withdrawals (created_at) WHERE status IN ('pending', 'processing');
CREATE INDEX withdrawals_agent_idx ON withdrawals (agent_id, created_at);

COMMENT ON TABLE withdrawals IS 'USDC withdrawals (POST /api/withdraw): pending -> processing -> confirmed | failed. The amount is reserved by ledger txn reserve_txn_id and settled by settle_txn_id (withdrawn, or refunded). Written only through the withdrawal_* functions.';
COMMENT ON COLUMN withdrawals.id IS 'Withdrawal id, the withdrawal_id of the API.';
COMMENT ON COLUMN withdrawals.agent_id IS 'The agent whose balance paid for it.';
COMMENT ON COLUMN withdrawals.to_address IS 'The agent''s registered wallet when it asked: where the USDC goes.';
COMMENT ON COLUMN withdrawals.amount_ucents IS 'Amount in ucents (sent as amount_ucents * 100 USDC base units).';
COMMENT ON COLUMN withdrawals.status IS 'pending (reserved, not sent), processing (nonce bound; sent or about to be), confirmed (mined and confirmed), failed (refunded).';
COMMENT ON COLUMN withdrawals.reserve_txn_id IS 'Ledger txn (kind withdrawal) moving the amount from the agent balance to withdrawals_pending.';
COMMENT ON COLUMN withdrawals.settle_txn_id IS 'Ledger txn closing it: kind withdrawal (withdrawals_pending -> withdrawn) when confirmed, kind refund (back to the agent) when failed.';
COMMENT ON COLUMN withdrawals.chain_id IS 'Chain the transfer is sent on.';
COMMENT ON COLUMN withdrawals.token_address IS 'USDC contract called.';
COMMENT ON COLUMN withdrawals.from_address IS 'The hot wallet that sends it.';
COMMENT ON COLUMN withdrawals.nonce IS 'The hot wallet nonce bound to this withdrawal before the first send; every (re)send uses it.';
COMMENT ON COLUMN withdrawals.nonce_block IS 'Chain head when the nonce was bound: the transaction cannot be in an earlier block (felt-payd searches from here after a crash).';
COMMENT ON COLUMN withdrawals.gas IS 'Gas limit sent with the transaction.';
COMMENT ON COLUMN withdrawals.tx_hash IS 'Hash of the transfer transaction, once known.';
COMMENT ON COLUMN withdrawals.block_number IS 'Block the transfer was mined in, when seen.';
COMMENT ON COLUMN withdrawals.confirmations_seen IS 'head - block_number + 1 when last checked.';
COMMENT ON COLUMN withdrawals.send_attempts IS 'Times a transaction hash was recorded for it (a resend with the same nonce counts again).';
COMMENT ON COLUMN withdrawals.error_message IS 'Why it failed, or why felt-payd is waiting (signer error...).';
COMMENT ON COLUMN withdrawals.created_at IS 'When it was requested (counts toward that UTC day''s limit).';
COMMENT ON COLUMN withdrawals.updated_at IS 'Last change.';
COMMENT ON COLUMN withdrawals.sent_at IS 'When a transaction hash was first recorded.';
COMMENT ON COLUMN withdrawals.finished_at IS 'When it was confirmed or failed.';

-- Confirmed and failed withdrawals are final; identities never change.
CREATE FUNCTION withdrawals_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR OLD.status IN ('confirmed', 'failed')
       OR NEW.id <> OLD.id OR NEW.agent_id <> OLD.agent_id
       OR NEW.amount_ucents <> OLD.amount_ucents OR NEW.to_address <> OLD.to_address THEN
        RAISE EXCEPTION 'withdrawal % is %: it cannot change', OLD.id, OLD.status
              USING ERRCODE = 'FP201';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER withdrawals_guard BEFORE UPDATE OR DELETE ON withdrawals
    FOR EACH ROW EXECUTE FUNCTION withdrawals_guard();

CREATE FUNCTION withdrawals_platform_account(p_kind text) RETURNS bigint
LANGUAGE sql STABLE
    SET search_path FROM CURRENT AS $$
    SELECT id FROM accounts
     WHERE agent_id = '00000000-0000-0000-0000-000000000001' AND kind = p_kind
$$;
COMMENT ON FUNCTION withdrawals_platform_account(text) IS 'Internal: id of a platform account by kind.';

-- withdrawal_request: reserve p_amount ucents of agent p_agent's balance for
-- a withdrawal to its registered wallet, within the limits given.
CREATE FUNCTION withdrawal_request(p_agent uuid, p_amount bigint, p_min bigint, p_max bigint,
                                   p_daily_max bigint,
                                   OUT withdrawal_id uuid, OUT txn_id bigint,
                                   OUT balance_after_ucents bigint, OUT to_address text)
LANGUAGE plpgsql
    SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    v_today bigint;
    v_balance bigint;
BEGIN
    IF p_amount IS NULL OR p_amount <= 0 THEN
        RAISE EXCEPTION 'withdrawal amount must be positive' USING ERRCODE = 'FP100';
    END IF;
    IF p_amount < p_min THEN
        RAISE EXCEPTION 'below the minimum withdrawal' USING ERRCODE = 'FP102';
    END IF;
    IF p_amount > p_max THEN
        RAISE EXCEPTION 'above the maximum withdrawal' USING ERRCODE = 'FP103';
    END IF;
    -- The agent row lock serialises one agent's requests, so two at once
    -- cannot both fit under the daily limit.
    SELECT a.wallet_address INTO to_address FROM agents a WHERE a.id = p_agent FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no agent %', p_agent USING ERRCODE = 'FP100';
    END IF;
    IF to_address IS NULL THEN
        RAISE EXCEPTION 'no wallet registered' USING ERRCODE = 'FP101';
    END IF;
    SELECT coalesce(sum(w.amount_ucents), 0) INTO v_today FROM withdrawals w
     WHERE w.agent_id = p_agent AND w.status <> 'failed'
       AND w.created_at >= date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
    IF v_today + p_amount > p_daily_max THEN
        RAISE EXCEPTION USING ERRCODE = 'FP104', MESSAGE = v_today::text;
    END IF;
    SELECT balance_account INTO v_balance FROM ledger_agent_accounts(p_agent);
    withdrawal_id := gen_random_uuid();
    txn_id := ledger_post('withdrawal',
        jsonb_build_object('withdrawal_id', withdrawal_id, 'to', to_address, 'step', 'reserve'),
        ARRAY[v_balance, withdrawals_platform_account('withdrawals_pending')],
        ARRAY[-p_amount, p_amount]);
    INSERT INTO withdrawals (id, agent_id, to_address, amount_ucents, reserve_txn_id)
    VALUES (withdrawal_id, p_agent, to_address, p_amount, txn_id);
    SELECT balance_ucents INTO balance_after_ucents FROM accounts WHERE id = v_balance;
    PERFORM pg_notify('felt_payd', 'withdrawal');
END $$;
COMMENT ON FUNCTION withdrawal_request(uuid, bigint, bigint, bigint, bigint) IS 'Reserve funds and queue a withdrawal to the agent''s wallet, within min/max/daily limits (ucents); returns its id, the reserving txn and the balance after.';

-- withdrawal_bind: before the first send, bind pending withdrawal p_id to
-- nonce p_nonce of hot wallet p_from (p_block: the chain head now).
CREATE FUNCTION withdrawal_bind(p_id uuid, p_chain_id bigint, p_token text, p_from text,
                                p_nonce bigint, p_block bigint, p_gas bigint)
RETURNS void LANGUAGE plpgsql
    SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    UPDATE withdrawals SET status = 'processing', chain_id = p_chain_id, token_address = p_token,
                           from_address = p_from, nonce = p_nonce, nonce_block = p_block,
                           gas = p_gas, error_message = NULL, updated_at = now()
     WHERE id = p_id AND status = 'pending';
    IF NOT FOUND THEN
        RAISE EXCEPTION 'withdrawal % is not pending', p_id USING ERRCODE = 'FP201';
    END IF;
END $$;
COMMENT ON FUNCTION withdrawal_bind(uuid, bigint, text, text, bigint, bigint, bigint) IS 'pending -> processing with the hot wallet nonce every send of it will use.';

-- A processing withdrawal, locked; FP201/FP202 otherwise.
CREATE FUNCTION withdrawals_processing(p_id uuid) RETURNS withdrawals
LANGUAGE plpgsql
    SET search_path FROM CURRENT AS $$
DECLARE
    w withdrawals;
BEGIN
    SELECT * INTO w FROM withdrawals WHERE id = p_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no withdrawal %', p_id USING ERRCODE = 'FP202';
    END IF;
    IF w.status <> 'processing' THEN
        RAISE EXCEPTION 'withdrawal % is %, not processing', p_id, w.status USING ERRCODE = 'FP201';
    END IF;
    RETURN w;
END $$;
COMMENT ON FUNCTION withdrawals_processing(uuid) IS 'Internal: lock a processing withdrawal (FP201 if it is in another state, FP202 if absent).';

-- withdrawal_sent: the transaction carrying processing withdrawal p_id.
CREATE FUNCTION withdrawal_sent(p_id uuid, p_tx_hash text) RETURNS void
LANGUAGE plpgsql
    SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    PERFORM withdrawals_processing(p_id);
    UPDATE withdrawals SET tx_hash = p_tx_hash, sent_at = coalesce(sent_at, now()),
                           send_attempts = send_attempts + 1, updated_at = now()
     WHERE id = p_id;
END $$;
COMMENT ON FUNCTION withdrawal_sent(uuid, text) IS 'Record the hash of the transaction sending a processing withdrawal.';

-- withdrawal_note: what felt-payd saw (block, confirmations) or why it waits.
CREATE FUNCTION withdrawal_note(p_id uuid, p_block bigint, p_confirmations bigint, p_error text)
RETURNS void LANGUAGE plpgsql
    SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    UPDATE withdrawals SET block_number = coalesce(p_block, block_number),
                           confirmations_seen = coalesce(p_confirmations, confirmations_seen),
                           error_message = p_error, updated_at = now()
     WHERE id = p_id AND status IN ('pending', 'processing');
END $$;
COMMENT ON FUNCTION withdrawal_note(uuid, bigint, bigint, text) IS 'Record confirmations seen and the current error (NULL: none) of an open withdrawal.';

-- withdrawal_confirm: processing withdrawal p_id was mined with status 1 and
-- has p_confirmations: the money has left (withdrawals_pending -> withdrawn).
CREATE FUNCTION withdrawal_confirm(p_id uuid, p_tx_hash text, p_block bigint,
                                   p_confirmations bigint)
RETURNS bigint LANGUAGE plpgsql
    SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    w withdrawals := withdrawals_processing(p_id);
    v_txn bigint;
BEGIN
    v_txn := ledger_post('withdrawal',
        jsonb_build_object('withdrawal_id', w.id, 'tx_hash', p_tx_hash, 'step', 'sent'),
        ARRAY[withdrawals_platform_account('withdrawals_pending'),
              withdrawals_platform_account('withdrawn')],
        ARRAY[-w.amount_ucents, w.amount_ucents]);
    UPDATE withdrawals SET status = 'confirmed', settle_txn_id = v_txn, tx_hash = p_tx_hash,
                           block_number = p_block, confirmations_seen = p_confirmations,
                           error_message = NULL, finished_at = now(), updated_at = now()
     WHERE id = p_id;
    RETURN v_txn;
END $$;
COMMENT ON FUNCTION withdrawal_confirm(uuid, text, bigint, bigint) IS 'processing -> confirmed: post withdrawals_pending -> withdrawn; returns the txn id.';

-- withdrawal_fail: withdrawal p_id (pending, or processing whose transaction
-- reverted) will never pay out: refund the agent.
CREATE FUNCTION withdrawal_fail(p_id uuid, p_reason text) RETURNS bigint
LANGUAGE plpgsql
    SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    w withdrawals;
    v_balance bigint;
    v_txn bigint;
BEGIN
    SELECT * INTO w FROM withdrawals WHERE id = p_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no withdrawal %', p_id USING ERRCODE = 'FP202';
    END IF;
    IF w.status NOT IN ('pending', 'processing') THEN
        RAISE EXCEPTION 'withdrawal % is already %', p_id, w.status USING ERRCODE = 'FP201';
    END IF;
    SELECT balance_account INTO v_balance FROM ledger_agent_accounts(w.agent_id);
    v_txn := ledger_post('refund',
        jsonb_build_object('withdrawal_id', w.id, 'reason', p_reason),
        ARRAY[withdrawals_platform_account('withdrawals_pending'), v_balance],
        ARRAY[-w.amount_ucents, w.amount_ucents]);
    UPDATE withdrawals SET status = 'failed', settle_txn_id = v_txn, error_message = p_reason,
                           finished_at = now(), updated_at = now()
     WHERE id = p_id;
    RETURN v_txn;
END $$;
COMMENT ON FUNCTION withdrawal_fail(uuid, text) IS 'pending/processing -> failed: refund the agent (ledger txn refund); returns the txn id.';

-- withdrawal_release: processing withdrawal p_id was never sent (its nonce
-- was used by another transaction): back to pending, to be bound anew.
CREATE FUNCTION withdrawal_release(p_id uuid, p_reason text) RETURNS void
LANGUAGE plpgsql
    SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    PERFORM withdrawals_processing(p_id);
    UPDATE withdrawals SET status = 'pending', chain_id = NULL, token_address = NULL,
                           from_address = NULL, nonce = NULL, nonce_block = NULL, gas = NULL,
                           tx_hash = NULL, block_number = NULL, confirmations_seen = 0,
                           error_message = p_reason, updated_at = now()
     WHERE id = p_id;
END $$;
COMMENT ON FUNCTION withdrawal_release(uuid, text) IS 'processing -> pending, only when its nonce provably went to another transaction.';

-- felt_app reads; it writes only through the functions above, which run as
-- the owner with the path pinned (HACKING.md, "Privileges").
GRANT EXECUTE ON FUNCTION
    withdrawal_request(uuid, bigint, bigint, bigint, bigint),
    withdrawal_bind(uuid, bigint, text, text, bigint, bigint, bigint),
    withdrawal_sent(uuid, text), withdrawal_note(uuid, bigint, bigint, text),
    withdrawal_confirm(uuid, text, bigint, bigint), withdrawal_fail(uuid, text),
    withdrawal_release(uuid, text) TO felt_app;
GRANT SELECT ON withdrawals TO felt_app, felt_read;
