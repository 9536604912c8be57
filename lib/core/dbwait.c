/* dbwait — bounded waits on a blocking connection; db_set_timeout,
 * db_connect_within and db_ping (db.h).  See dbwait.h for why. */
#include "core/dbwait.h"

#include <errno.h>
#include <libpq-events.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A connection's timeout, kept on the PGconn (libpq event data, freed
 * with it and kept across PQreset): no global state. */
struct wait_limits {
	int timeout_ms;
	bool timed_out;         /* shut down by the timeout */
};

static int limits_event(PGEventId id, void *info, void *pass)
{
	(void)pass;
	if (id == PGEVT_CONNDESTROY)
		free(PQinstanceData(((PGEventConnDestroy *)info)->conn, limits_event));
	return 1;
}

int db_set_timeout(PGconn *c, int timeout_ms)
{
	struct wait_limits *l;

	if (!c || timeout_ms < 0)
		return DB_ERR_ARG;
	l = PQinstanceData(c, limits_event);
	if (!l) {
		if (!PQregisterEventProc(c, limits_event, "felt_db_timeout", NULL) ||
		    !(l = calloc(1, sizeof *l)))
			return DB_ERR_ARG;
		if (!PQsetInstanceData(c, limits_event, l)) {
			free(l);
			return DB_ERR_ARG;
		}
	}
	l->timeout_ms = timeout_ms;
	return DB_OK;
}

int64_t dbwait_deadline(PGconn *c)
{
	struct wait_limits *l = c ? PQinstanceData(c, limits_event) : NULL;

	return l && l->timeout_ms > 0 ? now_ms() + l->timeout_ms : 0;
}

/* Wait for events on fd until deadline (0: none).  1 ready, 0 timed out. */
static int wait_fd(int fd, short events, int64_t deadline)
{
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = events };
		int ms = -1, rc;

		if (deadline) {
			int64_t left = deadline - now_ms();

			if (left <= 0)
				return 0;
			ms = left > 60000 ? 60000 : (int)left;
		}
		rc = poll(&pfd, 1, ms);
		if (rc > 0 || (rc < 0 && errno != EINTR))
			return 1; /* an error is libpq's to find and report */
		if (rc == 0 && deadline && now_ms() >= deadline)
			return 0;
	}
}

/* Copy libpq's message (which ends in, and may hold, newlines) as one line. */
static void one_line(char *dst, size_t cap, const char *src)
{
	size_t n = 0;

	for (; src && *src && n + 1 < cap; src++)
		dst[n++] = (*src == '\n' || *src == '\r' || *src == '\t') ? ' ' : *src;
	while (n > 0 && dst[n - 1] == ' ')
		n--;
	dst[n] = '\0';
}

static void timed_out(PGconn *c, struct db_err *err)
{
	struct wait_limits *l = PQinstanceData(c, limits_event);

	/* Whatever the server does later, this connection is done: libpq
	 * reads the EOF and marks it bad, so the owner replaces it. */
	if (l)
		l->timed_out = true;
	if (PQsocket(c) >= 0)
		shutdown(PQsocket(c), SHUT_RDWR);
	PQconsumeInput(c);
	if (err) {
		*err = (struct db_err){ .code = DB_ERR_CONNECT };
		snprintf(err->message, sizeof err->message,
			 "no answer from the database within %d ms",
			 l ? l->timeout_ms : 0);
	}
}

bool dbwait_input(PGconn *c, int64_t deadline, struct db_err *err)
{
	while (PQisBusy(c)) {
		if (!wait_fd(PQsocket(c), POLLIN, deadline)) {
			timed_out(c, err);
			return false;
		}
		if (!PQconsumeInput(c))
			return true; /* broken: PQgetResult reports it */
	}
	return true;
}

PGresult *dbwait_answer(PGconn *c, int64_t deadline, struct db_err *err,
			bool *late)
{
	PGresult *keep = NULL, *r;

	*late = false;
	for (;;) {
		if (!dbwait_input(c, deadline, err)) {
			*late = true;
			break;
		}
		r = PQgetResult(c);
		if (!r)
			return keep;
		if (keep && PQresultStatus(keep) == PGRES_FATAL_ERROR) {
			PQclear(r);
		} else {
			PQclear(keep);
			keep = r;
		}
		if (PQstatus(c) == CONNECTION_BAD)
			return keep;
	}
	/* Drain what libpq makes of the broken connection. */
	PQclear(keep);
	while ((r = PQgetResult(c)) != NULL)
		PQclear(r);
	return NULL;
}

PGconn *db_connect_within(const char *conninfo, int timeout_ms, struct db_err *err)
{
	int64_t deadline = timeout_ms > 0 ? now_ms() + timeout_ms : 0;
	PGconn *c = PQconnectStart(conninfo ? conninfo : "");
	PostgresPollingStatusType st = PGRES_POLLING_WRITING;
	struct db_err local;
	struct db_err *e = err ? err : &local;

	*e = (struct db_err){ .code = DB_ERR_CONNECT };
	if (!c) {
		snprintf(e->message, sizeof e->message, "out of memory");
		return NULL;
	}
	while (PQstatus(c) != CONNECTION_BAD && st != PGRES_POLLING_OK &&
	       st != PGRES_POLLING_FAILED) {
		if (!wait_fd(PQsocket(c), st == PGRES_POLLING_READING ? POLLIN : POLLOUT,
			     deadline)) {
			snprintf(e->message, sizeof e->message,
				 "no answer from the database within %d ms", timeout_ms);
			PQfinish(c);
			return NULL;
		}
		st = PQconnectPoll(c);
	}
	if (PQstatus(c) != CONNECTION_OK) {
		one_line(e->message, sizeof e->message, PQerrorMessage(c));
		PQfinish(c);
		return NULL;
	}
	db_log_notices(c);
	*e = (struct db_err){ 0 };
	return c;
}

int db_ping(PGconn *c, struct db_err *err)
{
	struct db_err local;
	struct db_err *e = err ? err : &local;
	PGresult *r;
	bool late;
	int rc;

	*e = (struct db_err){ .code = DB_ERR_CONNECT };
	if (!db_ok(c)) {
		snprintf(e->message, sizeof e->message, "not connected");
		return DB_ERR_CONNECT;
	}
	if (!PQsendQuery(c, "SELECT 1")) {
		snprintf(e->message, sizeof e->message, "could not send");
		return DB_ERR_CONNECT;
	}
	r = dbwait_answer(c, dbwait_deadline(c), e, &late);
	if (late)
		return DB_ERR_CONNECT;
	rc = r && PQresultStatus(r) == PGRES_TUPLES_OK ? DB_OK : DB_ERR_CONNECT;
	if (rc != DB_OK)
		one_line(e->message, sizeof e->message,
			 r ? PQresultErrorMessage(r) : PQerrorMessage(c));
	else
		*e = (struct db_err){ 0 };
	PQclear(r);
	return rc;
}

void db_broken_reason(PGconn *c, char *buf, size_t size)
{
	struct wait_limits *l = c ? PQinstanceData(c, limits_event) : NULL;

	if (l && l->timed_out)
		snprintf(buf, size, "no answer from the database within %d ms",
			 l->timeout_ms);
	else
		one_line(buf, size, c ? PQerrorMessage(c) : "not connected");
}
