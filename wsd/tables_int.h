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
};

/* tables.c */
struct table *tables_find(struct tables *r, const char *id);
/* tables_each — call fn on every table (fn must not free tables). */
void tables_each(struct tables *r, void (*fn)(struct table *t, void *arg), void *arg);

/* tables_write.c */
/* tables_kick_writes — send the next write of t if it can go now. */
void tables_kick_writes(struct tables *r, struct table *t);
/* tables_free_writes — drop t's queued writes (lost table, shutdown). */
void tables_free_writes(struct table *t);

/* Reading results. */
const char *tables_value(const PGresult *res, int row, int col); /* NULL for SQL NULL */
bool tables_int(const PGresult *res, int row, int col, int64_t *out);

#endif
