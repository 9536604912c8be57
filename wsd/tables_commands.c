/*
 * tables_commands.c — what felt-api asks of a live table (table_commands
 * rows, announced by NOTIFY felt_tables): applied in id order, each once,
 * marked done with its result.
 */
#include "tables_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "statements.h"

/* Commands -------------------------------------------------------------------------*/

struct reseat {
	struct tables *r;
	char id[TABLE_ID_MAX];
	int64_t command;
	uint64_t gen; /* t->seats_gen when the read was sent */
	uint64_t seq; /* t->seats_read_sent */
};

static void reseat(struct tables *r, struct table *t, int64_t command);

static void on_reseated(void *arg, const PGresult *res, const struct db_err *err)
{
	struct reseat *rs = arg;
	struct table *t = tables_find(rs->r, rs->id);
	bool joined[HAND_MAX_SEATS] = { false };

	if (t && !err && rs->gen != t->seats_gen) {
		/* A seat was emptied meanwhile: this read may show its player
		 * still there.  Read again. */
		reseat(rs->r, t, rs->command);
	} else if (t && !err) {
		/* Older than a read already applied: that one saw this command's
		 * seat too. */
		if (rs->seq > t->seats_read_applied) {
			t->seats_read_applied = rs->seq;
			tables_apply_seats(t, res, joined);
			table_seats_changed(t, joined);
		}
		tables_command_done(rs->r, t, rs->command, "ok");
	} else if (t) {
		t->cmd_high = rs->command - 1; /* read it again later */
	}
	free(rs);
}

static void reseat(struct tables *r, struct table *t, int64_t command)
{
	struct reseat *rs = calloc(1, sizeof(*rs));
	const char *params[1] = { t->id };

	if (!rs)
		return;
	rs->r = r;
	rs->command = command;
	rs->gen = t->seats_gen;
	rs->seq = ++t->seats_read_sent;
	snprintf(rs->id, sizeof(rs->id), "%s", t->id);
	if (wsdb_query(r->db, "wsd_seats", 1, params, on_reseated, rs) != 0) {
		t->cmd_high = command - 1;
		free(rs);
	}
}

static int seat_of(const struct table *t, const char *agent_id, const char *seat_text)
{
	int i;

	if (seat_text) {
		i = atoi(seat_text);
		if (i >= 0 && i < t->cfg.max_seats && t->seat[i].occupied &&
		    strcmp(t->seat[i].agent_id, agent_id) == 0)
			return i;
	}
	for (i = 0; i < t->cfg.max_seats; i++)
		if (t->seat[i].occupied && agent_id && strcmp(t->seat[i].agent_id, agent_id) == 0)
			return i;
	return -1;
}

static void apply_command(struct tables *r, struct table *t, int64_t id, const char *kind,
			  const char *agent_id, const char *seat_text)
{
	log_event(LOG_INFO, "table_command", "table=%s command=%lld kind=%s", t->id,
		  (long long)id, kind);
	if (strcmp(kind, "seat") == 0) {
		reseat(r, t, id);
	} else if (strcmp(kind, "leave") == 0 || strcmp(kind, "kick") == 0) {
		int seat = agent_id ? seat_of(t, agent_id, seat_text) : -1;

		if (seat < 0) {
			tables_command_done(r, t, id, "not_seated");
			return;
		}
		table_leave(t, seat, agent_id, kind, id);
	} else if (strcmp(kind, "start") == 0) {
		table_start(t, true, id);
	} else if (strcmp(kind, "stop") == 0) {
		table_end(t, "admin_stopped", id);
	} else {
		tables_command_done(r, t, id, "unknown_command");
	}
}

static void on_commands(void *arg, const PGresult *res, const struct db_err *err)
{
	struct tables *r = arg;
	int row;

	if (err)
		return; /* read again at the next tick or reconnection */
	for (row = 0; row < PQntuples(res); row++) {
		struct table *t = tables_find(r, PQgetvalue(res, row, 1));
		int64_t id;

		if (!t || t->lost || t->released || !tables_int(res, row, 0, &id) ||
		    id <= t->cmd_high)
			continue; /* being loaded: read again once it is */
		t->cmd_high = id;
		apply_command(r, t, id, PQgetvalue(res, row, 2), tables_value(res, row, 3),
			      tables_value(res, row, 4));
	}
}

void tables_fetch_commands(struct tables *r)
{
	const char *params[1] = { r->cfg->instance };

	wsdb_query(r->db, "wsd_commands", 1, params, on_commands, r);
}

void tables_notify(struct tables *r, const char *payload)
{
	char id[TABLE_ID_MAX];

	if (!payload || strlen(payload) >= sizeof(id))
		return;
	snprintf(id, sizeof(id), "%s", payload);
	if (tables_find(r, id) || tables_loading(r, id))
		tables_fetch_commands(r);
	else if (!r->stopping)
		tables_claim(r, id, NULL); /* a new table, perhaps ours */
}
