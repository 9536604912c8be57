/*
 * tables.c — the registry of the tables this instance runs: finding them,
 * which ones it owns (claims, leases, takeovers), the database's ups and
 * downs, figures, stopping.  Loading a table is tables_load.c, the
 * commands felt-api files tables_commands.c, clients connecting
 * tables_connect.c.
 */
#include "tables_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "lobby.h"
#include "statements.h"


/* A claim of one table for a connection that came back empty is tried
 * again: a claim of every table running at the same moment (start,
 * reconnection) may hold the row to take it for this very instance, or the
 * table's owner died and its lease has not passed yet (felt-api may even
 * have given a new table to an instance that just died).  The connection
 * waits, for CLAIM_WAIT_MS at most, unless a live instance owns the table:
 * then it is told to join again for that instance's ws_url. */
#define CLAIM_WAIT_MS 30000
#define CLAIM_RETRY_MS 300

struct reclaim {
	struct reclaim *next;
	struct tables *r;
	char id[TABLE_ID_MAX];
	struct waiter *w;
	struct loop_timer timer;
};


static void reap(void *arg);
static void reclaim(void *arg);
static void retry(void *arg);

/* Results --------------------------------------------------------------------*/

const char *tables_value(const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? NULL : PQgetvalue(res, row, col);
}

bool tables_int(const PGresult *res, int row, int col, int64_t *out)
{
	return !PQgetisnull(res, row, col) && db_value_int64(res, row, col, out) == DB_OK;
}

bool tables_bool(const PGresult *res, int row, int col)
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

void tables_insert(struct tables *r, struct table *t)
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
	loop_timer_init(&r->park_timer, l, tables_unpark, r);
	r->lobby = lobby_new(r, l);
	if (!r->lobby) {
		deck_shuffler_free(r->shuffler);
		free(r);
		return NULL;
	}
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
	tables_unpark(r); /* refuses them all */
	while (r->reclaims) {
		loop_timer_cancel(&r->reclaims->timer);
		reclaim(r->reclaims); /* drops them: stopping */
	}
	tables_each(r, free_one, r);
	reap(r);
	deck_shuffler_free(r->shuffler);
	lobby_free(r->lobby);
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
			tables_load(r, id, NULL);
	}
	if (cl->w && PQntuples(res) == 0)
		tables_claim_later(r, cl->id, cl->w);
	else if (cl->w)
		tables_load(r, cl->id, cl->w);
	free(cl);
}

static void served_elsewhere(struct waiter *w)
{
	if (conn_open(w->c))
		w->cb(w->c, WSD_ESESSION_EXPIRED,
		      "This table is served by another felt-wsd: join again for its ws_url");
	conn_unref(w->c);
	free(w);
}

static void on_owner_wait(void *arg, const PGresult *res, const struct db_err *err)
{
	struct reclaim *rc = arg;
	struct tables *r = rc->r;
	int64_t ms;

	if (err || PQntuples(res) != 1 || !tables_int(res, 0, 0, &ms) || ms < 0 ||
	    loop_mono_ms() + ms > rc->w->wait_deadline_ms) {
		served_elsewhere(rc->w);
		free(rc);
		return;
	}
	loop_timer_init(&rc->timer, r->loop, reclaim, rc);
	loop_timer_arm(&rc->timer, ms < CLAIM_RETRY_MS ? CLAIM_RETRY_MS : ms + 100);
	rc->next = r->reclaims;
	r->reclaims = rc;
}

/* Waiter w's table id could not be claimed: find out whether to wait. */
void tables_claim_later(struct tables *r, const char *id, struct waiter *w)
{
	struct reclaim *rc = calloc(1, sizeof(*rc));
	char stale[16];
	const char *params[3] = { id, stale, r->cfg->instance };

	if (!rc) {
		served_elsewhere(w);
		return;
	}
	if (!w->wait_deadline_ms)
		w->wait_deadline_ms = loop_mono_ms() + CLAIM_WAIT_MS;
	rc->r = r;
	rc->w = w;
	snprintf(rc->id, sizeof(rc->id), "%s", id);
	snprintf(stale, sizeof(stale), "%d", r->cfg->heartbeat_stale_s);
	if (wsdb_query(r->db, "wsd_owner_wait", 3, params, on_owner_wait, rc) != 0) {
		served_elsewhere(w);
		free(rc);
	}
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
	} else if (tables_find(r, rc->id) || tables_loading(r, rc->id)) {
		tables_load(r, rc->id, rc->w);
	} else {
		tables_claim(r, rc->id, rc->w);
	}
	free(rc);
}

/* Claim (and renew) everything this instance should run, or only table id
 * for waiter w. */
void tables_claim(struct tables *r, const char *id, struct waiter *w)
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
	tables_claim(r, NULL, NULL);
	tables_fetch_commands(r);
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
	tables_unpark(r);
	/* Whatever was announced while we could not hear is read again. */
	tables_claim(r, NULL, NULL);
	tables_fetch_commands(r);
	loop_timer_arm(&r->retry_timer, 0);
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
	out->lobby_queue = r->lobby ? lobby_length(r->lobby) : 0;
}

struct lobby *tables_lobby(struct tables *r)
{
	return r ? r->lobby : NULL;
}

bool tables_stopping(const struct tables *r)
{
	return r->stopping;
}

static void stop_one(struct table *t, void *arg)
{
	bool *busy = arg;

	t->stopping = true;
	loop_timer_cancel(&t->start_timer);
	loop_timer_cancel(&t->next_timer);
	loop_timer_cancel(&t->abandon_timer);
	if (t->in_hand || t->committing || t->wq_busy || t->wq_head || t->start_pending) {
		*busy = true;
		return;
	}
	/* A cash table is not resumed by another instance: once no hand is in
	 * progress its players are cashed out (wsd_table_end returns every
	 * seat's chips to its balance; they get table_closed).  Agent tables
	 * are released as they are, for whoever claims them next. */
	if (t->cfg.cash && t->status != TABLE_ENDED && !t->end_requested && !t->lost) {
		log_event(LOG_INFO, "cash_table_closing", "table=%s reason=shutdown", t->id);
		table_end(t, "closed", 0);
		*busy = true;
	}
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
