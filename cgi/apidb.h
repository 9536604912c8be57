/*
 * apidb.h — one worker thread's PostgreSQL connection, kept healthy.
 *
 * felt-api must survive PostgreSQL restarts without being restarted itself.
 * A connection is made on first use, and before each use an idle
 * connection is checked without a round trip: if the server has closed it
 * (restart, idle kill), the socket is readable with EOF or a FATAL notice,
 * which libpq then reports as CONNECTION_BAD, and the connection is made
 * again. A connection that failed during a query is also replaced on the
 * next use. No query is ever re-sent automatically: a write might have
 * committed.
 *
 * Guarded (apidb_guard, what felt-api's threads do): connecting gives up
 * after connect_ms, every statement waits at most timeout_ms for its
 * answer (db_set_timeout: a frozen server answers nothing), and the
 * process-wide struct dbhealth is told about every connection that breaks
 * or cannot be made. While that state is down, apidb_get answers NULL at
 * once, without trying: workers then answer 503 immediately instead of
 * each waiting out a timeout, and the watcher (dbwatch.h) brings the state
 * back up when the database answers again.
 */
#ifndef FELT_CGI_APIDB_H
#define FELT_CGI_APIDB_H

#include <libpq-fe.h>

struct dbhealth;

struct apidb {
	const char *conninfo;   /* borrowed; NULL or "" means libpq defaults */
	PGconn *conn;           /* owned; NULL when not connected */
	struct dbhealth *health;  /* borrowed, may be NULL (unguarded) */
	int connect_ms;         /* 0: libpq's connect_timeout only */
	int timeout_ms;         /* per statement; 0: none */
};

/* apidb_init: an unconnected, unguarded handle for conninfo (borrowed). */
void apidb_init(struct apidb *db, const char *conninfo);

/*
 * apidb_guard: bound db's connects (connect_ms) and statements
 * (timeout_ms), and share the database's state with health (borrowed;
 * NULL: no breaker). Call before the first apidb_get.
 */
void apidb_guard(struct apidb *db, struct dbhealth *health, int connect_ms,
		 int timeout_ms);

/*
 * apidb_release: after a request (or a heartbeat) is done with the
 * connection: one that broke meanwhile (lost, or shut down by its timeout)
 * is reported to the health state with the reason and closed.
 */
void apidb_release(struct apidb *db);

/*
 * apidb_get: a connection believed to be up, connecting or reconnecting
 * first when needed (one attempt, no sleeping: a request must not hang on
 * a dead database) and then preparing felt-api's statements (queries.h).
 * Returns NULL when PostgreSQL is unreachable. The connection stays owned
 * by db.
 */
PGconn *apidb_get(struct apidb *db);

/* apidb_close: close the connection, if any. db may be used again. */
void apidb_close(struct apidb *db);

#endif
