/*
 * tables_load.c — loading a table this instance owns (its row, its seats),
 * and attaching the connections that waited for it.
 */
#include "tables_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "statements.h"

struct loading {
	struct loading *next;
	struct tables *r;
	char id[TABLE_ID_MAX];
	uint64_t epoch;
	struct table *t; /* once the row is read */
	struct waiter *waiters;
	/* Cash tables: the dead button as the last hand left it, applied
	 * once the seats are read. */
	struct button_pos pos;
	char playing[HAND_MAX_SEATS * TABLE_ID_MAX];
};


/* Loading ------------------------------------------------------------------------*/

struct loading *tables_loading(struct tables *r, const char *id)
{
	struct loading *ld;

	for (ld = r->loading; ld; ld = ld->next)
		if (strcmp(ld->id, id) == 0)
			return ld;
	return NULL;
}

/* Attach the waiters (or fail them with err) and forget the load. */
static void load_finish(struct loading *ld, int err, const char *message)
{
	struct tables *r = ld->r;
	struct loading **p;
	struct waiter *w, *next;

	for (p = &r->loading; *p; p = &(*p)->next)
		if (*p == ld) {
			*p = ld->next;
			break;
		}
	for (w = ld->waiters; w; w = next) {
		next = w->next;
		w->next = NULL;
		if (!err) {
			tables_attach(r, ld->t, w);
			continue;
		}
		if (conn_open(w->c))
			w->cb(w->c, err, message);
		conn_unref(w->c);
		free(w);
	}
	free(ld);
}

/* Parse an integer column into an int, false when it does not fit. */
static bool col_int(const PGresult *res, int col, int64_t min, int64_t max, int64_t *out)
{
	return tables_int(res, 0, col, out) && *out >= min && *out <= max;
}

static bool parse_config(const PGresult *res, struct table_config *cfg, int *hand_number,
			 int *button, int64_t *table_seq, int *abandon_ms,
			 const struct wsdconf *wc)
{
	int64_t v[17];
	int i;

	memset(cfg, 0, sizeof(*cfg));
	for (i = 2; i <= 14; i++)
		if (!col_int(res, i, -1, HAND_MAX_CHIPS, &v[i]))
			return false;
	cfg->cash = strcmp(PQgetvalue(res, 0, 1), "cash") == 0;
	cfg->max_seats = (int)v[2];
	cfg->sb_chips = v[3];
	cfg->bb_chips = v[4];
	cfg->initial_stack_chips = v[5];
	cfg->action_timeout_ms = (int)v[6];
	cfg->min_players = (int)v[7];
	cfg->start_delay_ms = (int)v[8];
	cfg->chip_ucents = v[9];
	cfg->rake_bp = (int)v[10];
	cfg->rake_cap_chips = v[11];
	*hand_number = (int)v[12];
	*button = (int)v[13];
	*table_seq = v[14];
	cfg->next_hand_ms = wc->next_hand_ms;
	if (col_int(res, 15, 0, 600000, &v[15]))
		cfg->next_hand_ms = (int)v[15];
	*abandon_ms = wc->abandon_ms;
	if (col_int(res, 16, 100, 86400000, &v[16]))
		*abandon_ms = (int)v[16];
	return cfg->max_seats >= 2 && cfg->max_seats <= HAND_MAX_SEATS;
}

/* The dead button's columns (NULL, or out of range: unknown, -1). */
static void parse_button(const PGresult *res, struct loading *ld)
{
	int *pos[3] = { &ld->pos.button, &ld->pos.sb, &ld->pos.bb };
	const char *playing = tables_value(res, 0, 20);
	int i;

	for (i = 0; i < 3; i++) {
		int64_t v;

		*pos[i] = col_int(res, 17 + i, 0, HAND_MAX_SEATS - 1, &v) ? (int)v : -1;
	}
	snprintf(ld->playing, sizeof(ld->playing), "%s", playing ? playing : "");
}

