/*
 * dbpool — a few dbloop connections behind one dbpool_query, so that many
 * tables' commits do not queue behind one another.
 *
 * One PostgreSQL backend commits one transaction at a time, and each
 * COMMIT waits for its WAL flush: with every settlement on one connection,
 * a hundred tables would take turns on that flush (about 170 commits/s on
 * the development machine, however deep the pipeline).  A pool of n
 * connections (FELT_DB_POOL_SIZE, default 8) runs n commits at once and
 * lets the server flush them together: durable commits/s grow about
 * linearly with n (t/bench/bench_dbpool.c, BENCHMARKS.md).  Each query goes to the connection
 * that is up with the fewest queries in flight (ties rotate), so the pool
 * keeps working while some connections are down and reconnecting.
 *
 * Consequences for the caller:
 *   - no order between queries: two queries sent one after the other may
 *     run on different connections.  Send the second from the first one's
 *     callback when order matters (felt-wsd deals the next hand only after
 *     the commit of the last one has answered anyway);
 *   - LISTEN channels are set up on connection 0 only (one notification,
 *     not n); on its state(up) re-read what the channels announce;
 *   - each connection has its own hooks (its own socket and timer): hooks
 *     is an array of n, hooks[i].ctx identifying connection i, and the loop
 *     calls dbloop_readable(dbpool_loop(pool, i)) and so on.
 * Everything else is dbloop's contract (dbloop.h): fail fast while no
 * connection is up, each callback exactly once.
 */
#ifndef FELT_DBPOOL_H
#define FELT_DBPOOL_H

#include "core/dbloop.h"

struct dbpool;

/*
 * dbpool_new — n connections (n <= 0: settings->pool_size, or its default;
 * at most 64) made as dbloop_new(conninfo, settings, app, stmts, ...) with
 * hooks[i] for connection i (hooks must hold n entries and outlive the
 * pool) and listen on connection 0 only.  Nothing connects until
 * dbpool_start.  Returns NULL on the errors of dbloop_new.  Free with
 * dbpool_free.
 */
struct dbpool *dbpool_new(int n, const char *conninfo,
			  const struct db_settings *settings, const char *app,
			  const struct db_stmt *stmts,
			  const char *const *listen,
			  const struct dbloop_hooks *hooks);

/* dbpool_size — how many connections the pool has (hooks it needs). */
int dbpool_size(const struct dbpool *pool);

/* dbpool_start — dbloop_start on every connection. */
void dbpool_start(struct dbpool *pool);

/* dbpool_free — dbloop_free on every connection (in-flight queries are
 * answered DB_ERR_CONNECT), then the pool.  NULL-safe. */
void dbpool_free(struct dbpool *pool);

/* dbpool_loop — connection i (0 <= i < dbpool_size), for dispatching the
 * loop's events to it; NULL when out of range. */
struct dbloop *dbpool_loop(struct dbpool *pool, int i);

/*
 * dbpool_query — dbloop_query on the up connection with the fewest queries
 * in flight.  Returns as dbloop_query: 0 (cb called exactly once, later),
 * DB_ERR_CONNECT (no connection up), DB_ERR_BUSY (every up connection is
 * full), DB_ERR_ARG.
 */
int dbpool_query(struct dbpool *pool, const char *stmt_name, int n,
		 const char *const *params, dbloop_cb cb, void *arg);

/* dbpool_up — how many connections are up. */
int dbpool_up(const struct dbpool *pool);

#endif
