/*
 * apidb.c — lazy connect and dead-connection detection for worker threads.
 */
#include "apidb.h"

#include <poll.h>
#include <stddef.h>

#include "db.h"

void apidb_init(struct apidb *db, const char *conninfo)
{
	db->conninfo = conninfo ? conninfo : "";
	db->conn = NULL;
}

void apidb_close(struct apidb *db)
{
	db_close(db->conn);
	db->conn = NULL;
}

/*
 * An idle connection has nothing to read. If the socket is readable, the
 * server has said something (usually "terminating connection" then EOF);
 * let libpq consume it so PQstatus reflects reality.
 */
static void check_idle(PGconn *c)
{
	struct pollfd pfd = { .fd = PQsocket(c), .events = POLLIN };

	if (pfd.fd < 0)
		return;
	if (poll(&pfd, 1, 0) > 0) {
		PGnotify *n;

		PQconsumeInput(c);
		while ((n = PQnotifies(c)) != NULL)
			PQfreemem(n);
	}
}

PGconn *apidb_get(struct apidb *db)
{
	if (db->conn) {
		PGTransactionStatusType ts;

		check_idle(db->conn);
		ts = PQtransactionStatus(db->conn);
		/* A handler that bailed out mid-transaction must not leak
		 * it into the next request. */
		if (db_ok(db->conn) &&
		    (ts == PQTRANS_INTRANS || ts == PQTRANS_INERROR))
			db_rollback(db->conn);
		if (db_ok(db->conn) &&
		    PQtransactionStatus(db->conn) == PQTRANS_IDLE)
			return db->conn;
		apidb_close(db);
	}
	db->conn = db_connect(db->conninfo, 1, 0);
	return db->conn;
}
