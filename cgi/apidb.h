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
 */
#ifndef FELT_CGI_APIDB_H
#define FELT_CGI_APIDB_H

#include <libpq-fe.h>

struct apidb {
	const char *conninfo;   /* borrowed; NULL or "" means libpq defaults */
	PGconn *conn;           /* owned; NULL when not connected */
};

/* apidb_init: an unconnected handle for conninfo (borrowed). */
void apidb_init(struct apidb *db, const char *conninfo);

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
