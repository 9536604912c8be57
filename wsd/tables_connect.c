/*
 * tables_connect.c — clients connecting: a MoltPoker session token or an
 * observer's table id, checked against the database, then attached to the
 * table (loaded or claimed first if need be); while the database is down a
 * connection waits for it, a while.
 */
#include "tables_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/token.h"
#include "statements.h"

/* Connections ---------------------------------------------------------------------------*/

struct auth {
	struct tables *r;
	struct waiter *w;
	char table_id[TABLE_ID_MAX];
};

struct waiter *tables_new_waiter(struct conn *c, int seat,
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

void tables_waiter_fail(struct waiter *w, int err, const char *message)
{
	if (conn_open(w->c))
		w->cb(w->c, err, message);
	conn_unref(w->c);
	free(w);
}

/* Attach w to table id: loaded, being loaded, owned but not loaded yet, or
 * to be claimed. */
void tables_reach(struct tables *r, const char *id, const char *owner, struct waiter *w)
{
	if (tables_find(r, id) || tables_loading(r, id) ||
	    (owner && strcmp(owner, r->cfg->instance) == 0))
		tables_load(r, id, w);
	else
		tables_claim(r, id, w);
}

static void on_session(void *arg, const PGresult *res, const struct db_err *err)
{
	struct auth *a = arg;
	struct waiter *w = a->w;
	struct conn *c = w->c;
	const char *status;
	int64_t seat;

	if (err) {
		tables_waiter_fail(w, WSD_EUNAVAILABLE, "Database unavailable: try again");
	} else if (PQntuples(res) != 1 || !tables_int(res, 0, 2, &seat)) {
		tables_waiter_fail(w, WSD_EUNAUTHORIZED, "Invalid session token");
	} else if (tables_bool(res, 0, 4)) {
		tables_waiter_fail(w, WSD_ESESSION_EXPIRED,
			    "Session ended (left or removed from the table): join again");
	} else if (tables_bool(res, 0, 3)) {
		tables_waiter_fail(w, WSD_ESESSION_EXPIRED, "Session token expired: join again");
	} else if (strcmp(status = PQgetvalue(res, 0, 5), "ended") == 0) {
		tables_waiter_fail(w, WSD_ETABLE_ENDED, "Table has ended");
	} else if (!conn_open(c)) {
		tables_waiter_fail(w, 0, NULL);
	} else {
		snprintf(c->agent_id, sizeof(c->agent_id), "%s", PQgetvalue(res, 0, 0));
		snprintf(c->table_id, sizeof(c->table_id), "%s", PQgetvalue(res, 0, 1));
		w->seat = (int)seat;
		tables_reach(a->r, c->table_id, tables_value(res, 0, 6), w);
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
void tables_unpark(void *arg)
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
		a->w = tables_new_waiter(c, -1, cb);
	if (!a || !a->w) {
		free(a);
		cb(c, WSD_EUNAVAILABLE, "Out of memory");
		return;
	}
	a->r = r;
	token_key_hash(token, hash);
	if (wsdb_query(r->db, "wsd_session", 1, params, on_session, a) != 0) {
		tables_waiter_fail(a->w, WSD_EUNAVAILABLE, "Database unavailable: try again");
		free(a);
	}
}

static void on_observed(void *arg, const PGresult *res, const struct db_err *err)
{
	struct auth *a = arg;

	if (err)
		tables_waiter_fail(a->w, WSD_EUNAVAILABLE, "Database unavailable: try again");
	else if (PQntuples(res) != 1)
		tables_waiter_fail(a->w, WSD_ETABLE_NOT_FOUND, "Table not found");
	else if (strcmp(PQgetvalue(res, 0, 0), "ended") == 0)
		tables_waiter_fail(a->w, WSD_ETABLE_ENDED, "Table has ended");
	else
		tables_reach(a->r, a->table_id, tables_value(res, 0, 1), a->w);
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
		a->w = tables_new_waiter(c, -1, cb);
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
		tables_waiter_fail(a->w, WSD_EUNAVAILABLE, "Database unavailable: try again");
		free(a);
	}
}
