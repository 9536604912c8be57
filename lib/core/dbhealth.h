/*
 * dbhealth — whether a program's database answers, as its threads find
 * out, and the log of it: one line when it stops answering, one when it
 * answers again (how many failures in between, for how long), never one
 * line per failed attempt.  A 10 s outage under load used to write tens of
 * thousands of identical db_connect_failed lines.
 *
 * The state doubles as a circuit breaker: while it is down, request
 * threads answer 503 at once instead of each waiting out a connect or a
 * query timeout on a database that does not answer; one watcher (felt-api:
 * cgi/dbwatch.c) keeps probing and says when it is back.
 *
 * Thread-safe (one mutex); the struct is owned by the program (main.c) and
 * shared by pointer.  Times are CLOCK_MONOTONIC milliseconds.
 */
#ifndef FELT_DBHEALTH_H
#define FELT_DBHEALTH_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

struct dbhealth {
	pthread_mutex_t lock;
	bool down;
	int64_t failures;       /* failures since it went down */
	int64_t down_since_ms;
	int64_t last_ok_ms;     /* 0: never */
};

/* dbhealth_init — up (nothing known against it yet), never seen ok. */
void dbhealth_init(struct dbhealth *h);

/* dbhealth_destroy — release the mutex. */
void dbhealth_destroy(struct dbhealth *h);

/*
 * dbhealth_failed — an attempt failed for reason (one line, may be NULL).
 * The first failure after being up logs event=db_down (warn) with it;
 * later ones are only counted.
 */
void dbhealth_failed(struct dbhealth *h, const char *reason);

/*
 * dbhealth_ok — the database answered.  After being down, logs
 * event=db_up (info) with failures=N and down_ms.
 */
void dbhealth_ok(struct dbhealth *h);

/* dbhealth_is_up — false between a failure and the next success. */
bool dbhealth_is_up(struct dbhealth *h);

/* dbhealth_ok_age_ms — milliseconds since the last success, or -1 when
 * there was none. */
int64_t dbhealth_ok_age_ms(struct dbhealth *h);

#endif
