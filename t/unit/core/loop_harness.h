/*
 * loop_harness — a plain poll() event loop for the dbloop/dbpool tests: the
 * hooks record what dbloop asks for (socket, write interest, timer, state,
 * notifications) and loop_run_until() serves it until a condition holds.
 *
 * Every wait is bounded (LOOP_MAX_WAIT_MS): a condition that never comes
 * fails the test instead of hanging it; nothing passes by waiting a fixed
 * time.  Header-only: static helpers.
 */
#ifndef FELT_LOOP_HARNESS_H
#define FELT_LOOP_HARNESS_H

#include <check.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "core/dbloop.h"

#define LOOP_MAX_WAIT_MS 20000
#define LOOP_MAX 8
#define LOOP_NOTES 16

/* What one connection asked of the loop. */
struct loop_conn {
	struct dbloop *db;
	int fd;
	ino_t fd_id;      /* which socket fd was when watched (its inode) */
	bool want_write;
	int64_t timer_at; /* monotonic ms, or -1 */
	int ups, downs;
	bool up;
	int watch_calls;
	int notes;        /* notifications received */
	char note_channel[LOOP_NOTES][64];
	char note_payload[LOOP_NOTES][64];
};

static inline int64_t loop_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static inline ino_t loop_socket_id(int fd)
{
	struct stat st;

	return fd >= 0 && fstat(fd, &st) == 0 ? st.st_ino : 0;
}

static inline void loop_watch(void *ctx, int old_fd, int new_fd)
{
	struct loop_conn *lc = ctx;

	ck_assert_int_eq(old_fd, lc->fd);
	lc->fd = new_fd;
	lc->fd_id = loop_socket_id(new_fd);
	lc->want_write = false;
	lc->watch_calls++;
}

static inline void loop_want_write(void *ctx, bool on)
{
	struct loop_conn *lc = ctx;

	ck_assert_int_ge(lc->fd, 0);
	lc->want_write = on;
}

static inline void loop_timer(void *ctx, int ms)
{
	struct loop_conn *lc = ctx;

	lc->timer_at = ms < 0 ? -1 : loop_now_ms() + ms;
}

static inline void loop_state(void *ctx, bool up)
{
	struct loop_conn *lc = ctx;

	ck_assert(up != lc->up); /* alternates: up, down, up... */
	lc->up = up;
	if (up)
		lc->ups++;
	else
		lc->downs++;
}

static inline void loop_notify(void *ctx, const char *channel, const char *payload)
{
	struct loop_conn *lc = ctx;

	if (lc->notes < LOOP_NOTES) {
		snprintf(lc->note_channel[lc->notes], 64, "%s", channel);
		snprintf(lc->note_payload[lc->notes], 64, "%s", payload);
	}
	lc->notes++;
}

/* Hooks whose ctx is lc. */
static inline struct dbloop_hooks loop_hooks(struct loop_conn *lc)
{
	memset(lc, 0, sizeof *lc);
	lc->fd = -1;
	lc->timer_at = -1;
	return (struct dbloop_hooks){
		.ctx = lc, .watch = loop_watch, .want_write = loop_want_write,
		.timer = loop_timer, .state = loop_state, .notify = loop_notify,
	};
}

/* One round of the loop over conns (n of them): wait at most max_ms for a
 * socket or a timer, then dispatch what is ready. */
static inline void loop_once(struct loop_conn **conns, int n, int max_ms)
{
	struct pollfd p[LOOP_MAX];
	int64_t now = loop_now_ms();
	int wait = max_ms;

	for (int i = 0; i < n; i++) {
		/* A loop watching a dup() would miss a socket swapped behind
		 * the same number: dbloop must have said so. */
		ck_assert_msg(conns[i]->fd < 0 || loop_socket_id(conns[i]->fd) == conns[i]->fd_id,
			      "socket %d replaced without a watch call", conns[i]->fd);
		p[i] = (struct pollfd){.fd = conns[i]->fd,
				       .events = (short)(POLLIN | (conns[i]->want_write ? POLLOUT : 0))};
		if (conns[i]->timer_at >= 0) {
			int64_t d = conns[i]->timer_at - now;

			if (d < wait)
				wait = d < 0 ? 0 : (int)d;
		}
	}
	poll(p, (nfds_t)n, wait);
	for (int i = 0; i < n; i++) {
		struct loop_conn *lc = conns[i];

		/* The fd may have changed during an earlier dispatch. */
		if (p[i].fd >= 0 && p[i].fd == lc->fd && p[i].revents) {
			if (p[i].revents & (POLLIN | POLLERR | POLLHUP))
				dbloop_readable(lc->db);
			if ((p[i].revents & POLLOUT) && lc->fd == p[i].fd && lc->want_write)
				dbloop_writable(lc->db);
		}
		if (lc->timer_at >= 0 && loop_now_ms() >= lc->timer_at) {
			lc->timer_at = -1;
			dbloop_timer(lc->db);
		}
	}
}

/* What a query's callback saw (loop_on_answer). */
struct loop_answer {
	int calls;
	int order;        /* position among all answers since loop_answered = 0 */
	int code;         /* 0 or the db_error */
	char sqlstate[6];
	char value[64];   /* row 0, column 0 */
	char last[64];    /* row 0, last column */
};

static int loop_answered;

/* A dbloop_cb recording into the struct loop_answer arg. */
static inline void loop_on_answer(void *arg, const PGresult *res, const struct db_err *err)
{
	struct loop_answer *a = arg;

	a->calls++;
	a->order = ++loop_answered;
	a->code = err ? err->code : 0;
	if (err) {
		snprintf(a->sqlstate, sizeof a->sqlstate, "%s", err->sqlstate);
		ck_assert_int_ne(err->code, 0);
	} else {
		ck_assert_ptr_nonnull(res);
		if (PQntuples(res) > 0 && PQnfields(res) > 0) {
			snprintf(a->value, sizeof a->value, "%s", PQgetvalue(res, 0, 0));
			snprintf(a->last, sizeof a->last, "%s",
				 PQgetvalue(res, 0, PQnfields(res) - 1));
		}
	}
}

/* For loop_all_answered: n answers. */
struct loop_answers {
	struct loop_answer *a;
	int n;
};

static inline bool loop_all_answered(void *arg)
{
	struct loop_answers *w = arg;

	for (int i = 0; i < w->n; i++)
		if (w->a[i].calls == 0)
			return false;
	return true;
}

/* Run the loop until cond(arg) is true; fails the test after
 * LOOP_MAX_WAIT_MS.  Returns the milliseconds it took. */
static inline int64_t loop_run_until(struct loop_conn **conns, int n,
				     bool (*cond)(void *), void *arg)
{
	int64_t start = loop_now_ms();

	while (!cond(arg)) {
		ck_assert_msg(loop_now_ms() - start < LOOP_MAX_WAIT_MS,
			      "condition not reached within %d ms", LOOP_MAX_WAIT_MS);
		loop_once(conns, n, 100);
	}
	return loop_now_ms() - start;
}

#endif
