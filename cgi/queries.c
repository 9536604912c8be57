/*
 * queries.c — the SQL texts of felt-api (see queries.h).
 */
#include "queries.h"

#include "core/auth.h"
#include "money/payments.h"

static const char ping_sql[] = "SELECT 1";

/* An instance that said it stopped is not running, however fresh. */
static const char heartbeats_sql[] =
	"SELECT component, count(*),"
	" count(*) FILTER (WHERE last_seen_at >"
	"   now() - make_interval(secs => $1::int)"
	"   AND stats->>'state' IS DISTINCT FROM 'stopped'),"
	" (extract(epoch FROM now() - max(last_seen_at)) * 1000)::bigint"
	" FROM heartbeats WHERE component IN ('wsd', 'payd')"
	" GROUP BY component";

/* The seed's three figures, each summed over the fresh instances that
 * publish it as a number (an instance without a lobby has no lobby_queue). */
#define WSD_FIGURE(key) \
	" coalesce(sum(CASE WHEN jsonb_typeof(stats->'" key "') = 'number'" \
	"  THEN (stats->>'" key "')::numeric END), 0)::bigint"

static const char game_stats_sql[] =
	"SELECT" WSD_FIGURE("active_tables") "," WSD_FIGURE("active_connections")
	"," WSD_FIGURE("lobby_queue")
	" FROM heartbeats WHERE component = 'wsd'"
	"   AND last_seen_at > now() - make_interval(secs => $1::int)"
	"   AND stats->>'state' IS DISTINCT FROM 'stopped'";

static const char money_tables_sql[] =
	"SELECT to_regclass('deposits') IS NOT NULL,"
	" to_regclass('withdrawals') IS NOT NULL";

static const char payd_stats_sql[] =
	"SELECT stats::text FROM heartbeats WHERE component = 'payd'"
	" AND last_seen_at > now() - make_interval(secs => $1::int)"
	" AND stats->>'state' IS DISTINCT FROM 'stopped'"
	" ORDER BY last_seen_at DESC LIMIT 1";

static const char deposits_pending_sql[] =
	"SELECT count(*) FROM deposits WHERE status = 'pending'";

/*
 * From the maintained balances: one pass over accounts (two rows per agent),
 * never over the ledger. Every txn sums to zero, so the balances of all
 * accounts sum to zero exactly when deposited + adjustments = balances + in
 * play + rake + withdrawn + pending; drift is how far they are from it.
 */
static const char reconciliation_sql[] =
	"SELECT coalesce(sum(balance_ucents), 0) = 0,"
	" coalesce(sum(balance_ucents) FILTER (WHERE kind = 'agent_balance'), 0)::bigint,"
	" coalesce(sum(balance_ucents) FILTER (WHERE kind = 'agent_in_play'), 0)::bigint,"
	" coalesce(sum(balance_ucents) FILTER (WHERE kind = 'withdrawals_pending'), 0)::bigint,"
	" (-coalesce(sum(balance_ucents), 0))::bigint"
	" FROM accounts";

static const char heartbeat_upsert_sql[] =
	"SELECT heartbeat_touch('api', $1, $2::int, $3::jsonb)";

/* --- accounts and money --- */

#define ISO_UTC(col) \
	"to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

static const char agent_insert_sql[] =
	"INSERT INTO agents"
	" (name, email, wallet_address, avatar_url, api_key_hash, api_key_prefix,"
	"  name_key)"
	" VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id::text";

static const char agent_insert_v1_sql[] =
	"INSERT INTO agents (name, email, wallet_address, avatar_url,"
	" api_key_hash, api_key_prefix, name_key, metadata)"
	" VALUES ($1, $2, $3, $4, $5, $6, $7, coalesce($8::jsonb, '{}'))"
	" RETURNING id::text";

#define PROFILE_COLUMNS(ag) \
	ag ".id::text, " ag ".email, " ag ".name, " ag ".wallet_address, " \
	ag ".avatar_url, coalesce(b.balance_ucents, 0), " \
	ISO_UTC(ag ".created_at")

