/*
 * statements.c — felt-wsd's SQL.  Named by what they do; the comments give
 * the parameters and the columns of the answer.
 */
#include "statements.h"

#include <stddef.h>

const char *const wsd_listen[] = { WSD_CHANNEL, NULL };

const struct db_stmt wsd_statements[] = {
	/* instance, pid, stats -> - */
	{ "wsd_heartbeat", "SELECT heartbeat_touch('wsd', $1, $2::integer, $3::jsonb)", 3 },
	/* instance, lease_s, stale_s, max, table|NULL -> table_id, status, claimed */
	{ "wsd_claim",
	  "SELECT table_id, status, claimed FROM wsd_claim($1, $2::integer, $3::integer,"
	  " $4::integer, $5::uuid)", 5 },
	/* instance -> count */
	{ "wsd_release", "SELECT wsd_release($1)", 1 },
	/* table, instance -> status, kind, max_seats, sb, bb, initial_stack,
	 * action_timeout_ms, min_players, start_delay_ms, chip_ucents, rake_bp,
	 * rake_cap, hand_number, button (-1), table_seq, next_hand_ms|NULL,
	 * abandon_ms|NULL (from config, when integers), and for cash tables the
	 * last hand's dead-button positions and dealt-in agents (063), NULL
	 * when unknown: button, sb, bb, playing (comma-separated ids) */
	{ "wsd_table_load",
	  "SELECT t.status, t.kind, t.max_seats, t.small_blind_chips, t.big_blind_chips,"
	  " t.initial_stack_chips, t.action_timeout_ms, t.min_players, t.start_delay_ms,"
	  " t.chip_ucents, t.rake_bp, t.rake_cap_chips, t.hand_number,"
	  " coalesce(t.button_seat, -1), t.table_seq,"
	  " CASE WHEN jsonb_typeof(t.config->'next_hand_delay_ms') = 'number'"
	  "      THEN t.config->>'next_hand_delay_ms' END,"
	  " CASE WHEN jsonb_typeof(t.config->'abandon_ms') = 'number'"
	  "      THEN t.config->>'abandon_ms' END,"
	  " b.button, b.sb, b.bb, b.playing"
	  " FROM tables t LEFT JOIN LATERAL wsd_button_pos(t.id) b ON t.kind = 'cash'"
	  " WHERE t.id = $1::uuid AND t.owner_instance = $2", 2 },
	/* table -> seat_no, agent_id|NULL, agent_name|NULL, stack_chips */
	{ "wsd_seats", "SELECT seat_no, agent_id, agent_name, stack_chips"
		       " FROM wsd_table_seats($1::uuid)", 1 },
	/* instance -> id, table_id, kind, agent_id|NULL, seat_no|NULL:
	 * the pending commands of every table it owns, in order */
	{ "wsd_commands",
	  "SELECT c.id, c.table_id, c.kind, c.agent_id, c.seat_no FROM table_commands c"
	  " JOIN tables t ON t.id = c.table_id"
	  " WHERE c.done_at IS NULL AND t.owner_instance = $1 ORDER BY c.id", 1 },
	/* token_hash -> agent_id, table_id, seat_no, expired, revoked, table
	 * status, owner_instance|NULL */
	{ "wsd_session",
	  "SELECT s.agent_id, s.table_id, s.seat_no, s.expires_at <= now(),"
	  " s.revoked_at IS NOT NULL, t.status, t.owner_instance"
	  " FROM sessions s JOIN tables t ON t.id = s.table_id WHERE s.token_hash = $1", 1 },
	/* table, stale_s, instance -> ms until this instance may take the table
	 * over: 0 when it owns it already (a claim of all got there first), 0 or
	 * more when its owner is dead (or none), -1 when another live instance
	 * owns it */
	{ "wsd_owner_wait",
	  "SELECT CASE WHEN t.owner_instance = $3 THEN 0"
	  " WHEN t.owner_instance IS NULL OR t.owner_instance NOT IN"
	  "  (SELECT l.instance FROM wsd_live_instances($2::integer) l)"
	  " THEN greatest(0, ceil(extract(epoch FROM coalesce(t.lease_until, now()) - now()) * 1000))::integer"
	  " ELSE -1 END FROM tables t WHERE t.id = $1::uuid", 3 },
	/* table -> status, owner_instance|NULL */
	{ "wsd_table_status", "SELECT status, owner_instance FROM tables WHERE id = $1::uuid", 1 },
	/* instance, table, force, command|NULL -> seat_no, agent_id, agent_name, stack */
	{ "wsd_table_start",
	  "SELECT seat_no, agent_id, agent_name, stack_chips"
	  " FROM wsd_table_start($1, $2::uuid, $3::boolean, $4::bigint)", 4 },
	/* instance, table, seat, agent, reason, command|NULL -> forfeited chips */
	{ "wsd_seat_leave",
	  "SELECT wsd_seat_leave($1, $2::uuid, $3::integer, $4::uuid, $5, $6::bigint)", 6 },
	/* instance, table, reason, final stacks json, command|NULL -> - */
	{ "wsd_table_end", "SELECT wsd_table_end($1, $2::uuid, $3, $4::jsonb, $5::bigint)", 5 },
	/* instance, table, hand json -> {"hand_id", "events_seq", "repeated"} */
	{ "wsd_hand_commit", "SELECT wsd_hand_commit($1, $2::uuid, $3::jsonb)", 3 },
	/* instance, table, command, result -> - */
	{ "wsd_command_done", "SELECT wsd_command_done($1, $2::uuid, $3::bigint, $4)", 4 },
	/* Open Poker (/ws) ------------------------------------------------- */
	/* api_key_hash -> agent_id, name */
	{ "op_agent", "SELECT id, name FROM agents WHERE api_key_hash = $1", 1 },
	/* agent, buy_in, chip_ucents, sb, bb, seats, min, max, timeout_ms,
	 * rake_bp, rake_cap -> result, table_id|NULL, seat_no|NULL,
	 * balance_ucents|NULL */
	{ "op_cash_join",
	  "SELECT result, table_id, seat_no, balance_ucents FROM cash_join($1::uuid,"
	  " $2::bigint, $3::bigint, $4::bigint, $5::bigint, $6::integer, $7::bigint,"
	  " $8::bigint, $9::integer, $10::integer, $11::bigint)", 11 },
	/* agent -> balance_ucents (the lobby's early answer; cash_join decides) */
	{ "op_balance", "SELECT balance_ucents FROM agent_balances WHERE agent_id = $1::uuid", 1 },
	/* agent -> table_id, seat_no, owner_instance|NULL (no row: not seated) */
	{ "op_seat_of", "SELECT table_id, seat_no, owner_instance FROM cash_seat_of($1::uuid)", 1 },
	{ NULL, NULL, 0 },
};
