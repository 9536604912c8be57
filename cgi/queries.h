/*
 * queries.h — every SQL statement felt-api runs, in one place: the table
 * queries[], prepared on each connection right after it is made (apidb,
 * db_prepare_all), and the names handlers run them by
 * (db_exec_prepared(c, QUERIES_X, ...)).  A statement whose table comes
 * with a later migration fails alone, when used.  Values always travel as
 * parameters; the texts are constants in queries.c.
 */
#ifndef FELT_CGI_QUERIES_H
#define FELT_CGI_QUERIES_H

#include "core/db.h"

/* The table, NULL-name terminated; auth_lookup's and lib/money/payments'
 * statements included. */
extern const struct db_stmt queries[];

/* Readiness: the cheapest statement that proves a working session. */
#define QUERIES_PING "api_ping"

/*
 * Per component ('wsd', 'payd'): instances seen, instances fresh within $1
 * seconds (and not saying they stopped), milliseconds since the freshest
 * heartbeat.
 */
#define QUERIES_HEARTBEATS "api_heartbeats"

/* Sum of the numeric stats of fresh ($1 s) wsd instances, per key. */
#define QUERIES_GAME_STATS "api_game_stats"

/* Whether the later money tables exist: deposits, withdrawals. */
#define QUERIES_MONEY_TABLES "api_money_tables"

/* The stats (JSON text) of the freshest felt-payd heartbeat within $1
 * seconds that did not say it stopped; no row when there is none. */
#define QUERIES_PAYD_STATS "api_payd_stats"

/* Deposits waiting for confirmations. */
#define QUERIES_DEPOSITS_PENDING "api_deposits_pending"

/* The ledger invariant view, one row. */
#define QUERIES_RECONCILIATION "api_reconciliation"

/* Upsert felt-api's heartbeat: $1 instance, $2 pid, $3 stats (jsonb text). */
#define QUERIES_HEARTBEAT_UPSERT "api_heartbeat_upsert"

/* --- accounts and money (/api/register, /api/me, balance, transactions,
 *     accounting, revenue, /v1/agents) --- */

/*
 * New agent: $1 name, $2 email (NULL for /v1), $3 wallet_address, $4
 * avatar_url, $5 api_key_hash, $6 api_key_prefix. Returns id. Unique
 * violations name the index (agents_name_key, _email_key, _wallet_key).
 */
#define QUERIES_AGENT_INSERT "api_agent_insert"

/* As queries_agent_insert plus $7 metadata (JSON object text or NULL). */
#define QUERIES_AGENT_INSERT_V1 "api_agent_insert_v1"

/*
 * Profile of agent $1: id, email, name, wallet_address, avatar_url,
 * balance_ucents, created_at (ISO 8601 UTC, "Z").
 */
#define QUERIES_AGENT_PROFILE "api_agent_profile"

/*
 * Update agent $1 and return its profile as queries_agent_profile: $2 new
 * name or NULL (keep), $3 'true' to set wallet_address to $4 (may be
 * NULL), $5 'true' to set avatar_url to $6 (may be NULL).
 */
#define QUERIES_AGENT_UPDATE "api_agent_update"

/* Replace agent $1's key: $2 api_key_hash, $3 api_key_prefix. */
#define QUERIES_AGENT_REKEY "api_agent_rekey"

/*
 * Authentication and balance in one statement, for GET /api/balance: the
 * agent whose api_key_hash is $1, its balance and in-play ucents. No row:
 * no such key.
 */
#define QUERIES_BALANCE_BY_KEY "api_balance_by_key"

/*
 * Agent $1's ledger txns, newest first, $2 limit, $3 offset. Each row:
 * the number of txns touching the agent (total, same on every row), then
 * id, kind, amount_ucents as the agent sees it (change of its balance
 * account, or of its in-play account for txns that only touch that),
 * balance_after (its balance account after the txn), reference (JSON
 * text), created_at. An empty page is one row: the total, then NULLs.
 */
#define QUERIES_AGENT_TXNS "api_agent_txns"

/* Agent $1's registered wallet (NULL when none): one row. */
#define QUERIES_AGENT_WALLET "api_agent_wallet"

/* Agent $1's spendable balance in ucents: one row. */
#define QUERIES_AGENT_BALANCE "api_agent_balance"

/* The accounting_invariant view's columns, one row (sql/003_views.sql). */
#define QUERIES_ACCOUNTING "api_accounting"

/*
 * Rake: total ucents, ucents since today 00:00 UTC, hand settlements
 * total and today.
 */
#define QUERIES_REVENUE "api_revenue"

#endif