static const char agent_profile_sql[] =
	"SELECT " PROFILE_COLUMNS("ag") " FROM agents ag"
	" LEFT JOIN accounts b ON b.agent_id = ag.id AND b.kind = 'agent_balance'"
	" WHERE ag.id = $1";

static const char agent_update_sql[] =
	"WITH u AS (UPDATE agents SET"
	"  name = coalesce($2, name), name_key = coalesce($7, name_key),"
	"  wallet_address = CASE WHEN $3::bool THEN $4 ELSE wallet_address END,"
	"  avatar_url = CASE WHEN $5::bool THEN $6 ELSE avatar_url END"
	"  WHERE id = $1 RETURNING *)"
	" SELECT " PROFILE_COLUMNS("u") " FROM u"
	" LEFT JOIN accounts b ON b.agent_id = u.id AND b.kind = 'agent_balance'";

static const char agent_rekey_sql[] =
	"UPDATE agents SET api_key_hash = $2, api_key_prefix = $3,"
	" key_rotated_at = now() WHERE id = $1 AND api_key_hash = $4"
	" RETURNING id";

static const char balance_by_key_sql[] =
	"SELECT a.id::text, coalesce(b.balance_ucents, 0), coalesce(p.balance_ucents, 0)"
	" FROM agents a"
	" LEFT JOIN accounts b ON b.agent_id = a.id AND b.kind = 'agent_balance'"
	" LEFT JOIN accounts p ON p.agent_id = a.id AND p.kind = 'agent_in_play'"
	" WHERE a.api_key_hash = $1";

/*
 * Newest first without reading the whole history (sql/006): the newest
 * offset + limit txns of each of the agent's two accounts, walked back
 * along (account_id, txn_id); the running balance is counted back from the
 * balance account's maintained balance (equal to its raw sum: the ledger
 * is append-only and /api/accounting reports any balance drift). The
 * total and the page come from one snapshot in one statement; the LEFT
 * JOIN keeps a row (total, then NULLs) when the page is empty.
 */
static const char agent_txns_sql[] =
	"WITH acc AS ("
	"  SELECT max(id) FILTER (WHERE kind = 'agent_balance') AS bal_id,"
	"   max(id) FILTER (WHERE kind = 'agent_in_play') AS play_id,"
	"   max(balance_ucents) FILTER (WHERE kind = 'agent_balance') AS balance"
	"  FROM accounts WHERE agent_id = $1),"
	" recent AS ("
	"  SELECT txn_id FROM ("
	"   (SELECT e.txn_id FROM ledger_entries e, acc WHERE e.account_id = acc.bal_id"
	"    ORDER BY e.txn_id DESC LIMIT $2::int + $3::bigint)"
	"   UNION"
	"   (SELECT e.txn_id FROM ledger_entries e, acc WHERE e.account_id = acc.play_id"
	"    ORDER BY e.txn_id DESC LIMIT $2::int + $3::bigint)) u"
	"  ORDER BY txn_id DESC LIMIT $2::int + $3::bigint),"
	" mine AS ("
	"  SELECT e.txn_id,"
	"   sum(e.amount_ucents) FILTER (WHERE e.account_id = acc.bal_id) AS bal,"
	"   sum(e.amount_ucents) FILTER (WHERE e.account_id = acc.play_id) AS play"
	"  FROM ledger_entries e, acc"
	"  WHERE e.txn_id IN (SELECT txn_id FROM recent)"
	"   AND e.account_id IN (acc.bal_id, acc.play_id)"
	"  GROUP BY e.txn_id),"
	" running AS ("
	"  SELECT txn_id, coalesce(bal, play, 0) AS amount,"
	"   (SELECT balance FROM acc) - coalesce(sum(coalesce(bal, 0)) OVER ("
	"    ORDER BY txn_id DESC ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING),"
	"    0) AS balance_after"
	"  FROM mine),"
	" page AS ("
	"  SELECT t.id, t.kind, r.amount::bigint, r.balance_after::bigint,"
	"   t.reference::text, " ISO_UTC("t.created_at") " AS created_at"
	"  FROM running r JOIN ledger_txns t ON t.id = r.txn_id"
	"  ORDER BY t.id DESC LIMIT $2::int OFFSET $3::bigint)"
	" SELECT (SELECT count(*) FROM (SELECT e.txn_id FROM ledger_entries e, acc"
	"   WHERE e.account_id IN (acc.bal_id, acc.play_id) GROUP BY e.txn_id) n),"
	" p.* FROM (SELECT 1) AS one LEFT JOIN page p ON true"
	" ORDER BY p.id DESC";

