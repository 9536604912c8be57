/*
 * bench_dbpool — committed transactions per second through dbpool with 1,
 * 2, 4, 8 and 16 connections (make bench; needs FELT_BENCH_DB or FELT_DB, a
 * database where the role may create a schema; skipped without either).
 *
 * Each query is one INSERT, its own transaction (dbloop syncs after every
 * query), with up to DEPTH of them in flight, driven from a plain poll()
 * loop as felt-wsd drives its pool.  With synchronous_commit on, every
 * COMMIT waits for its WAL flush and one backend commits one transaction
 * at a time, so one connection is bounded by the flush latency however
 * deep its pipeline is; several connections let the server flush their
 * commits together.  The same run with synchronous_commit=off is the
 * ceiling.  One machine-readable line per case:
 *   bench_dbpool conns=<n> sync=<on|off> commits=<n> seconds=<s> commits_per_s=<r>
 */
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/db.h"
#include "core/dbpool.h"
#include "core/log.h"

#define COMMITS 4000
#define DEPTH 256
#define MAX_CONNS 16

struct conn {
	struct dbpool **pool;
	int i;
	int fd;
	bool want_write;
	double timer_at; /* seconds, or < 0 */
};

static int sent, done, failed;

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void h_watch(void *ctx, int old_fd, int new_fd)
{
	struct conn *c = ctx;

	(void)old_fd;
	c->fd = new_fd;
	c->want_write = false;
}

static void h_write(void *ctx, bool on)
{
	((struct conn *)ctx)->want_write = on;
}

static void h_timer(void *ctx, int ms)
{
	((struct conn *)ctx)->timer_at = ms < 0 ? -1 : now() + ms / 1000.0;
}

static void h_state(void *ctx, bool up)
{
	(void)ctx;
	(void)up;
}

static void on_commit(void *arg, const PGresult *res, const struct db_err *err)
{
	(void)arg;
	(void)res;
	done++;
	failed += err != NULL;
}

static const struct db_stmt stmts[] = {
	{"bench_insert", "INSERT INTO bench_dbpool (payload) VALUES ($1)", 1},
	{NULL, NULL, 0},
};

/* One poll round over the pool's sockets and timers. */
static void loop_once(struct dbpool *pool, struct conn *cs, int n)
{
	struct pollfd p[MAX_CONNS];
	double t = now();
	int wait = 100;

	for (int i = 0; i < n; i++) {
		p[i] = (struct pollfd){.fd = cs[i].fd,
				       .events = (short)(POLLIN | (cs[i].want_write ? POLLOUT : 0))};
		if (cs[i].timer_at >= 0 && (cs[i].timer_at - t) * 1000 < wait)
			wait = cs[i].timer_at <= t ? 0 : (int)((cs[i].timer_at - t) * 1000);
	}
	poll(p, (nfds_t)n, wait);
	for (int i = 0; i < n; i++) {
		struct dbloop *db = dbpool_loop(pool, i);

		if (p[i].fd >= 0 && p[i].fd == cs[i].fd && (p[i].revents & (POLLIN | POLLERR | POLLHUP)))
			dbloop_readable(db);
		if (p[i].fd >= 0 && p[i].fd == cs[i].fd && (p[i].revents & POLLOUT) && cs[i].want_write)
			dbloop_writable(db);
		if (cs[i].timer_at >= 0 && now() >= cs[i].timer_at) {
			cs[i].timer_at = -1;
			dbloop_timer(db);
		}
	}
}

/* Commits per second with n connections; -1 when they never came up. */
static double run(const char *conninfo, int n)
{
	struct conn cs[MAX_CONNS];
	struct dbloop_hooks hooks[MAX_CONNS];
	struct dbpool *pool;
	double start, deadline;
	const char *p[1] = {"a hand's worth of payload"};

	for (int i = 0; i < n; i++) {
		cs[i] = (struct conn){.i = i, .fd = -1, .timer_at = -1};
		hooks[i] = (struct dbloop_hooks){.ctx = &cs[i], .watch = h_watch,
						 .want_write = h_write, .timer = h_timer,
						 .state = h_state};
	}
	pool = dbpool_new(n, conninfo, NULL, "bench_dbpool", stmts, NULL, hooks);
	if (!pool)
		return -1;
	dbpool_start(pool);
	deadline = now() + 10;
	while (dbpool_up(pool) < n && now() < deadline)
		loop_once(pool, cs, n);
	if (dbpool_up(pool) < n) {
		dbpool_free(pool);
		return -1;
	}
	sent = done = failed = 0;
	start = now();
	while (done < COMMITS) {
		while (sent < COMMITS && sent - done < DEPTH &&
		       dbpool_query(pool, "bench_insert", 1, p, on_commit, NULL) == 0)
			sent++;
		loop_once(pool, cs, n);
	}
	start = now() - start;
	dbpool_free(pool);
	return failed ? -1 : COMMITS / start;
}

/* base (keyword conninfo or URI) with search_path and synchronous_commit;
 * a later options keyword replaces base's own. */
static char *conninfo_with(const char *base, const char *schema, bool sync)
{
	char *keywords = db_conninfo(base, NULL, NULL, NULL), *out;
	char opt[256];
	size_t len;

	if (!keywords)
		return NULL;
	snprintf(opt, sizeof opt, " options='-c search_path=%s -c synchronous_commit=%s'",
		 schema, sync ? "on" : "off");
	len = strlen(keywords) + strlen(opt) + 1;
	out = malloc(len);
	if (out)
		snprintf(out, len, "%s%s", keywords, opt);
	free(keywords);
	return out;
}

int main(void)
{
	const char *base = getenv("FELT_BENCH_DB");
	static const int sizes[] = {1, 2, 4, 8, 16};
	char schema[64], sql[256];
	PGconn *admin;
	int rc = 0;

	if (!base || !*base)
		base = getenv("FELT_DB");
	if (!base || !*base) {
		printf("bench_dbpool skipped: set FELT_BENCH_DB or FELT_DB to run it\n");
		return 0;
	}
	log_set_level(LOG_ERROR);
	admin = db_connect(base, 1, 0);
	if (!admin)
		return 1;
	/* The schema name is built from the pid, never from input. */
	snprintf(schema, sizeof schema, "felt_bench_%ld", (long)getpid());
	snprintf(sql, sizeof sql, "CREATE SCHEMA %s; CREATE TABLE %s.bench_dbpool"
		 " (id bigserial PRIMARY KEY, payload text)", schema, schema);
	PQclear(PQexec(admin, sql));
	for (int s = 1; s >= 0; s--)
		for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
			char *ci = conninfo_with(base, schema, s);
			double r = ci ? run(ci, sizes[k]) : -1;

			free(ci);
			if (r < 0) {
				fprintf(stderr, "bench_dbpool: conns=%d failed\n", sizes[k]);
				rc = 1;
				continue;
			}
			printf("bench_dbpool conns=%d sync=%s commits=%d seconds=%.3f commits_per_s=%.0f\n",
			       sizes[k], s ? "on" : "off", COMMITS, COMMITS / r, r);
		}
	snprintf(sql, sizeof sql, "DROP SCHEMA %s CASCADE", schema);
	PQclear(PQexec(admin, sql));
	db_close(admin);
	return rc;
}
