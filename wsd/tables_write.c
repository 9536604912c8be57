/*
 * tables_write.c — a table's writes to the database, one at a time and in
 * order (the pool gives no order between queries: dbpool.h), each retried
 * until the database answers it, since every write function of 020_wsd.sql
 * is safe to run again.
 */
#include "tables_int.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commit.h"
#include "core/log.h"

enum write_kind { W_START, W_LEAVE, W_END, W_COMMIT, W_DONE };

#define WRITE_MAX_PARAMS 6

struct table_write {
	struct table_write *next;
	enum write_kind kind;
	int n;
	char *p[WRITE_MAX_PARAMS];  /* owned; NULL is SQL NULL */
	int seat;
	char agent[TABLE_ID_MAX];
	const char *reason;         /* a static string */
	int64_t command;
};

static const char *const stmt_of[] = {
	[W_START] = "wsd_table_start",
	[W_LEAVE] = "wsd_seat_leave",
	[W_END] = "wsd_table_end",
	[W_COMMIT] = "wsd_hand_commit",
	[W_DONE] = "wsd_command_done",
};

static void free_write(struct table_write *w)
{
	int i;

	for (i = 0; i < w->n; i++)
		free(w->p[i]);
	free(w);
}

void tables_free_writes(struct table *t)
{
	struct table_write *w, *next;

	for (w = t->wq_head; w; w = next) {
		next = w->next;
		/* The one in flight is freed when its answer comes. */
		if (w == t->wq_head && t->wq_busy) {
			w->next = NULL;
			continue;
		}
		free_write(w);
	}
	if (t->wq_busy) {
		t->wq_tail = t->wq_head;
	} else {
		t->wq_head = t->wq_tail = NULL;
	}
}

static char *int_text(int64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%" PRId64, v);
	return strdup(buf);
}

/* A write with the instance and the table as its first two parameters. */
static struct table_write *new_write(struct tables *r, struct table *t, enum write_kind kind)
{
	struct table_write *w = calloc(1, sizeof(*w));

	if (!w)
		return NULL;
	w->kind = kind;
	w->p[0] = strdup(r->cfg->instance);
	w->p[1] = strdup(t->id);
	w->n = 2;
	return w;
}

static void push(struct tables *r, struct table *t, struct table_write *w)
{
	int i;

	for (i = 0; i < w->n; i++)
		if (!w->p[i] && !(w->kind == W_START && i == 3) && !(w->kind == W_LEAVE && i == 5) &&
		    !(w->kind == W_END && i == 4)) {
			/* strdup failed: the write cannot be made */
			log_event(LOG_ERROR, "write_out_of_memory", "table=%s", t->id);
			free_write(w);
			return;
		}
	if (t->wq_tail)
		t->wq_tail->next = w;
	else
		t->wq_head = w;
	t->wq_tail = w;
	tables_kick_writes(r, t);
}

static void write_done(void *arg, const PGresult *res, const struct db_err *err);

void tables_kick_writes(struct tables *r, struct table *t)
{
	struct table_write *w = t->wq_head;
	int rc;

	if (!w || t->wq_busy || !r->db_up)
		return;
	rc = wsdb_query(r->db, stmt_of[w->kind], w->n, (const char *const *)w->p, write_done, t);
	if (rc == 0) {
		t->wq_busy = true;
		return;
	}
	/* Not sent (no connection up, pool full): again shortly. */
	loop_timer_arm(&r->retry_timer, TABLES_RETRY_MS);
}

static bool state_is(const struct db_err *err, const char *sqlstate)
{
	return err && strcmp(err->sqlstate, sqlstate) == 0;
}

/* Apply the answer to w; false when w must be sent again later. */
static bool answered(struct tables *r, struct table *t, struct table_write *w,
		     const PGresult *res, const struct db_err *err)
{
	bool joined[HAND_MAX_SEATS] = { false };
	int row;

	switch (w->kind) {
	case W_START:
		t->start_pending = false;
		if (!err) {
			for (row = 0; row < PQntuples(res); row++) {
				int64_t seat, stack;

				if (tables_int(res, row, 0, &seat) && seat >= 0 &&
				    seat < t->cfg.max_seats && tables_int(res, row, 3, &stack))
					table_set_seat(t, (int)seat, tables_value(res, row, 1),
						       tables_value(res, row, 2), stack);
			}
			table_started(t);
		} else if (state_is(err, "FW003")) {
			if (w->command)
				tables_command_done(r, t, w->command, "not_enough_players");
		} else {
			log_event(LOG_ERROR, "table_start_failed", "table=%s error=\"%s\"", t->id,
				  err->message);
			if (w->command)
				tables_command_done(r, t, w->command, "not_waiting");
		}
		(void)joined;
		return true;
	case W_LEAVE:
		if (!err)
			table_left(t, w->seat, w->agent, w->reason);
		else
			log_event(LOG_ERROR, "seat_leave_failed", "table=%s error=\"%s\"", t->id,
				  err->message);
		return true;
	case W_END:
		if (err && !state_is(err, "FW002"))
			return false;
		table_ended(t);
		return true;
	case W_COMMIT:
		if (err)
			return false;
		r->hands_committed++;
		table_committed(t);
		return true;
	case W_DONE:
		return true;
	}
	return true;
}