/* Whether seats were taken, for table_seats_changed. */
void tables_apply_seats(struct table *t, const PGresult *res, bool joined[HAND_MAX_SEATS])
{
	bool seen[HAND_MAX_SEATS] = { false };
	int row, i;

	for (row = 0; row < PQntuples(res); row++) {
		int64_t seat, stack;

		if (!tables_int(res, row, 0, &seat) || seat < 0 || seat >= t->cfg.max_seats ||
		    !tables_int(res, row, 3, &stack))
			continue;
		seen[seat] = true;
		if (t->seat[seat].leaving)
			continue; /* cleared when its hand commits */
		if (t->in_hand && t->seat[seat].occupied)
			continue; /* stacks change only between hands */
		if (t->seat[seat].occupied && tables_value(res, row, 1) &&
		    strcmp(t->seat[seat].agent_id, tables_value(res, row, 1)) == 0)
			continue; /* its stack is the runtime's: this read may predate
				   * the last hand's commit (another pool connection) */
		joined[seat] = table_set_seat(t, (int)seat, tables_value(res, row, 1),
					      tables_value(res, row, 2), stack);
	}
	for (i = 0; i < t->cfg.max_seats; i++)
		if (!seen[i] && t->seat[i].occupied && !t->seat[i].leaving)
			table_set_seat(t, i, NULL, NULL, 0);
}

static void on_seats_loaded(void *arg, const PGresult *res, const struct db_err *err)
{
	struct loading *ld = arg;
	struct tables *r = ld->r;
	bool joined[HAND_MAX_SEATS] = { false };
	struct table *t = ld->t;

	if (err) {
		table_free(t);
		ld->t = NULL;
		load_finish(ld, WSD_EUNAVAILABLE, "Database unavailable: try again");
		return;
	}
	tables_apply_seats(t, res, joined);
	if (t->cfg.cash)
		table_button_loaded(t, &ld->pos, ld->playing);
	t->epoch = ld->epoch;
	tables_insert(r, t);
	log_event(LOG_INFO, "table_loaded", "table=%s status=%s hand=%d players=%d", t->id,
		  t->status == TABLE_RUNNING ? "running" : "waiting", t->hand_number,
		  table_seated(t));
	load_finish(ld, 0, NULL);
	tables_fetch_commands(r);
	if (r->stopping)
		t->stopping = true;
	if (t->status == TABLE_RUNNING) {
		table_check_abandon(t);
		table_deal(t); /* resume: the hand in flight, if any, was void */
	} else {
		memset(joined, 0, sizeof(joined));
		table_seats_changed(t, joined);
	}
}

static void on_table_loaded(void *arg, const PGresult *res, const struct db_err *err)
{
	struct loading *ld = arg;
	struct tables *r = ld->r;
	struct table_config cfg;
	const char *params[1] = { ld->id };
	int hand_number, button, abandon_ms;
	int64_t table_seq;
	const char *status;

	if (err) {
		load_finish(ld, WSD_EUNAVAILABLE, "Database unavailable: try again");
		return;
	}
	if (PQntuples(res) != 1) {
		/* Not this instance's table after all (a takeover or a claim
		 * racing this load): each waiter finds out whom it belongs to. */
		struct waiter *w = ld->waiters, *next;
		char id[TABLE_ID_MAX];

		snprintf(id, sizeof(id), "%s", ld->id);
		ld->waiters = NULL;
		load_finish(ld, 0, NULL);
		for (; w; w = next) {
			next = w->next;
			w->next = NULL;
			tables_claim_later(r, id, w);
		}
		return;
	}
	status = PQgetvalue(res, 0, 0);
	if (strcmp(status, "ended") == 0) {
		load_finish(ld, WSD_ETABLE_ENDED, "Table has ended");
		return;
	}
	if (!parse_config(res, &cfg, &hand_number, &button, &table_seq, &abandon_ms, r->cfg)) {
		log_event(LOG_ERROR, "table_bad_row", "table=%s", ld->id);
		load_finish(ld, WSD_ETABLE_NOT_FOUND, "Table cannot be loaded");
		return;
	}
	ld->t = table_new(r, ld->id,
			  strcmp(status, "running") == 0 ? TABLE_RUNNING : TABLE_WAITING, &cfg,
			  hand_number, button, table_seq);
	if (!ld->t) {
		load_finish(ld, WSD_EUNAVAILABLE, "Out of memory");
		return;
	}
	ld->t->abandon_ms = abandon_ms;
	ld->t->grace_ms = r->cfg->cash.grace_ms;
	ld->t->post_bb = r->cfg->cash.post_bb;
	parse_button(res, ld);
	if (wsdb_query(r->db, "wsd_seats", 1, params, on_seats_loaded, ld) != 0) {
		table_free(ld->t);
		ld->t = NULL;
		load_finish(ld, WSD_EUNAVAILABLE, "Database unavailable: try again");
	}
}

