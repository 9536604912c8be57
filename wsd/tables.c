/*
 * tables.c — the registry: which tables this instance runs (claims, leases,
 * takeovers), loading them, the commands felt-api files for them, and
 * connecting sessions and observers to them.
 */
#include "tables_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/log.h"
#include "core/token.h"
#include "statements.h"

/* A table being loaded, and the connections waiting for it. */
struct waiter {
	struct waiter *next;
	struct conn *c;
	int seat; /* -1: observer */
	int tries; /* claims of its table that came back empty */
	void (*cb)(struct conn *c, int err, const char *message);
};

/* Claims of one table that came back empty are tried again a few times: a
 * claim of every table running at the same moment (start, reconnection)
 * holds the row and may be taking it for this very instance. */
#define CLAIM_TRIES 5
#define CLAIM_RETRY_MS 300

struct reclaim {
	struct reclaim *next;
	struct tables *r;
	char id[TABLE_ID_MAX];
	struct waiter *w;
	struct loop_timer timer;
};

static void claim(struct tables *r, const char *id, struct waiter *w);
static void reclaim(void *arg);

struct loading {
	struct loading *next;
	struct tables *r;
	char id[TABLE_ID_MAX];
	uint64_t epoch;
	struct table *t; /* once the row is read */
	struct waiter *waiters;
};

static void fetch_commands(struct tables *r);
static void reap(void *arg);
static void retry(void *arg);
static void attach(struct tables *r, struct table *t, struct waiter *w);
static void unpark(void *arg);

/* Results --------------------------------------------------------------------*/

const char *tables_value(const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? NULL : PQgetvalue(res, row, col);
}

bool tables_int(const PGresult *res, int row, int col, int64_t *out)
{
	return !PQgetisnull(res, row, col) && db_value_int64(res, row, col, out) == DB_OK;
}

static bool tables_bool(const PGresult *res, int row, int col)
{
	const char *v = tables_value(res, row, col);

	return v && v[0] == 't';
}

/* The registry ------------------------------------------------------------------*/

static unsigned bucket_of(const char *id)
{
	uint32_t h = 2166136261u;

	for (; *id; id++)
		h = (h ^ (uint8_t)*id) * 16777619u;
	return h % TABLES_BUCKETS;
}

struct table *tables_find(struct tables *r, const char *id)
{
	struct table *t;

	for (t = r->bucket[bucket_of(id)]; t; t = t->hnext)
		if (strcmp(t->id, id) == 0)
			return t;
	return NULL;
}

static void insert(struct tables *r, struct table *t)
{
	unsigned b = bucket_of(t->id);

	t->hnext = r->bucket[b];
	r->bucket[b] = t;
	r->ntables++;
}

static void unlink_table(struct tables *r, struct table *t)
{
	struct table **p;

	for (p = &r->bucket[bucket_of(t->id)]; *p; p = &(*p)->hnext)
		if (*p == t) {
			*p = t->hnext;
			t->hnext = NULL;
			r->ntables--;
			return;
		}
}

void tables_each(struct tables *r, void (*fn)(struct table *t, void *arg), void *arg)
{
	int b;
	struct table *t, *next;

	for (b = 0; b < TABLES_BUCKETS; b++)
		for (t = r->bucket[b]; t; t = next) {
			next = t->hnext;
			fn(t, arg);
		}
}

struct tables *tables_new(struct loop *l, struct wsdb *db, const struct wsdconf *cfg)
{
	struct tables *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->loop = l;
	r->db = db;
	r->cfg = cfg;
	r->shuffler = deck_shuffler_new();
	if (!r->shuffler) {
		free(r);
		return NULL;
	}
	loop_timer_init(&r->retry_timer, l, retry, r);
	loop_timer_init(&r->reap_timer, l, reap, r);
	loop_timer_init(&r->park_timer, l, unpark, r);
	return r;
}

static void free_one(struct table *t, void *arg)
{
	struct tables *r = arg;

	unlink_table(r, t);
	tables_free_writes(t);
	table_free(t);
}

void tables_free(struct tables *r)
{
	if (!r)
		return;
	loop_timer_cancel(&r->retry_timer);
	loop_timer_cancel(&r->reap_timer);
	loop_timer_cancel(&r->park_timer);
	r->db_up = false;
	r->stopping = true;
	unpark(r); /* refuses them all */
	while (r->reclaims) {
		loop_timer_cancel(&r->reclaims->timer);
		reclaim(r->reclaims); /* drops them: stopping */
	}
	tables_each(r, free_one, r);
	reap(r);
	deck_shuffler_free(r->shuffler);
	free(r);
}