static void write_done(void *arg, const PGresult *res, const struct db_err *err)
{
	struct table *t = arg;
	struct tables *r = t->reg;
	struct table_write *w = t->wq_head;

	t->wq_busy = false;
	if (!w)
		return;
	if (err && (err->code == DB_ERR_CONNECT || err->code == DB_ERR_BUSY)) {
		if (w->kind == W_COMMIT)
			table_commit_failed(t);
		loop_timer_arm(&r->retry_timer, TABLES_RETRY_MS);
		return;
	}
	t->wq_head = w->next;
	if (!t->wq_head)
		t->wq_tail = NULL;
	w->next = NULL;
	if (t->released && t->lost) {
		free_write(w);
		loop_timer_arm(&r->reap_timer, 0);
		return;
	}
	if (state_is(err, "FW001")) {
		/* Fenced: another instance owns the table now. */
		free_write(w);
		table_lost(t);
		return;
	}
	if (!answered(r, t, w, res, err)) {
		/* Keep it first and try again: the hand is final only when its
		 * commit is. */
		log_event(LOG_WARN, "write_retry", "table=%s write=%s error=\"%s\"", t->id,
			  stmt_of[w->kind], err ? err->message : "");
		if (w->kind == W_COMMIT)
			table_commit_failed(t);
		w->next = t->wq_head;
		t->wq_head = w;
		if (!t->wq_tail)
			t->wq_tail = w;
		loop_timer_arm(&r->retry_timer, 5 * TABLES_RETRY_MS);
		return;
	}
	free_write(w);
	if (t->released)
		loop_timer_arm(&r->reap_timer, 0);
	tables_kick_writes(r, t);
}

/* The requests ------------------------------------------------------------------*/

void tables_request_start(struct tables *r, struct table *t, bool force, int64_t command)
{
	struct table_write *w = new_write(r, t, W_START);

	if (!w) {
		t->start_pending = false;
		return;
	}
	w->p[2] = strdup(force ? "true" : "false");
	w->p[3] = command ? int_text(command) : NULL;
	w->n = 4;
	w->command = command;
	push(r, t, w);
}

void tables_request_leave(struct tables *r, struct table *t, int seat, const char *agent_id,
			  const char *reason, int64_t command)
{
	struct table_write *w = new_write(r, t, W_LEAVE);

	if (!w)
		return;
	w->p[2] = int_text(seat);
	w->p[3] = strdup(agent_id);
	w->p[4] = strdup(reason);
	w->p[5] = command ? int_text(command) : NULL;
	w->n = 6;
	w->seat = seat;
	snprintf(w->agent, sizeof(w->agent), "%s", agent_id);
	w->reason = strcmp(reason, "kick") == 0 ? "kick" : "leave";
	w->command = command;
	push(r, t, w);
}

void tables_request_end(struct tables *r, struct table *t, const char *reason,
			int64_t command)
{
	struct table_write *w = new_write(r, t, W_END);

	if (!w)
		return;
	w->p[2] = strdup(reason);
	w->p[3] = commit_final_stacks(t);
	w->p[4] = command ? int_text(command) : NULL;
	w->n = 5;
	w->command = command;
	push(r, t, w);
}

void tables_request_commit(struct tables *r, struct table *t)
{
	struct table_write *w;

	if (t->committing || t->lost)
		return;
	w = new_write(r, t, W_COMMIT);
	if (!w)
		return;
	w->p[2] = commit_hand(t);
	w->n = 3;
	t->committing = true;
	push(r, t, w);
}

void tables_command_done(struct tables *r, struct table *t, int64_t command,
			 const char *result)
{
	struct table_write *w = new_write(r, t, W_DONE);

	if (!w)
		return;
	w->p[2] = int_text(command);
	w->p[3] = strdup(result);
	w->n = 4;
	w->command = command;
	push(r, t, w);
}
