/*
 * queries.h — the SQL felt-payd runs itself (deposits and withdrawals go
 * through lib/money/payments, which holds theirs).  Values always travel
 * as parameters; the texts are constants.
 */
#ifndef FELT_PAYD_QUERIES_H
#define FELT_PAYD_QUERIES_H

/* Session set-up: every statement bounded (a hung database must not hang
 * felt-payd forever). */
extern const char queries_session[];

/* Wake-ups: felt-api's deposit_submit/withdrawal_request NOTIFY felt_payd. */
extern const char queries_listen[];

/* The sender lock (session advisory lock): one row, true when held. */
extern const char queries_lock[];

/* Heartbeat: $1 instance, $2 pid, $3 stats (jsonb text). */
extern const char queries_heartbeat[];

#endif
