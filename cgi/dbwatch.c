/*
 * dbwatch.c — the database watcher thread (see dbwatch.h).
 */
#include "dbwatch.h"

#include <time.h>

#include "core/db.h"

static void *watch_main(void *arg)
{
	struct dbwatch *w = arg;
	PGconn *c = NULL;

	pthread_mutex_lock(&w->lock);
	while (!w->stop) {
		struct db_err err;
		struct timespec until;

		pthread_mutex_unlock(&w->lock);
		if (!db_ok(c)) {
			db_close(c);
			c = db_connect_within(w->conninfo, w->timeout_ms, &err);
			if (c)
				db_set_timeout(c, w->timeout_ms);
		}
		if (c && db_ping(c, &err) == DB_OK)
			dbhealth_ok(w->health);
		else
			dbhealth_failed(w->health, err.message);
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += w->interval_ms / 1000;
		until.tv_nsec += (long)(w->interval_ms % 1000) * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_mutex_lock(&w->lock);
		while (!w->stop &&
		       pthread_cond_timedwait(&w->wake, &w->lock, &until) == 0)
			;
	}
	pthread_mutex_unlock(&w->lock);
	db_close(c);
	return NULL;
}

int dbwatch_start(struct dbwatch *w, const char *conninfo,
		  struct dbhealth *health, int timeout_ms, int interval_ms)
{
	int rc;

	w->conninfo = conninfo;
	w->health = health;
	w->timeout_ms = timeout_ms;
	w->interval_ms = interval_ms > 0 ? interval_ms : 1;
	w->stop = false;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->wake, NULL);
	rc = pthread_create(&w->thread, NULL, watch_main, w);
	w->started = rc == 0;
	return rc;
}

void dbwatch_stop(struct dbwatch *w)
{
	if (!w->started)
		return;
	pthread_mutex_lock(&w->lock);
	w->stop = true;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	w->started = false;
	pthread_cond_destroy(&w->wake);
	pthread_mutex_destroy(&w->lock);
}
