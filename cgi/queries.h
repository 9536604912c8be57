/*
 * queries.h — every SQL statement felt-api runs, in one place.
 *
 * Run with PQexecParams (db_exec), or prepared on first use (db_exec_cached)
 * where a statement runs on most requests; either way a statement that
 * touches a table a later migration adds fails alone instead of making a
 * whole connection unusable. Values always travel as parameters; the texts
 * are constants.
 */
#ifndef FELT_CGI_QUERIES_H
#define FELT_CGI_QUERIES_H

/* Readiness: the cheapest statement that proves a working session. */
extern const char queries_ping[];

/*
 * Per component ('wsd', 'payd'): instances seen, instances fresh within $1
 * seconds, milliseconds since the freshest heartbeat.
 */
extern const char queries_heartbeats[];

/* Sum of the numeric stats of fresh ($1 s) wsd instances, per key. */
extern const char queries_game_stats[];

/* Whether the later money tables exist: deposits, withdrawals. */
extern const char queries_money_tables[];

/* Deposits waiting for confirmations. */
extern const char queries_deposits_pending[];

/* The ledger invariant view, one row. */
extern const char queries_reconciliation[];

/* Upsert felt-api's heartbeat: $1 instance, $2 pid, $3 stats (jsonb text). */
extern const char queries_heartbeat_upsert[];

/* --- accounts and money (/api/register, /api/me, balance, transactions,
 *     accounting, revenue, /v1/agents) --- */

/*
 * New agent: $1 name, $2 email (NULL for /v1), $3 wallet_address, $4
 * avatar_url, $5 api_key_hash, $6 api_key_prefix. Returns id. Unique
 * violations name the index (agents_name_key, _email_key, _wallet_key).
 */
extern const char queries_agent_insert[];

/* As queries_agent_insert plus $7 metadata (JSON object text or NULL). */
extern const char queries_agent_insert_v1[];

/*
 * Profile of agent $1: id, email, name, wallet_address, avatar_url,
 * balance_ucents, created_at (ISO 8601 UTC, "Z").
 */
extern const char queries_agent_profile[];

/*
 * Update agent $1 and return its profile as queries_agent_profile: $2 new
 * name or NULL (keep), $3 'true' to set wallet_address to $4 (may be
 * NULL), $5 'true' to set avatar_url to $6 (may be NULL).
 */
extern const char queries_agent_update[];

/* Replace agent $1's key: $2 api_key_hash, $3 api_key_prefix. */
extern const char queries_agent_rekey[];

/*
 * Authentication and balance in one statement, for GET /api/balance (run
 * prepared, db_exec_cached): the agent whose api_key_hash is $1, its
 * balance and in-play ucents. No row: no such key.
 */
#define QUERIES_BALANCE_BY_KEY "api_balance_by_key"
extern const char queries_balance_by_key[];

/*
 * Agent $1's ledger txns, newest first, $2 limit, $3 offset. Each row:
 * the number of txns touching the agent (total, same on every row), then
 * id, kind, amount_ucents as the agent sees it (change of its balance
 * account, or of its in-play account for txns that only touch that),
 * balance_after (its balance account after the txn), reference (JSON
 * text), created_at. An empty page is one row: the total, then NULLs.
 */
extern const char queries_agent_txns[];

/* The accounting_invariant view's columns, one row (sql/003_views.sql). */
extern const char queries_accounting[];

/*
 * Rake: total ucents, ucents since today 00:00 UTC, hand settlements
 * total and today.
 */
extern const char queries_revenue[];

#endif
