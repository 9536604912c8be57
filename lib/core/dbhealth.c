/* dbhealth — shared up/down state of a database, logged per change.
 * See dbhealth.h. */
#include "core/dbhealth.h"

#include <inttypes.h>
#include <time.h>

#include "core/log.h"

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void dbhealth_init(struct dbhealth *h)
{
	pthread_mutex_init(&h->lock, NULL);
	h->down = false;
	h->failures = 0;
	h->down_since_ms = 0;
	h->last_ok_ms = 0;
}

void dbhealth_destroy(struct dbhealth *h)
{
	pthread_mutex_destroy(&h->lock);
}

void dbhealth_failed(struct dbhealth *h, const char *reason)
{
	bool changed;
	char q[300];

	pthread_mutex_lock(&h->lock);
	changed = !h->down;
	if (changed) {
		h->down = true;
		h->failures = 0;
		h->down_since_ms = now_ms();
	}
	h->failures++;
	pthread_mutex_unlock(&h->lock);
	if (changed)
		log_event(LOG_WARN, "db_down", "error=%s",
			  log_quote(reason ? reason : "-", q, sizeof q));
}

void dbhealth_ok(struct dbhealth *h)
{
	int64_t now = now_ms(), failures = 0, down_ms = 0;
	bool changed;

	pthread_mutex_lock(&h->lock);
	changed = h->down;
	if (changed) {
		failures = h->failures;
		down_ms = now - h->down_since_ms;
		h->down = false;
	}
	h->last_ok_ms = now;
	pthread_mutex_unlock(&h->lock);
	if (changed)
		log_event(LOG_INFO, "db_up", "failures=%" PRId64 " down_ms=%" PRId64,
			  failures, down_ms);
}

bool dbhealth_is_up(struct dbhealth *h)
{
	bool up;

	pthread_mutex_lock(&h->lock);
	up = !h->down;
	pthread_mutex_unlock(&h->lock);
	return up;
}

int64_t dbhealth_ok_age_ms(struct dbhealth *h)
{
	int64_t last;

	pthread_mutex_lock(&h->lock);
	last = h->last_ok_ms;
	pthread_mutex_unlock(&h->lock);
	return last ? now_ms() - last : -1;
}