static const char agent_wallet_sql[] =
	"SELECT wallet_address FROM agents WHERE id = $1";

static const char agent_balance_sql[] =
	"SELECT coalesce(max(balance_ucents), 0) FROM accounts"
	" WHERE agent_id = $1 AND kind = 'agent_balance'";

static const char cash_tables_sql[] =
	"SELECT t.id, t.max_seats,"
	" (SELECT count(*) FROM seats s WHERE s.table_id = t.id AND s.agent_id IS NOT NULL),"
	" t.small_blind_chips * t.chip_ucents, t.big_blind_chips * t.chip_ucents, t.hand_number"
	" FROM tables t WHERE t.kind = 'cash' AND t.status <> 'ended'"
	" ORDER BY t.created_at, t.id LIMIT 1000";

static const char cash_table_sql[] =
	"SELECT t.max_seats, t.small_blind_chips, t.big_blind_chips, t.hand_number, t.button_seat,"
	" t.table_seq, (SELECT h.id::text FROM hands h"
	"  WHERE h.table_id = t.id AND h.hand_number = t.hand_number)"
	" FROM tables t WHERE t.id = $1::uuid AND t.kind = 'cash' AND t.status <> 'ended'";

static const char cash_table_seats_sql[] =
	"SELECT s.seat_no, a.name, s.stack_chips FROM seats s"
	" LEFT JOIN agents a ON a.id = s.agent_id WHERE s.table_id = $1::uuid ORDER BY s.seat_no";

static const char accounting_sql[] =
	"SELECT total_deposited_ucents, total_balance_ucents, total_in_play_ucents,"
	" total_rake_ucents, total_withdrawn_ucents,"
	" total_pending_withdrawals_ucents, net_adjustments_ucents,"
	" drift_ucents, balance_drift_ucents, invariant_holds, txn_count"
	" FROM accounting_invariant";

static const char ledger_verify_sql[] =
	"SELECT intact, seals, sealed_txns, unsealed_txns, head_seal_id,"
	" head_through_txn_id, head_digest, first_bad_txn, problem FROM ledger_verify()";

#define UTC_TODAY "(date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')"

static const char revenue_sql[] =
	"SELECT"
	" (SELECT coalesce(sum(e.amount_ucents), 0)::bigint FROM ledger_entries e"
	"   JOIN accounts a ON a.id = e.account_id WHERE a.kind = 'rake'),"
	" (SELECT coalesce(sum(e.amount_ucents), 0)::bigint FROM ledger_entries e"
	"   JOIN accounts a ON a.id = e.account_id"
	"   JOIN ledger_txns t ON t.id = e.txn_id"
	"   WHERE a.kind = 'rake' AND t.created_at >= " UTC_TODAY "),"
	" (SELECT count(*) FROM hands),"
	" (SELECT count(*) FROM hands WHERE ended_at >= " UTC_TODAY ")";

/* --- /v1 tables --- */

#define ISO_UTC_MS(col) \
	"to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"

/* One more row than asked for says whether there is a next page. */
static const char v1_tables_list_sql[] =
	"WITH page AS ("
	"  SELECT t AS tbl FROM tables t"
	"   WHERE t.kind = 'agent' AND ($1::text IS NULL OR t.status = $1::text)"
	"   ORDER BY t.created_at DESC, t.id DESC"
	"   LIMIT $2::int + 1 OFFSET $3::bigint),"
	" shown AS (SELECT tbl FROM page"
	"   ORDER BY (tbl).created_at DESC, (tbl).id DESC LIMIT $2::int)"
	" SELECT json_build_object("
	"  'tables', coalesce((SELECT json_agg(v1_table_json(tbl)"
	"     ORDER BY (tbl).created_at DESC, (tbl).id DESC) FROM shown), '[]'::json),"
	"  'hasMore', (SELECT count(*) FROM page) > $2::int,"
	"  'protocol_version', $4::text)::text";

