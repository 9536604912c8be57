/*
 * tables_int.h — what tables.c (the registry: claims, loading, sessions,
 * commands) and tables_write.c (the writes of each table, in order) share.
 */
#ifndef FELT_WSD_TABLES_INT_H
#define FELT_WSD_TABLES_INT_H

#include <libpq-fe.h>

#include "table.h"
#include "tables.h"
#include "wsdb.h"

#define TABLES_BUCKETS 1024
#define TABLES_RETRY_MS 500
/* A client connecting while the database is down waits this long for it. */
#define TABLES_PARK_MS 10000

struct tables {
	struct loop *loop;
	struct wsdb *db;
	const struct wsdconf *cfg;
	struct deck_shuffler *shuffler;
	struct table *bucket[TABLES_BUCKETS];
	int ntables;
	uint64_t epoch;            /* claim rounds sent */
	bool claiming;             /* a claim round is in flight */
	bool db_up;
	bool stopping;
	int64_t hands_committed;
	struct table *released;    /* ended/lost tables waiting to be freed */
	struct loop_timer retry_timer, reap_timer;
	struct loading *loading;   /* tables being loaded, with waiters */
	struct parked *parked;     /* connections waiting for the database */
	struct reclaim *reclaims;  /* claims of one table to try again */
	struct loop_timer park_timer;
	struct lobby *lobby;       /* Open Poker's lobby queue (lobby.h) */
};

/* A connection waiting for a table (to be loaded, claimed, its seats
 * re-read); it holds a reference on c.  seat -1: an observer. */
struct waiter {
	struct waiter *next;
	struct conn *c;
	int seat; /* -1: observer */
	int64_t wait_deadline_ms; /* waiting for a dead owner's lease: until */
	void (*cb)(struct conn *c, int err, const char *message);
};

/* tables.c: the registry and claims */
struct table *tables_find(struct tables *r, const char *id);
/* tables_each — call fn on every table (fn must not free tables). */
void tables_each(struct tables *r, void (*fn)(struct table *t, void *arg), void *arg);
void tables_insert(struct tables *r, struct table *t);
/* tables_claim — claim every table this instance should run (id NULL, a
 * periodic round), or table id for waiter w, then load what is new. */
void tables_claim(struct tables *r, const char *id, struct waiter *w);

/* tables_claim_later — waiter w's table id is not this instance's (yet): wait
 * for a dead owner's lease, or for a claim in flight, within the waiter's
 * deadline, then load or claim it; a table another live instance owns is
 * reported to w as served elsewhere.  Takes w. */
void tables_claim_later(struct tables *r, const char *id, struct waiter *w);

/* tables_load.c */
struct loading;
/* tables_loading — the load of table id in progress, or NULL. */
struct loading *tables_loading(struct tables *r, const char *id);
/* tables_load — load table id (owned by this instance) unless it is loaded
 * or loading; then w (may be NULL) is attached to it. */
void tables_load(struct tables *r, const char *id, struct waiter *w);
/* tables_attach — attach w to t and answer it (re-reading the seats once
 * when its seat is not known yet); frees w. */
void tables_attach(struct tables *r, struct table *t, struct waiter *w);
/* tables_apply_seats — the seats read (wsd_seats) into t; joined[seat] set
 * for each seat newly taken. */
void tables_apply_seats(struct table *t, const PGresult *res, bool joined[HAND_MAX_SEATS]);

/* tables_commands.c */
/* tables_fetch_commands — read and apply the pending commands of every
 * table this instance owns. */
void tables_fetch_commands(struct tables *r);

/* tables_connect.c */
/* tables_new_waiter — a waiter for c (referenced) to be attached to seat
 * (-1: observer), answered by cb; NULL when memory is short. */
struct waiter *tables_new_waiter(struct conn *c, int seat,
				 void (*cb)(struct conn *, int, const char *));
/* tables_waiter_fail — answer w with err and message (if c is still open)
 * and free it. */
void tables_waiter_fail(struct waiter *w, int err, const char *message);
/* tables_reach — attach w to table id: loaded, being loaded, owned by this
 * instance (owner) but not loaded yet, or to be claimed. */
void tables_reach(struct tables *r, const char *id, const char *owner, struct waiter *w);
/* tables_unpark — let connections that waited for the database through
 * (refusing those that waited too long); a timer callback (arg: r). */
void tables_unpark(void *arg);

/* tables_write.c */
/* tables_kick_writes — send the next write of t if it can go now. */
void tables_kick_writes(struct tables *r, struct table *t);
/* tables_free_writes — drop t's queued writes (lost table, shutdown). */
void tables_free_writes(struct table *t);

/* Reading results. */
const char *tables_value(const PGresult *res, int row, int col); /* NULL for SQL NULL */
bool tables_int(const PGresult *res, int row, int col, int64_t *out);
bool tables_bool(const PGresult *res, int row, int col);

#endif
