/*
 * dbwatch.h — felt-api's database watcher: one thread that keeps asking
 * PostgreSQL "SELECT 1" on a connection of its own, every interval, each
 * try (connect and ping) bounded by a timeout, and tells the process-wide
 * struct dbhealth what it finds.
 *
 * It is what /health/ready reports (without ever touching the database on
 * the request's path), and the other half of the breaker: while the state
 * is down, worker threads do not try the database at all (apidb.h), so it
 * is the watcher's success that lets them back in.
 */
#ifndef FELT_CGI_DBWATCH_H
#define FELT_CGI_DBWATCH_H

#include <pthread.h>
#include <stdbool.h>

#include "core/dbhealth.h"

struct dbwatch {
	const char *conninfo;     /* borrowed */
	struct dbhealth *health;  /* borrowed */
	int timeout_ms;           /* bound of one connect and one ping */
	int interval_ms;          /* between two tries */
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool stop;
	bool started;
};

/*
 * dbwatch_start: start watching conninfo (both it and health are
 * borrowed and must outlive the watcher), trying every interval_ms, each
 * connect and ping bounded by timeout_ms. Returns 0 or an errno value.
 */
int dbwatch_start(struct dbwatch *w, const char *conninfo,
		  struct dbhealth *health, int timeout_ms, int interval_ms);

/* dbwatch_stop: stop the thread (within one timeout) and wait for it. */
void dbwatch_stop(struct dbwatch *w);

#endif
