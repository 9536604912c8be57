/*
 * apidb.c — lazy connect and dead-connection detection for worker threads.
 */
#include "apidb.h"

#include <poll.h>
#include <stddef.h>

#include "core/db.h"

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
	int round;

	/* The goodbye usually comes as a FATAL message and then EOF; libpq
	 * marks the connection bad only when it reads the EOF, so keep
	 * reading while there is something (a few rounds at most). */
	for (round = 0; round < 4 && pfd.fd >= 0; round++) {
		PGnotify *n;

		if (poll(&pfd, 1, 0) <= 0 || !PQconsumeInput(c))
			return;
		while ((n = PQnotifies(c)) != NULL)
			PQfreemem(n);
		pfd.fd = PQsocket(c);
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
