-- 040_deposits: USDC deposits on chain (DESIGN §5, §6).
--
-- An agent submits the hash of a transaction that sent USDC from its
-- registered wallet to the platform's deposit address.  felt-api checks
-- the receipt on the chain (lib/money/deposit) and records it here with
-- deposit_submit(): credited at once when it has enough confirmations
-- (status confirmed), otherwise recorded as pending, and felt-payd calls
-- deposit_observe() as blocks arrive until it is credited (or
-- deposit_reject() if a reorg turned it into something else).
--
-- A tx hash is credited at most once, ever: tx_hash is unique, a deposit
-- is credited in the same transaction that marks it confirmed, and a
-- deposit that is no longer pending never changes again.  The programs
-- (felt_app) read this table and write it only through the functions
-- below, which run as the owner.
--
-- Amounts: the transfer in USDC base units (10^-6 USD, exact numeric), the
-- ucents credited (base units / 100) and the remainder below one ucent,
-- which is recorded and never credited.
--
-- Errors raised here (SQLSTATE): FP001 a deposit that is not pending
-- cannot change; FP002 no such deposit.

CREATE TABLE deposits (
    id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    agent_id                uuid NOT NULL REFERENCES agents (id),
    tx_hash                 text NOT NULL,
    chain_id                bigint NOT NULL,
    token_address           text NOT NULL,
    deposit_address         text NOT NULL,
    from_address            text NOT NULL,
    amount_base_units       numeric(78, 0) NOT NULL,
    amount_ucents           bigint NOT NULL,
    remainder_base_units    integer NOT NULL,
    block_number            bigint NOT NULL,
    block_hash              text NOT NULL,
    confirmations_seen      bigint NOT NULL,
    confirmations_required  integer NOT NULL,
    status                  text NOT NULL,
    reason                  text,
    credit_txn_id           bigint REFERENCES ledger_txns (id),
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    confirmed_at            timestamptz,
    CONSTRAINT deposits_tx_hash_key UNIQUE (tx_hash),
    CONSTRAINT deposits_credit_txn_key UNIQUE (credit_txn_id),
    CONSTRAINT deposits_tx_hash_format CHECK (tx_hash ~ '^0x[0-9a-f]{64}$'),
    CONSTRAINT deposits_block_hash_format CHECK (block_hash ~ '^0x[0-9a-f]{64}$'),
    CONSTRAINT deposits_addresses_format CHECK (
        token_address ~ '^0x[0-9a-fA-F]{40}$' AND deposit_address ~ '^0x[0-9a-fA-F]{40}$'
        AND from_address ~ '^0x[0-9a-fA-F]{40}$'),
    CONSTRAINT deposits_status_check CHECK (status IN ('pending', 'confirmed', 'rejected')),
    CONSTRAINT deposits_credited_iff_confirmed CHECK (
        (status = 'confirmed') = (credit_txn_id IS NOT NULL)),
    CONSTRAINT deposits_reason_iff_rejected CHECK ((status = 'rejected') = (reason IS NOT NULL)),
    CONSTRAINT deposits_amount_split CHECK (
        amount_ucents > 0 AND remainder_base_units BETWEEN 0 AND 99
        AND amount_base_units = amount_ucents::numeric * 100 + remainder_base_units),
    CONSTRAINT deposits_confirmations CHECK (
        confirmations_seen >= 0 AND confirmations_required >= 1)
);
CREATE INDEX deposits_pending_idx ON deposits (created_at) WHERE status = 'pending';
CREATE INDEX deposits_agent_idx ON deposits (agent_id, created_at);

