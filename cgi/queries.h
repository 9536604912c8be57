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

/*
 * The game figures of seed 000, summed over the wsd instances fresh within
 * $1 seconds (and not saying they stopped): active_tables,
 * active_connections, lobby_queue; one row (0 for a figure none publishes).
 */
#define QUERIES_GAME_STATS "api_game_stats"

/* Whether the later money tables exist: deposits, withdrawals. */
#define QUERIES_MONEY_TABLES "api_money_tables"

/* The stats (JSON text) of the freshest felt-payd heartbeat within $1
 * seconds that did not say it stopped; no row when there is none. */
#define QUERIES_PAYD_STATS "api_payd_stats"

/* Deposits waiting for confirmations. */
#define QUERIES_DEPOSITS_PENDING "api_deposits_pending"

/*
 * The reconciliation from the maintained account balances (not the raw
 * ledger sums, which /api/accounting recomputes): the balances add up (the
 * invariant holds), agents' balances, in play, pending withdrawals, drift;
 * one row.
 */
#define QUERIES_RECONCILIATION "api_reconciliation"

/* Upsert felt-api's heartbeat: $1 instance, $2 pid, $3 stats (jsonb text). */
#define QUERIES_HEARTBEAT_UPSERT "api_heartbeat_upsert"

/* --- accounts and money (/api/register, /api/me, balance, transactions,
 *     accounting, revenue, /v1/agents) --- */

/*
 * New agent: $1 name, $2 email (NULL for /v1), $3 wallet_address, $4
 * avatar_url, $5 api_key_hash, $6 api_key_prefix, $7 name_key (name.h).
 * Returns id. Unique violations name the index (agents_name_key,
 * _name_skeleton_key, _email_key, _wallet_key).
 */
#define QUERIES_AGENT_INSERT "api_agent_insert"

/* As QUERIES_AGENT_INSERT plus $8 metadata (JSON object text or NULL). */
#define QUERIES_AGENT_INSERT_V1 "api_agent_insert_v1"

/*
 * Profile of agent $1: id, email, name, wallet_address, avatar_url,
 * balance_ucents, created_at (ISO 8601 UTC, "Z").
 */
#define QUERIES_AGENT_PROFILE "api_agent_profile"

/*
 * Update agent $1 and return its profile as queries_agent_profile: $2 new
 * name or NULL (keep) with $7 its name_key, $3 'true' to set
 * wallet_address to $4 (may be NULL), $5 'true' to set avatar_url to $6
 * (may be NULL).
 */
#define QUERIES_AGENT_UPDATE "api_agent_update"

/*
 * Replace agent $1's key ($2 api_key_hash, $3 api_key_prefix) if its key
 * is still $4 (the hash the caller authenticated with): a compare-and-swap,
 * so of concurrent rotations with one key exactly one returns a row.
 */
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

/* Open cash tables, oldest first: id, max_seats, players seated,
 * small/big blind in ucents, hand_number. */
#define QUERIES_CASH_TABLES "api_cash_tables"

/* Open cash table $1: max_seats, small/big blind chips, hand_number,
 * button_seat|NULL, table_seq; no row if none. */
#define QUERIES_CASH_TABLE "api_cash_table"

/* The seats of table $1: seat_no, agent name|NULL, stack_chips. */
#define QUERIES_CASH_TABLE_SEATS "api_cash_table_seats"

/* The accounting_invariant view's columns, one row (sql/003_views.sql). */
#define QUERIES_ACCOUNTING "api_accounting"

/*
 * The hash chain checked from the rows (sql/032 ledger_verify()), one row:
 * intact, seals, sealed_txns, unsealed_txns, head_seal_id,
 * head_through_txn_id, head_digest (hex), first_bad_txn, problem (the last
 * four NULL when there is no seal / nothing wrong).
 */
#define QUERIES_LEDGER_VERIFY "api_ledger_verify"

