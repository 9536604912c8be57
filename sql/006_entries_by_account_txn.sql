-- 006_entries_by_account_txn: an account's entries in txn order.
--
-- GET /api/transactions pages an agent's txns newest first.  Without this
-- index every page aggregated the agent's whole history (0.5 s at 200,000
-- txns); with it a page reads only the newest offset + limit txns of each
-- of the agent's two accounts, backwards along the index, and the running
-- balance is counted back from the account's maintained balance.

CREATE INDEX ledger_entries_account_txn_idx ON ledger_entries (account_id, txn_id);

COMMENT ON INDEX ledger_entries_account_txn_idx IS 'An account''s entries in txn order: the newest txns of an agent without reading its whole history (/api/transactions).';
