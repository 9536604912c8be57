/*
 * wsdb.h — felt-wsd's database: a dbpool (core/dbpool.h) driven by the lws
 * loop.  Each pool connection's socket is watched through loop_watch (a dup
 * adopted as a raw descriptor, re-adopted whenever libpq's socket changes)
 * and its timer is a loop_timer.  LISTEN felt_tables runs on connection 0.
 *
 * The database is "up" while at least one connection is; the owner is told
 * of every change, and told "up" again whenever connection 0 (the listener)
 * comes back, since notifications sent while it was down are gone.
 */
#ifndef FELT_WSD_WSDB_H
#define FELT_WSD_WSDB_H

#include <stdbool.h>

#include "core/dbpool.h"
#include "loop.h"

struct wsdb;

struct wsdb_events {
	void *ctx;
	void (*state)(void *ctx, bool up);
	void (*notify)(void *ctx, const char *channel, const char *payload);
};

/*
 * wsdb_new — a pool of settings->pool_size connections to conninfo with
 * the statements stmts and LISTEN on the NULL-terminated channels listen
 * (all borrowed, static), reporting to ev (copied).  Connects at once.
 * Returns NULL (logged) on a malformed conninfo or a lack of memory.
 */
struct wsdb *wsdb_new(struct loop *l, const char *conninfo,
		      const struct db_settings *settings, const struct db_stmt *stmts,
		      const char *const *listen, const struct wsdb_events *ev);

/* wsdb_free — close every connection (queries in flight get DB_ERR_CONNECT
 * callbacks now).  NULL-safe. */
void wsdb_free(struct wsdb *db);

/* wsdb_query — dbpool_query (see dbpool.h for the contract). */
int wsdb_query(struct wsdb *db, const char *stmt_name, int n, const char *const *params,
	       dbloop_cb cb, void *arg);

/* wsdb_up — at least one connection is up. */
bool wsdb_up(const struct wsdb *db);

#endif