/* Start loading table id (owned by this instance), unless it is loaded or
 * loading; then w (may be NULL) waits for it. */
void tables_load(struct tables *r, const char *id, struct waiter *w)
{
	struct loading *ld = tables_loading(r, id);
	struct table *t = tables_find(r, id);
	const char *params[2] = { id, r->cfg->instance };

	if (t) {
		if (w)
			tables_attach(r, t, w);
		return;
	}
	if (!ld) {
		ld = calloc(1, sizeof(*ld));
		if (!ld)
			goto fail;
		ld->r = r;
		ld->epoch = r->epoch;
		snprintf(ld->id, sizeof(ld->id), "%s", id);
		if (wsdb_query(r->db, "wsd_table_load", 2, params, on_table_loaded, ld) != 0) {
			free(ld);
			goto fail;
		}
		ld->next = r->loading;
		r->loading = ld;
	}
	if (w) {
		w->next = ld->waiters;
		ld->waiters = w;
	}
	return;
fail:
	if (w) {
		w->cb(w->c, WSD_EUNAVAILABLE, "Database unavailable: try again");
		conn_unref(w->c);
		free(w);
	}
}

/* A session whose seat the table does not know yet: felt-api seated the
 * agent and its "seat" command is still on the way.  Read the seats, then
 * try once more. */
struct reread {
	struct tables *r;
	char id[TABLE_ID_MAX];
	struct waiter *w;
	uint64_t gen; /* t->seats_gen when the read was sent */
	uint64_t seq; /* t->seats_read_sent */
};

static void on_reread(void *arg, const PGresult *res, const struct db_err *err)
{
	struct reread *rr = arg;
	struct table *t = tables_find(rr->r, rr->id);
	struct waiter *w = rr->w;
	bool joined[HAND_MAX_SEATS] = { false };
	int rc = err ? WSD_EUNAVAILABLE : WSD_ETABLE_NOT_FOUND;

	if (t && !err && rr->gen != t->seats_gen) {
		/* A seat was emptied meanwhile (see struct table seats_gen): read
		 * again rather than bring its player back. */
		const char *params[1] = { t->id };

		rr->gen = t->seats_gen;
		rr->seq = ++t->seats_read_sent;
		if (wsdb_query(rr->r->db, "wsd_seats", 1, params, on_reread, rr) == 0)
			return;
		rc = WSD_EUNAVAILABLE;
	} else if (t && !err) {
		if (rr->seq > t->seats_read_applied) { /* else a newer read was applied */
			t->seats_read_applied = rr->seq;
			tables_apply_seats(t, res, joined);
			table_seats_changed(t, joined);
		}
		rc = conn_open(w->c) ? table_attach(t, w->c, w->seat) : 0;
	}
	if (conn_open(w->c))
		w->cb(w->c, rc, NULL);
	conn_unref(w->c);
	free(w);
	free(rr);
}

void tables_attach(struct tables *r, struct table *t, struct waiter *w)
{
	int rc = conn_open(w->c) ? table_attach(t, w->c, w->seat) : 0;
	struct reread *rr;
	const char *params[1] = { t->id };

	if (rc == WSD_ESESSION_EXPIRED &&
	    (t->status == TABLE_WAITING || (t->cfg.cash && t->status == TABLE_RUNNING)) &&
	    (rr = calloc(1, sizeof(*rr)))) {
		rr->r = r;
		rr->w = w;
		rr->gen = t->seats_gen;
		rr->seq = ++t->seats_read_sent;
		snprintf(rr->id, sizeof(rr->id), "%s", t->id);
		if (wsdb_query(r->db, "wsd_seats", 1, params, on_reread, rr) == 0)
			return;
		free(rr);
	}
	if (conn_open(w->c))
		w->cb(w->c, rc, NULL);
	conn_unref(w->c);
	free(w);
}