static const char v1_table_get_sql[] =
	"SELECT v1_table_json(t)::text FROM tables t"
	" WHERE t.id = $1::uuid AND t.kind = 'agent'";

static const char v1_events_sql[] =
	"SELECT e.seq, e.type, e.payload::text, " ISO_UTC_MS("e.created_at") ","
	" e.shown, e.hand_number, t.hand_number"
	" FROM tables t LEFT JOIN LATERAL ("
	"  SELECT x.seq, x.type, x.payload, x.created_at, x.hand_number,"
	"   coalesce((SELECT string_agg(hs.seat_no::text, ',')"
	"     FROM hands h JOIN hand_seats hs ON hs.hand_id = h.id"
	"     WHERE h.table_id = x.table_id AND h.hand_number = x.hand_number"
	"       AND hs.shown), '') AS shown"
	"  FROM table_events x WHERE x.table_id = t.id AND x.seq >= $2::bigint"
	"  ORDER BY x.seq LIMIT $3::int + 1) e ON true"
	" WHERE t.id = $1::uuid AND t.kind = 'agent'"
	" ORDER BY e.seq";

static const char v1_auto_join_sql[] =
	"SELECT result, table_id::text, seat_no, action_timeout_ms, ws_url"
	" FROM v1_auto_join($1, $2::uuid, $3::int, $4, $5::int, $6::int,"
	"  $7::bigint, $8::bigint, $9::int, $10::bigint, $11::int, $12::int, $13::int)";

static const char v1_join_sql[] =
	"SELECT result, seat_no, action_timeout_ms, ws_url"
	" FROM v1_seat($1::uuid, $2::uuid, $3::int, $4, $5::int, $6::int)";

static const char v1_leave_sql[] =
	"SELECT result, seat_no FROM v1_leave($1::uuid, $2::uuid)";

static const char v1_table_create_sql[] =
	"SELECT v1_table_create($1, $2::bigint, $3::bigint, $4::int, $5::bigint,"
	" $6::int, $7::int, $8::int, $9::jsonb, $10::uuid, $11::int)::text";

static const char v1_admin_start_sql[] =
	"SELECT v1_admin_start($1::uuid, $2::uuid)";

static const char v1_admin_stop_sql[] =
	"SELECT v1_admin_stop($1::uuid, $2::uuid)";

static const char v1_kick_sql[] =
	"SELECT result, table_id::text, seat_no FROM v1_kick($1::uuid, $2::uuid)";

/* --- hand history and the active game (GET /api/me/active-game,
 *     /api/me/hand-history, /api/hands/{id}.phh) --- */

/* A running table before a waiting one, then the latest seat taken. */
static const char active_game_sql[] =
	"SELECT t.id::text, s.seat_no, s.stack_chips, t.chip_ucents"
	" FROM seats s JOIN tables t ON t.id = s.table_id"
	" WHERE s.agent_id = $1::uuid AND t.status <> 'ended'"
	" ORDER BY t.status = 'running' DESC, s.joined_at DESC NULLS LAST, t.id"
	" LIMIT 1";

/*
 * The page comes from hand_seats_agent_recent_idx (sql/065): offset + limit
 * index entries, then one hands row and its seats' names per hand.
 */