const struct wsdconf *tables_config(const struct tables *r)
{
	return r->cfg;
}

struct loop *tables_loop(struct tables *r)
{
	return r->loop;
}

struct deck_shuffler *tables_shuffler(struct tables *r)
{
	return r->shuffler;
}

void tables_release(struct tables *r, struct table *t)
{
	if (t->released)
		return;
	unlink_table(r, t);
	t->released = true;
	if (t->lost)
		tables_free_writes(t);
	t->hnext = r->released;
	r->released = t;
	loop_timer_arm(&r->reap_timer, 0);
}

/* Free released tables whose last write has been answered. */
static void reap(void *arg)
{
	struct tables *r = arg;
	struct table **p = &r->released, *t;

	while ((t = *p)) {
		if (t->wq_busy || t->wq_head) {
			p = &t->hnext;
			continue;
		}
		*p = t->hnext;
		table_free(t);
	}
}

/* Loading ------------------------------------------------------------------------*/

static struct loading *find_loading(struct tables *r, const char *id)
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
			attach(r, ld->t, w);
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

/* Whether seats were taken, for table_seats_changed. */
static void apply_seats(struct table *t, const PGresult *res, bool joined[HAND_MAX_SEATS])
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
	apply_seats(t, res, joined);
	t->epoch = ld->epoch;
	insert(r, t);
	log_event(LOG_INFO, "table_loaded", "table=%s status=%s hand=%d players=%d", t->id,
		  t->status == TABLE_RUNNING ? "running" : "waiting", t->hand_number,
		  table_seated(t));
	load_finish(ld, 0, NULL);
	fetch_commands(r);
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
		load_finish(ld, WSD_ESESSION_EXPIRED,
			    "This table is served by another felt-wsd: join again for its ws_url");
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
	if (wsdb_query(r->db, "wsd_seats", 1, params, on_seats_loaded, ld) != 0) {
		table_free(ld->t);
		ld->t = NULL;
		load_finish(ld, WSD_EUNAVAILABLE, "Database unavailable: try again");
	}
}

/* Start loading table id (owned by this instance), unless it is loaded or
 * loading; then w (may be NULL) waits for it. */
