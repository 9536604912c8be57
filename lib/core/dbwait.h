/*
 * dbwait — inside lib/core only: how the blocking half (db.c, dbstmt.c)
 * waits for the server under a connection's timeout (db_set_timeout in
 * db.h).  Programs use db.h, never this header.
 *
 * A blocking libpq call waits for an answer forever, and a frozen server
 * (SIGSTOP, a hung host, a VM paused) answers nothing while breaking no TCP
 * rule: its own statement_timeout cannot fire and keepalives are answered
 * by its kernel.  So the answer is awaited with poll() against a deadline,
 * and when the deadline passes the socket is shut down: libpq then reports
 * the connection bad (db_ok false), and the caller replaces it.
 *
 * Sending stays libpq's blocking send: at most one exchange is in flight
 * on a connection and a timed-out one is never used again, so the
 * server's receive buffer never fills under a message of felt's size.
 */
#ifndef FELT_DBWAIT_H
#define FELT_DBWAIT_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/db.h"

/* dbwait_deadline — CLOCK_MONOTONIC ms by which c must have answered what
 * is sent now, or 0 when c has no timeout. */
int64_t dbwait_deadline(PGconn *c);

/*
 * dbwait_input — wait until a PQgetResult on c would not block, or until
 * deadline (0: no limit).  Returns true; false when the deadline passed:
 * c has then been shut down (bad from now on) and err (may be NULL) says
 * DB_ERR_CONNECT, "no answer from the database within N ms".
 */
bool dbwait_input(PGconn *c, int64_t deadline, struct db_err *err);

/*
 * dbwait_answer — collect the answer to the one command just sent on c
 * (PQsend*), as PQexec would: the first error result if any, else the
 * last result; NULL when c broke or the deadline passed (err filled with
 * DB_ERR_CONNECT for a timeout; otherwise left for the caller, who
 * inspects c).  The caller PQclears the result.
 */
PGresult *dbwait_answer(PGconn *c, int64_t deadline, struct db_err *err,
			bool *timed_out);

#endif