COMMENT ON TABLE deposits IS 'USDC deposits submitted by agents (POST /api/deposit/onchain), one per transaction hash. pending: waiting for confirmations (felt-payd credits it); confirmed: credited by ledger txn credit_txn_id; rejected: was pending, then failed verification. Written only through deposit_submit/deposit_observe/deposit_reject.';
COMMENT ON COLUMN deposits.id IS 'Deposit id, the deposit_id of the API.';
COMMENT ON COLUMN deposits.agent_id IS 'The agent who submitted the hash and is credited.';
COMMENT ON COLUMN deposits.tx_hash IS 'Transaction hash, lowercase; unique: a transaction is credited at most once.';
COMMENT ON COLUMN deposits.chain_id IS 'EVM chain id the transaction is on (8453 = Base).';
COMMENT ON COLUMN deposits.token_address IS 'The USDC contract whose Transfer logs were counted.';
COMMENT ON COLUMN deposits.deposit_address IS 'The platform deposit address the USDC was sent to.';
COMMENT ON COLUMN deposits.from_address IS 'The sender of the counted transfers: the agent''s registered wallet at submission.';
COMMENT ON COLUMN deposits.amount_base_units IS 'Sum of the counted transfers in USDC base units (10^-6 USD), exact.';
COMMENT ON COLUMN deposits.amount_ucents IS 'What is credited: amount_base_units / 100, in ucents.';
COMMENT ON COLUMN deposits.remainder_base_units IS 'amount_base_units % 100: the part below one ucent, recorded and never credited.';
COMMENT ON COLUMN deposits.block_number IS 'Block the transaction was last seen in.';
COMMENT ON COLUMN deposits.block_hash IS 'Hash of that block (a reorg changes it).';
COMMENT ON COLUMN deposits.confirmations_seen IS 'head - block_number + 1 when last checked.';
COMMENT ON COLUMN deposits.confirmations_required IS 'Confirmations the deployment required (FELT_CONFIRMATIONS) when last checked.';
COMMENT ON COLUMN deposits.status IS 'pending, confirmed or rejected.';
COMMENT ON COLUMN deposits.reason IS 'Why a pending deposit was rejected; NULL otherwise.';
COMMENT ON COLUMN deposits.credit_txn_id IS 'The ledger txn (kind deposit) that credited it; set exactly when confirmed.';
COMMENT ON COLUMN deposits.created_at IS 'When the hash was first submitted.';
COMMENT ON COLUMN deposits.updated_at IS 'Last change.';
COMMENT ON COLUMN deposits.confirmed_at IS 'When it was credited.';

-- Only pending deposits change, and never their identity.
CREATE FUNCTION deposits_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR OLD.status <> 'pending'
       OR NEW.id <> OLD.id OR NEW.agent_id <> OLD.agent_id OR NEW.tx_hash <> OLD.tx_hash THEN
        RAISE EXCEPTION 'deposit % is %: it cannot change', OLD.id, OLD.status
              USING ERRCODE = 'FP001';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER deposits_guard BEFORE UPDATE OR DELETE ON deposits
    FOR EACH ROW EXECUTE FUNCTION deposits_guard();

-- Credit pending deposit p_id now: one ledger txn (deposits -> agent
-- balance) and the row marked confirmed, in the caller's transaction.
CREATE FUNCTION deposit_credit(p_id uuid) RETURNS bigint LANGUAGE plpgsql
    SET search_path FROM CURRENT AS $$
DECLARE
    d deposits;
    v_balance bigint;
    v_deposits bigint;
    v_txn bigint;
BEGIN
    SELECT * INTO d FROM deposits WHERE id = p_id;
    SELECT balance_account INTO v_balance FROM ledger_agent_accounts(d.agent_id);
    SELECT id INTO v_deposits FROM accounts
     WHERE agent_id = '00000000-0000-0000-0000-000000000001' AND kind = 'deposits';
    v_txn := ledger_post('deposit',
        jsonb_build_object('deposit_id', d.id, 'tx_hash', d.tx_hash, 'chain_id', d.chain_id,
                           'from', d.from_address),
        ARRAY[v_deposits, v_balance], ARRAY[-d.amount_ucents, d.amount_ucents]);
    UPDATE deposits SET status = 'confirmed', credit_txn_id = v_txn,
                        confirmed_at = now(), updated_at = now()
     WHERE id = p_id;
    RETURN v_txn;
END $$;
COMMENT ON FUNCTION deposit_credit(uuid) IS 'Internal: credit pending deposit p_id (ledger txn kind deposit) and mark it confirmed.';

-- deposit_submit: record a verified transaction for agent p_agent.  When
-- p_confirmations >= p_required it is credited in the same transaction.
-- If the hash is already recorded (by anyone), nothing changes and that
-- row is returned with is_new = false: the caller tells the agent.
CREATE FUNCTION deposit_submit(
    p_agent uuid, p_tx_hash text, p_chain_id bigint, p_token text, p_deposit_address text,
    p_from text, p_base_units numeric, p_ucents bigint, p_remainder integer,
    p_block_number bigint, p_block_hash text, p_confirmations bigint, p_required integer,
    OUT deposit_id uuid, OUT agent_id uuid, OUT status text, OUT is_new boolean)
