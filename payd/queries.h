/*
 * queries.h — every SQL statement felt-payd runs, in one place: the table
 * payd_queries[] (lib/money/payments' statements included), prepared on
 * each connection right after it is made (db_prepare_all), run by name
 * with db_exec_prepared.  LISTEN cannot be prepared: it is the one text
 * run as it is.  Values always travel as parameters.
 */
#ifndef FELT_PAYD_QUERIES_H
#define FELT_PAYD_QUERIES_H

#include "core/db.h"

/* The table, NULL-name terminated. */
extern const struct db_stmt payd_queries[];

/* The sender lock (session advisory lock): one row, true when held. */
#define QUERIES_LOCK "payd_lock"

/* Heartbeat: $1 instance, $2 pid, $3 stats (jsonb text). */
#define QUERIES_HEARTBEAT "payd_heartbeat"

/* Wake-ups: felt-api's deposit_submit/withdrawal_request NOTIFY felt_payd. */
extern const char queries_listen[];

#endif
