/*
 * apidb.c — lazy connect and dead-connection detection for worker threads.
 */
#include "apidb.h"

#include <poll.h>
#include <stddef.h>

#include "core/db.h"
#include "core/dbhealth.h"
#include "core/log.h"
#include "queries.h"

void apidb_init(struct apidb *db, const char *conninfo)
{
	db->conninfo = conninfo ? conninfo : "";
	db->conn = NULL;
	db->health = NULL;
	db->connect_ms = 0;
	db->timeout_ms = 0;
}

void apidb_guard(struct apidb *db, struct dbhealth *health, int connect_ms,
		 int timeout_ms)
{
	db->health = health;
	db->connect_ms = connect_ms;
	db->timeout_ms = timeout_ms;
}

void apidb_release(struct apidb *db)
{
	char why[256];

	if (!db->conn || db_ok(db->conn))
		return;
	db_broken_reason(db->conn, why, sizeof why);
	if (db->health)
		dbhealth_failed(db->health, why);
	apidb_close(db);
}

void apidb_close(struct apidb *db)
{
	db_close(db->conn);
	db->conn = NULL;
}

/*
 * felt-api never LISTENs (it only NOTIFYs, through pg_notify in its
 * transactions; felt-wsd is the listener), so the server has no
 * notification to send on its connections. One that arrives all the same
 * means something LISTENed on a worker's connection: say so instead of
 * letting libpq pile it up or dropping it unseen.
 */
static void report_notifications(PGconn *c)
{
	PGnotify *n;
	char q[160];

	while ((n = PQnotifies(c)) != NULL) {
		log_event(LOG_WARN, "unexpected_notification", "channel=%s",
			  log_quote(n->relname, q, sizeof(q)));
		PQfreemem(n);
	}
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
		if (poll(&pfd, 1, 0) <= 0 || !PQconsumeInput(c))
			return;
		report_notifications(c);
		pfd.fd = PQsocket(c);
	}
}

PGconn *apidb_get(struct apidb *db)
{
	struct db_err err;

	/* While the database is known not to answer, do not wait for it
	 * again here (not even on a connection that looks fine: a frozen
	 * server's do): the watcher finds out when it is back. */
	if (db->health && !dbhealth_is_up(db->health))
		return NULL;
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
	db->conn = db_connect_within(db->conninfo, db->connect_ms, &err);
	if (!db->conn) {
		if (db->health)
			dbhealth_failed(db->health, err.message);
		return NULL;
	}
	db_set_timeout(db->conn, db->timeout_ms);
	/* Every statement of felt-api, in one round trip; one that fails
	 * (logged) is tried again when used, and fails alone. */
	if (db_prepare_all(db->conn, queries, NULL) == DB_ERR_CONNECT)
		apidb_release(db);
	return db->conn;
}