LANGUAGE plpgsql
    SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    INSERT INTO deposits AS d (agent_id, tx_hash, chain_id, token_address, deposit_address,
                               from_address, amount_base_units, amount_ucents,
                               remainder_base_units, block_number, block_hash,
                               confirmations_seen, confirmations_required, status)
    VALUES (p_agent, p_tx_hash, p_chain_id, p_token, p_deposit_address, p_from, p_base_units,
            p_ucents, p_remainder, p_block_number, p_block_hash, p_confirmations, p_required,
            'pending')
    ON CONFLICT (tx_hash) DO NOTHING
    RETURNING d.id INTO deposit_id;
    is_new := deposit_id IS NOT NULL;
    IF is_new AND p_confirmations >= p_required THEN
        PERFORM deposit_credit(deposit_id);
    ELSIF is_new THEN
        PERFORM pg_notify('felt_payd', 'deposit');
    END IF;
    SELECT d.id, d.agent_id, d.status INTO deposit_id, agent_id, status
      FROM deposits d WHERE d.tx_hash = p_tx_hash;
END $$;
COMMENT ON FUNCTION deposit_submit(uuid, text, bigint, text, text, text, numeric, bigint, integer, bigint, text, bigint, integer) IS 'Record (and credit, when confirmed enough) a verified deposit; returns the row for the hash and whether this call created it.';

-- deposit_observe: what the chain shows now for pending deposit p_id
-- (amount, block, confirmations); credits it once p_confirmations reaches
-- p_required.  A deposit that is no longer pending is left alone.
CREATE FUNCTION deposit_observe(
    p_id uuid, p_base_units numeric, p_ucents bigint, p_remainder integer,
    p_block_number bigint, p_block_hash text, p_confirmations bigint, p_required integer,
    OUT status text, OUT credit_txn_id bigint)
LANGUAGE plpgsql
    SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    d deposits;
BEGIN
    SELECT * INTO d FROM deposits WHERE id = p_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no deposit %', p_id USING ERRCODE = 'FP002';
    END IF;
    IF d.status = 'pending' THEN
        UPDATE deposits SET amount_base_units = p_base_units, amount_ucents = p_ucents,
                            remainder_base_units = p_remainder, block_number = p_block_number,
                            block_hash = p_block_hash, confirmations_seen = p_confirmations,
                            confirmations_required = p_required, updated_at = now()
         WHERE id = p_id;
        IF p_confirmations >= p_required THEN
            PERFORM deposit_credit(p_id);
        END IF;
    END IF;
    SELECT x.status, x.credit_txn_id INTO status, credit_txn_id FROM deposits x WHERE x.id = p_id;
END $$;
COMMENT ON FUNCTION deposit_observe(uuid, numeric, bigint, integer, bigint, text, bigint, integer) IS 'Update a pending deposit from the chain and credit it when confirmed enough; returns its status.';

-- deposit_reject: pending deposit p_id failed verification after all
-- (a reorg); it is never credited.
CREATE FUNCTION deposit_reject(p_id uuid, p_reason text) RETURNS text LANGUAGE plpgsql
    SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    v_status text;
BEGIN
    UPDATE deposits SET status = 'rejected', reason = p_reason, updated_at = now()
     WHERE id = p_id AND status = 'pending';
    SELECT status INTO v_status FROM deposits WHERE id = p_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no deposit %', p_id USING ERRCODE = 'FP002';
    END IF;
    RETURN v_status;
END $$;
COMMENT ON FUNCTION deposit_reject(uuid, text) IS 'Mark a pending deposit rejected (never credited); returns its status.';

-- felt_app reads; it writes only through the functions above, which run as
-- the owner with the path pinned (HACKING.md, "Privileges").
GRANT EXECUTE ON FUNCTION
    deposit_submit(uuid, text, bigint, text, text, text, numeric, bigint, integer, bigint, text, bigint, integer),
    deposit_observe(uuid, numeric, bigint, integer, bigint, text, bigint, integer),
    deposit_reject(uuid, text) TO felt_app;
GRANT SELECT ON deposits TO felt_app, felt_read;