/*
 * Rake: total ucents, ucents since today 00:00 UTC, hands played (rows of
 * hands) total and ended since today 00:00 UTC.
 */
#define QUERIES_REVENUE "api_revenue"

/* --- /v1 tables (sql/010_v1_tables.sql has the functions) --- */

/*
 * GET /v1/tables: the whole answer as JSON text, one row: {tables,
 * hasMore, protocol_version}. $1 status or NULL for all, $2 limit, $3
 * offset, $4 protocol version. Newest first.
 */
#define QUERIES_V1_TABLES_LIST "api_v1_tables_list"

/* GET /v1/tables/:id: the table's JSON text ($1 uuid); no row: none. */
#define QUERIES_V1_TABLE_GET "api_v1_table_get"

/*
 * GET /v1/tables/:id/events: $1 table, $2 fromSeq, $3 limit. No row: no
 * such table. Else rows in seq order (one row of NULLs when there is no
 * event): seq, type, payload (JSON text), created_at, the seats whose
 * hole cards were shown in the event's hand ("1,3", "" none), the
 * event's hand_number, the table's last committed hand_number. At most
 * $3 + 1 rows.
 */
#define QUERIES_V1_EVENTS "api_v1_events"

/*
 * Auto-join: v1_auto_join($1 bucket, $2 agent, $3 preferred seat or NULL,
 * $4 token hash, $5 session seconds, $6 heartbeat staleness seconds, $7 sb,
 * $8 bb, $9 seats, $10 stack, $11 timeout ms, $12 min players, $13 start
 * delay ms): result, table_id, seat_no, action_timeout_ms, ws_url.
 */
#define QUERIES_V1_AUTO_JOIN "api_v1_auto_join"

/*
 * Join: v1_seat($1 table, $2 agent, $3 preferred seat or NULL, $4 token
 * hash, $5 session seconds, $6 staleness seconds): result, seat_no,
 * action_timeout_ms, ws_url.
 */
#define QUERIES_V1_JOIN "api_v1_join"

/* Leave: v1_leave($1 table, $2 agent): result, seat_no. */
#define QUERIES_V1_LEAVE "api_v1_leave"

/*
 * Admin create: v1_table_create($1 bucket or NULL, $2 sb, $3 bb, $4 seats,
 * $5 stack, $6 timeout ms, $7 min players, $8 start delay ms, $9 config
 * jsonb, $10 created_by, $11 staleness seconds): the new table's id.
 */
#define QUERIES_V1_TABLE_CREATE "api_v1_table_create"

/* Admin start / stop: v1_admin_start|stop($1 table, $2 caller): result. */
#define QUERIES_V1_ADMIN_START "api_v1_admin_start"
#define QUERIES_V1_ADMIN_STOP "api_v1_admin_stop"

/* Kick: v1_kick($1 agent, $2 caller): rows of result, table_id, seat_no. */
#define QUERIES_V1_KICK "api_v1_kick"

/* --- hand history and the active game --- */

/*
 * Where agent $1 sits at a table that has not ended (a running one before
 * a waiting one): table id, seat_no, stack_chips (after the last committed
 * hand), the table's chip_ucents (0: play chips). No row: not seated.
 */
#define QUERIES_ACTIVE_GAME "api_active_game"

/*
 * Agent $1's hands, newest first (ended_at, then id), $2 limit, $3 offset:
 * hand id, table id, hand_number, seat_no, start and end stack chips,
 * chip_ucents, started_at, ended_at (ISO 8601 UTC), button_seat, small and
 * big blind chips, pot_chips, rake_chips, events (the stored log, JSON
 * text), the seats' names ({"<seat>": name}, JSON text).
 */
#define QUERIES_HAND_HISTORY "api_hand_history"

/*
 * Hand $1 (a uuid): its stored log (JSON text), table id, hand_number, and
 * the seat agent $2 played in it (NULL when it did not). No row: no hand.
 */
#define QUERIES_HAND_LOG "api_hand_log"

#endif
