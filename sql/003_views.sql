-- 003_views: what a DBA (or /api/accounting) reads to audit the money.
--
-- accounting_invariant recomputes every total from the raw ledger_entries,
-- not from the maintained balances, and reports two kinds of drift:
--   drift_ucents          deposited + net adjustments
--                         - (balances + in play + rake + withdrawn + pending);
--                         non-zero only if an unbalanced txn ever got in.
--   balance_drift_ucents  sum over accounts of |maintained balance - raw sum|;
--                         non-zero if accounts.balance_ucents was ever wrong.
-- invariant_holds is true when both are zero.

CREATE VIEW agent_balances AS
SELECT ag.id AS agent_id,
       ag.name,
       b.balance_ucents,
       p.balance_ucents AS in_play_ucents,
       b.balance_ucents + p.balance_ucents AS total_ucents,
       (b.balance_ucents / 10000.0)::numeric(20, 4) AS balance_usd,
       (p.balance_ucents / 10000.0)::numeric(20, 4) AS in_play_usd
  FROM agents ag
  JOIN accounts b ON b.agent_id = ag.id AND b.kind = 'agent_balance'
  JOIN accounts p ON p.agent_id = ag.id AND p.kind = 'agent_in_play'
 WHERE ag.id <> '00000000-0000-0000-0000-000000000001';

COMMENT ON VIEW agent_balances IS 'Per agent (platform agent excluded): spendable balance and value in play, in ucents and in USD.';
COMMENT ON COLUMN agent_balances.agent_id IS 'The agent.';
COMMENT ON COLUMN agent_balances.name IS 'Agent name.';
COMMENT ON COLUMN agent_balances.balance_ucents IS 'Spendable balance (agent_balance account), ucents.';
COMMENT ON COLUMN agent_balances.in_play_ucents IS 'Value of the agent''s chips on tables (agent_in_play account), ucents.';
COMMENT ON COLUMN agent_balances.total_ucents IS 'balance_ucents + in_play_ucents.';
COMMENT ON COLUMN agent_balances.balance_usd IS 'balance_ucents in USD (exact numeric, for reading).';
COMMENT ON COLUMN agent_balances.in_play_usd IS 'in_play_ucents in USD (exact numeric, for reading).';

CREATE VIEW platform_accounts AS
SELECT a.kind, a.id AS account_id, a.balance_ucents,
       (a.balance_ucents / 10000.0)::numeric(20, 4) AS balance_usd
  FROM accounts a
 WHERE a.agent_id = '00000000-0000-0000-0000-000000000001'
   AND a.kind NOT IN ('agent_balance', 'agent_in_play')
 ORDER BY a.kind;

COMMENT ON VIEW platform_accounts IS 'The platform''s own accounts and their maintained balances (deposits and adjustments are negative by the sign convention).';
COMMENT ON COLUMN platform_accounts.kind IS 'rake, deposits, withdrawals_pending, withdrawn or adjustments.';
COMMENT ON COLUMN platform_accounts.account_id IS 'accounts.id of the platform account.';
COMMENT ON COLUMN platform_accounts.balance_ucents IS 'Maintained balance, ucents.';
COMMENT ON COLUMN platform_accounts.balance_usd IS 'Maintained balance in USD (exact numeric, for reading).';

CREATE VIEW accounting_invariant AS
WITH raw AS (
    SELECT a.kind, sum(e.amount_ucents) AS s
      FROM ledger_entries e JOIN accounts a ON a.id = e.account_id
     GROUP BY a.kind
), t AS (
    SELECT -coalesce((SELECT s FROM raw WHERE kind = 'deposits'), 0)            AS deposited,
           coalesce((SELECT s FROM raw WHERE kind = 'agent_balance'), 0)        AS balance,
           coalesce((SELECT s FROM raw WHERE kind = 'agent_in_play'), 0)        AS in_play,
           coalesce((SELECT s FROM raw WHERE kind = 'rake'), 0)                 AS rake,
           coalesce((SELECT s FROM raw WHERE kind = 'withdrawn'), 0)            AS withdrawn,
           coalesce((SELECT s FROM raw WHERE kind = 'withdrawals_pending'), 0)  AS pending,
           -coalesce((SELECT s FROM raw WHERE kind = 'adjustments'), 0)         AS adjustments
), m AS (
    SELECT coalesce(sum(abs(a.balance_ucents - coalesce(r.s, 0))), 0) AS balance_drift
      FROM accounts a
      LEFT JOIN (SELECT account_id, sum(amount_ucents) AS s
                   FROM ledger_entries GROUP BY account_id) r ON r.account_id = a.id
)
SELECT t.deposited::bigint     AS total_deposited_ucents,
       t.balance::bigint       AS total_balance_ucents,
       t.in_play::bigint       AS total_in_play_ucents,
       t.rake::bigint          AS total_rake_ucents,
       t.withdrawn::bigint     AS total_withdrawn_ucents,
       t.pending::bigint       AS total_pending_withdrawals_ucents,
       t.adjustments::bigint   AS net_adjustments_ucents,
       (t.deposited + t.adjustments
        - (t.balance + t.in_play + t.rake + t.withdrawn + t.pending))::bigint AS drift_ucents,
       m.balance_drift::bigint AS balance_drift_ucents,
       (t.deposited + t.adjustments
        = t.balance + t.in_play + t.rake + t.withdrawn + t.pending
        AND m.balance_drift = 0) AS invariant_holds,
       (SELECT count(*) FROM ledger_txns) AS txn_count,
       now() AS computed_at
  FROM t, m;

COMMENT ON VIEW accounting_invariant IS 'One row: platform totals recomputed from raw ledger_entries. Must hold: deposited + net adjustments = balances + in play + rake + withdrawn + pending withdrawals, and every maintained balance equals its raw sum.';
COMMENT ON COLUMN accounting_invariant.total_deposited_ucents IS 'All money ever deposited (minus the raw sum of the deposits account).';
COMMENT ON COLUMN accounting_invariant.total_balance_ucents IS 'Raw sum of every agent_balance account (spendable funds).';
COMMENT ON COLUMN accounting_invariant.total_in_play_ucents IS 'Raw sum of every agent_in_play account (chips on tables).';
COMMENT ON COLUMN accounting_invariant.total_rake_ucents IS 'Raw sum of the rake account (platform revenue).';
COMMENT ON COLUMN accounting_invariant.total_withdrawn_ucents IS 'Raw sum of the withdrawn account (money sent out).';
COMMENT ON COLUMN accounting_invariant.total_pending_withdrawals_ucents IS 'Raw sum of withdrawals_pending (reserved, not yet confirmed on chain).';
COMMENT ON COLUMN accounting_invariant.net_adjustments_ucents IS 'Operator credits minus debits (minus the raw sum of the adjustments account).';
COMMENT ON COLUMN accounting_invariant.drift_ucents IS 'deposited + adjustments - (balance + in_play + rake + withdrawn + pending); 0 unless an unbalanced txn exists.';
COMMENT ON COLUMN accounting_invariant.balance_drift_ucents IS 'Sum over accounts of |balance_ucents - raw sum of entries|; 0 unless a maintained balance is wrong.';
COMMENT ON COLUMN accounting_invariant.invariant_holds IS 'True when drift_ucents and balance_drift_ucents are both 0.';
COMMENT ON COLUMN accounting_invariant.txn_count IS 'Number of ledger txns.';
COMMENT ON COLUMN accounting_invariant.computed_at IS 'When this row was computed (now()).';