static const char hand_history_sql[] =
	"SELECT h.id::text, h.table_id::text, h.hand_number, p.seat_no,"
	" p.start_stack_chips, p.end_stack_chips, h.chip_ucents,"
	" " ISO_UTC("h.started_at") ", " ISO_UTC("h.ended_at") ","
	" h.button_seat, h.small_blind_chips, h.big_blind_chips, h.pot_chips,"
	" h.rake_chips, h.events::text,"
	" (SELECT json_object_agg(x.seat_no, a.name) FROM hand_seats x"
	"   JOIN agents a ON a.id = x.agent_id WHERE x.hand_id = h.id)::text"
	" FROM (SELECT hand_id, seat_no, start_stack_chips, end_stack_chips, ended_at"
	"   FROM hand_seats WHERE agent_id = $1::uuid"
	"   ORDER BY ended_at DESC, hand_id DESC"
	"   LIMIT $2::int OFFSET $3::bigint) p"
	" JOIN hands h ON h.id = p.hand_id"
	" ORDER BY p.ended_at DESC, p.hand_id DESC";

static const char hand_log_sql[] =
	"SELECT h.events::text, h.table_id::text, h.hand_number,"
	" (SELECT x.seat_no FROM hand_seats x"
	"   WHERE x.hand_id = h.id AND x.agent_id = $2::uuid)"
	" FROM hands h WHERE h.id = $1::uuid";

const struct db_stmt queries[] = {
	AUTH_STMTS,
	PAYMENTS_STMTS,
	{ QUERIES_PING, ping_sql, 0 },
	{ QUERIES_HEARTBEATS, heartbeats_sql, 1 },
	{ QUERIES_GAME_STATS, game_stats_sql, 1 },
	{ QUERIES_MONEY_TABLES, money_tables_sql, 0 },
	{ QUERIES_DEPOSITS_PENDING, deposits_pending_sql, 0 },
	{ QUERIES_PAYD_STATS, payd_stats_sql, 1 },
	{ QUERIES_RECONCILIATION, reconciliation_sql, 0 },
	{ QUERIES_HEARTBEAT_UPSERT, heartbeat_upsert_sql, 3 },
	{ QUERIES_AGENT_INSERT, agent_insert_sql, 7 },
	{ QUERIES_AGENT_INSERT_V1, agent_insert_v1_sql, 8 },
	{ QUERIES_AGENT_PROFILE, agent_profile_sql, 1 },
	{ QUERIES_AGENT_UPDATE, agent_update_sql, 7 },
	{ QUERIES_AGENT_REKEY, agent_rekey_sql, 4 },
	{ QUERIES_BALANCE_BY_KEY, balance_by_key_sql, 1 },
	{ QUERIES_AGENT_TXNS, agent_txns_sql, 3 },
	{ QUERIES_AGENT_WALLET, agent_wallet_sql, 1 },
	{ QUERIES_AGENT_BALANCE, agent_balance_sql, 1 },
	{ QUERIES_ACCOUNTING, accounting_sql, 0 },
	{ QUERIES_LEDGER_VERIFY, ledger_verify_sql, 0 },
	{ QUERIES_CASH_TABLES, cash_tables_sql, 0 },
	{ QUERIES_CASH_TABLE, cash_table_sql, 1 },
	{ QUERIES_CASH_TABLE_SEATS, cash_table_seats_sql, 1 },
	{ QUERIES_REVENUE, revenue_sql, 0 },
	{ QUERIES_V1_TABLES_LIST, v1_tables_list_sql, 4 },
	{ QUERIES_V1_TABLE_GET, v1_table_get_sql, 1 },
	{ QUERIES_V1_EVENTS, v1_events_sql, 3 },
	{ QUERIES_V1_AUTO_JOIN, v1_auto_join_sql, 13 },
	{ QUERIES_V1_JOIN, v1_join_sql, 6 },
	{ QUERIES_V1_LEAVE, v1_leave_sql, 2 },
	{ QUERIES_V1_TABLE_CREATE, v1_table_create_sql, 11 },
	{ QUERIES_V1_ADMIN_START, v1_admin_start_sql, 2 },
	{ QUERIES_V1_ADMIN_STOP, v1_admin_stop_sql, 2 },
	{ QUERIES_V1_KICK, v1_kick_sql, 2 },
	{ QUERIES_ACTIVE_GAME, active_game_sql, 1 },
	{ QUERIES_HAND_HISTORY, hand_history_sql, 3 },
	{ QUERIES_HAND_LOG, hand_log_sql, 2 },
	{ NULL, NULL, 0 },
};