static void load(struct tables *r, const char *id, struct waiter *w)
{
	struct loading *ld = find_loading(r, id);
	struct table *t = tables_find(r, id);
	const char *params[2] = { id, r->cfg->instance };

	if (t) {
		if (w)
			attach(r, t, w);
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
};

static void on_reread(void *arg, const PGresult *res, const struct db_err *err)
{
	struct reread *rr = arg;
	struct table *t = tables_find(rr->r, rr->id);
	struct waiter *w = rr->w;
	bool joined[HAND_MAX_SEATS] = { false };
	int rc = err ? WSD_EUNAVAILABLE : WSD_ETABLE_NOT_FOUND;

	if (t && !err) {
		apply_seats(t, res, joined);
		table_seats_changed(t, joined);
		rc = conn_open(w->c) ? table_attach(t, w->c, w->seat) : 0;
	}
	if (conn_open(w->c))
		w->cb(w->c, rc, NULL);
	conn_unref(w->c);
	free(w);
	free(rr);
}

static void attach(struct tables *r, struct table *t, struct waiter *w)
{
	int rc = conn_open(w->c) ? table_attach(t, w->c, w->seat) : 0;
	struct reread *rr;
	const char *params[1] = { t->id };

	if (rc == WSD_ESESSION_EXPIRED && t->status == TABLE_WAITING &&
	    (rr = calloc(1, sizeof(*rr)))) {
		rr->r = r;
		rr->w = w;
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

/* Claims ---------------------------------------------------------------------------*/

struct claim {
	struct tables *r;
	uint64_t epoch;
	bool all;          /* a periodic round: its answer is everything owned */
	struct waiter *w;  /* a connection waiting for this one table */
	char id[TABLE_ID_MAX];
};

static void on_claimed(void *arg, const PGresult *res, const struct db_err *err)
{
	struct claim *cl = arg;
	struct tables *r = cl->r;
	int row;

	if (cl->all)
		r->claiming = false;
	if (err) {
		if (cl->w) {
			cl->w->cb(cl->w->c, WSD_EUNAVAILABLE, "Database unavailable: try again");
			conn_unref(cl->w->c);
			free(cl->w);
		}
		free(cl);
		return;
	}
	if (cl->all) {
		/* A table loaded before this round and missing from its answer
		 * belongs to another instance now (fencing refuses our writes
		 * anyway): let it go. */
		int b;
		struct table *t, *next;

		for (b = 0; b < TABLES_BUCKETS; b++)
			for (t = r->bucket[b]; t; t = next) {
				bool owned = false;

				next = t->hnext;
				for (row = 0; row < PQntuples(res) && !owned; row++)
					owned = strcmp(PQgetvalue(res, row, 0), t->id) == 0;
				/* An ending table leaves the answer when its end
				 * commits, before that write's answer arrives. */
				if (!owned && t->epoch < cl->epoch && !t->pending_end)
					table_lost(t);
			}
	}
	for (row = 0; row < PQntuples(res); row++) {
		const char *id = PQgetvalue(res, row, 0);

		if (tables_bool(res, row, 2))
			log_event(LOG_INFO, "table_claimed", "table=%s", id);
		if (!cl->w || strcmp(id, cl->id) != 0)
			load(r, id, NULL);
	}
	if (cl->w) {
		struct reclaim *rc;

		if (PQntuples(res) == 0 && ++cl->w->tries < CLAIM_TRIES &&
		    (rc = calloc(1, sizeof(*rc)))) {
			rc->r = r;
			rc->w = cl->w;
			snprintf(rc->id, sizeof(rc->id), "%s", cl->id);
			loop_timer_init(&rc->timer, r->loop, reclaim, rc);
			loop_timer_arm(&rc->timer, CLAIM_RETRY_MS);
			rc->next = r->reclaims;
			r->reclaims = rc;
		} else if (PQntuples(res) == 0) {
			cl->w->cb(cl->w->c, WSD_ESESSION_EXPIRED,
				  "This table is served by another felt-wsd: join again for its "
				  "ws_url");
			conn_unref(cl->w->c);
			free(cl->w);
		} else {
			load(r, cl->id, cl->w);
		}
	}
	free(cl);
}

static void reclaim(void *arg)
{
	struct reclaim *rc = arg, **p;
	struct tables *r = rc->r;

	for (p = &r->reclaims; *p; p = &(*p)->next)
		if (*p == rc) {
			*p = rc->next;
			break;
		}
	if (!conn_open(rc->w->c) || r->stopping) {
		conn_unref(rc->w->c);
		free(rc->w);
	} else if (tables_find(r, rc->id) || find_loading(r, rc->id)) {
		load(r, rc->id, rc->w);
	} else {
		claim(r, rc->id, rc->w);
	}
	free(rc);
}

/* Claim (and renew) everything this instance should run, or only table id
 * for waiter w. */
static void claim(struct tables *r, const char *id, struct waiter *w)
{
	struct claim *cl = calloc(1, sizeof(*cl));
	char lease[16], stale[16], max[16];
	const char *params[5];

	if (!cl)
		goto fail;
	cl->r = r;
	cl->w = w;
	cl->all = id == NULL;
	if (cl->all)
		cl->epoch = ++r->epoch;
	else
		snprintf(cl->id, sizeof(cl->id), "%s", id);
	snprintf(lease, sizeof(lease), "%d", r->cfg->lease_s);
	snprintf(stale, sizeof(stale), "%d", r->cfg->heartbeat_stale_s);
	snprintf(max, sizeof(max), "%d",
		 r->stopping ? 0 : r->cfg->max_tables - r->ntables);
	params[0] = r->cfg->instance;
	params[1] = lease;
	params[2] = stale;
	params[3] = max;
	params[4] = id;
	if (wsdb_query(r->db, "wsd_claim", 5, params, on_claimed, cl) != 0) {
		free(cl);
		goto fail;
	}
	if (cl->all)
		r->claiming = true;
	return;
fail:
	if (w) {
		w->cb(w->c, WSD_EUNAVAILABLE, "Database unavailable: try again");
		conn_unref(w->c);
		free(w);
	}
}

void tables_tick(struct tables *r)
{
	if (!r->db_up || r->claiming)
		return;
	claim(r, NULL, NULL);
	fetch_commands(r);
}

/* Commands -------------------------------------------------------------------------*/

struct reseat {
	struct tables *r;
	char id[TABLE_ID_MAX];
	int64_t command;
};

static void on_reseated(void *arg, const PGresult *res, const struct db_err *err)
{
	struct reseat *rs = arg;
	struct table *t = tables_find(rs->r, rs->id);
	bool joined[HAND_MAX_SEATS] = { false };

	if (t && !err) {
		apply_seats(t, res, joined);
		table_seats_changed(t, joined);
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

static void fetch_commands(struct tables *r)
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
	if (tables_find(r, id) || find_loading(r, id))
		fetch_commands(r);
	else if (!r->stopping)
		claim(r, id, NULL); /* a new table, perhaps ours */
}

/* The database ------------------------------------------------------------------------*/

static void kick_one(struct table *t, void *arg)
{
	tables_kick_writes(arg, t);
	table_deal(t); /* resumes a table that paused (no-op otherwise) */
}

static void retry(void *arg)
{
	struct tables *r = arg;

	if (r->db_up)
		tables_each(r, kick_one, r);
}

void tables_db_state(struct tables *r, bool up)
{
	r->db_up = up;
	if (!up)
		return;
	unpark(r);
	/* Whatever was announced while we could not hear is read again. */
	claim(r, NULL, NULL);
	fetch_commands(r);
	loop_timer_arm(&r->retry_timer, 0);
}

/* Connections ---------------------------------------------------------------------------*/

struct auth {
	struct tables *r;
	struct waiter *w;
	char table_id[TABLE_ID_MAX];
};

static struct waiter *new_waiter(struct conn *c, int seat,
				 void (*cb)(struct conn *, int, const char *))
{
	struct waiter *w = calloc(1, sizeof(*w));

	if (!w)
		return NULL;
	w->c = c;
	w->seat = seat;
	w->cb = cb;
	conn_ref(c);
	return w;
}

static void waiter_fail(struct waiter *w, int err, const char *message)
{
	if (conn_open(w->c))
		w->cb(w->c, err, message);
	conn_unref(w->c);
	free(w);
}

/* Attach w to table id: loaded, being loaded, owned but not loaded yet, or
 * to be claimed. */
static void reach(struct tables *r, const char *id, const char *owner, struct waiter *w)
{
	if (tables_find(r, id) || find_loading(r, id) ||
	    (owner && strcmp(owner, r->cfg->instance) == 0))
		load(r, id, w);
	else
		claim(r, id, w);
}

static void on_session(void *arg, const PGresult *res, const struct db_err *err)
{
	struct auth *a = arg;
	struct waiter *w = a->w;
	struct conn *c = w->c;
	const char *status;
	int64_t seat;

	if (err) {
		waiter_fail(w, WSD_EUNAVAILABLE, "Database unavailable: try again");
	} else if (PQntuples(res) != 1 || !tables_int(res, 0, 2, &seat)) {
		waiter_fail(w, WSD_EUNAUTHORIZED, "Invalid session token");
	} else if (tables_bool(res, 0, 4)) {
		waiter_fail(w, WSD_ESESSION_EXPIRED,
			    "Session ended (left or removed from the table): join again");
	} else if (tables_bool(res, 0, 3)) {
		waiter_fail(w, WSD_ESESSION_EXPIRED, "Session token expired: join again");
	} else if (strcmp(status = PQgetvalue(res, 0, 5), "ended") == 0) {
		waiter_fail(w, WSD_ETABLE_ENDED, "Table has ended");
	} else if (!conn_open(c)) {
		waiter_fail(w, 0, NULL);
	} else {
		snprintf(c->agent_id, sizeof(c->agent_id), "%s", PQgetvalue(res, 0, 0));
		snprintf(c->table_id, sizeof(c->table_id), "%s", PQgetvalue(res, 0, 1));
		w->seat = (int)seat;
		reach(a->r, c->table_id, tables_value(res, 0, 6), w);
	}
	free(a);
}

/* A connection that came while the database was down (felt-wsd starting,
 * PostgreSQL restarting): it waits, unread, for TABLES_PARK_MS. */
struct parked {
	struct parked *next;
	struct conn *c;
	bool observer;
	char arg[TOKEN_MAX_KEY_LEN * 2]; /* the token or the table id */
	void (*cb)(struct conn *c, int err, const char *message);
	int64_t deadline_ms;
};

static bool park(struct tables *r, struct conn *c, bool observer, const char *arg,
		 void (*cb)(struct conn *, int, const char *))
{
	struct parked *p;

	if (r->db_up || strlen(arg) >= sizeof(p->arg) || !(p = calloc(1, sizeof(*p))))
		return false;
	p->c = c;
	p->observer = observer;
	snprintf(p->arg, sizeof(p->arg), "%s", arg);
	p->cb = cb;
	p->deadline_ms = loop_mono_ms() + TABLES_PARK_MS;
	conn_ref(c);
	p->next = r->parked;
	r->parked = p;
	if (!loop_timer_armed(&r->park_timer))
		loop_timer_arm(&r->park_timer, 1000);
	return true;
}

/* Let the parked connections through (database up), refuse those that
 * waited too long. */
static void unpark(void *arg)
{
	struct tables *r = arg;
	struct parked *p = r->parked, *next, *keep = NULL;
	int64_t now = loop_mono_ms();

	r->parked = NULL;
	for (; p; p = next) {
		next = p->next;
		if (conn_open(p->c) && r->db_up) {
			if (p->observer)
				tables_observe(r, p->c, p->arg, p->cb);
			else
				tables_session(r, p->c, p->arg, p->cb);
		} else if (conn_open(p->c) && now < p->deadline_ms && !r->stopping) {
			p->next = keep;
			keep = p;
			continue;
		} else if (conn_open(p->c)) {
			p->cb(p->c, WSD_EUNAVAILABLE, "Database unavailable: try again");
		}
		conn_unref(p->c);
		free(p);
	}
	r->parked = keep;
	if (keep)
		loop_timer_arm(&r->park_timer, 1000);
}

void tables_session(struct tables *r, struct conn *c, const char *token,
		    void (*cb)(struct conn *c, int err, const char *message))
{
	struct auth *a;

	if (park(r, c, false, token, cb))
		return;
	a = calloc(1, sizeof(*a));
	char hash[TOKEN_HASH_SIZE];
	const char *params[1] = { hash };

	if (a)
		a->w = new_waiter(c, -1, cb);
	if (!a || !a->w) {
		free(a);
		cb(c, WSD_EUNAVAILABLE, "Out of memory");
		return;
	}
	a->r = r;
	token_key_hash(token, hash);
	if (wsdb_query(r->db, "wsd_session", 1, params, on_session, a) != 0) {
		waiter_fail(a->w, WSD_EUNAVAILABLE, "Database unavailable: try again");
		free(a);
	}
}

static void on_observed(void *arg, const PGresult *res, const struct db_err *err)
{
	struct auth *a = arg;

	if (err)
		waiter_fail(a->w, WSD_EUNAVAILABLE, "Database unavailable: try again");
	else if (PQntuples(res) != 1)
		waiter_fail(a->w, WSD_ETABLE_NOT_FOUND, "Table not found");
	else if (strcmp(PQgetvalue(res, 0, 0), "ended") == 0)
		waiter_fail(a->w, WSD_ETABLE_ENDED, "Table has ended");
	else
		reach(a->r, a->table_id, tables_value(res, 0, 1), a->w);
	free(a);
}

void tables_observe(struct tables *r, struct conn *c, const char *table_id,
		    void (*cb)(struct conn *c, int err, const char *message))
{
	struct auth *a;
	const char *params[1];

	if (park(r, c, true, table_id, cb))
		return;
	a = calloc(1, sizeof(*a));
	if (a)
		a->w = new_waiter(c, -1, cb);
	if (!a || !a->w) {
		free(a);
		cb(c, WSD_EUNAVAILABLE, "Out of memory");
		return;
	}
	a->r = r;
	snprintf(a->table_id, sizeof(a->table_id), "%s", table_id);
	snprintf(c->table_id, sizeof(c->table_id), "%s", table_id);
	params[0] = a->table_id;
	if (wsdb_query(r->db, "wsd_table_status", 1, params, on_observed, a) != 0) {
		waiter_fail(a->w, WSD_EUNAVAILABLE, "Database unavailable: try again");
		free(a);
	}
}

/* Figures and stopping -----------------------------------------------------------------*/

static void count_one(struct table *t, void *arg)
{
	struct tables_stats *s = arg;

	if (t->status == TABLE_RUNNING)
		s->active_tables++;
	else if (t->status == TABLE_WAITING)
		s->waiting_tables++;
}

void tables_stats(const struct tables *r, struct tables_stats *out)
{
	memset(out, 0, sizeof(*out));
	tables_each((struct tables *)r, count_one, out);
	out->hands_committed = r->hands_committed;
}

static void stop_one(struct table *t, void *arg)
{
	bool *busy = arg;

	t->stopping = true;
	loop_timer_cancel(&t->start_timer);
	loop_timer_cancel(&t->next_timer);
	loop_timer_cancel(&t->abandon_timer);
	if (t->in_hand || t->committing || t->wq_busy || t->wq_head || t->start_pending)
		*busy = true;
}

bool tables_shutdown(struct tables *r)
{
	bool busy = false;

	r->stopping = true;
	tables_each(r, stop_one, &busy);
	return !busy && !r->loading;
}

static void void_one(struct table *t, void *arg)
{
	table_void_hand(t, "shutdown");
}

void tables_void_all(struct tables *r)
{
	tables_each(r, void_one, NULL);
}
