/*
 * wsdb.c — a dbpool on the lws loop: descriptors, timers, state.
 */
#include "wsdb.h"

#include <stdlib.h>

#include "core/log.h"

struct wsdb_conn {
	struct wsdb *db;
	int i;
	struct loop_fd *fd;
	struct loop_timer timer;
};

struct wsdb {
	struct loop *loop;
	struct dbpool *pool;
	int n;
	struct wsdb_conn *conns;
	struct dbloop_hooks *hooks;
	struct wsdb_events ev;
	bool up;
};

static struct dbloop *conn_loop(struct wsdb_conn *k)
{
	return dbpool_loop(k->db->pool, k->i);
}

static void on_readable(void *arg)
{
	dbloop_readable(conn_loop(arg));
}

static void on_writable(void *arg)
{
	dbloop_writable(conn_loop(arg));
}

static const struct loop_fd_ops fd_ops = { on_readable, on_writable };

static void on_timer(void *arg)
{
	dbloop_timer(conn_loop(arg));
}

static void hook_watch(void *ctx, int old_fd, int new_fd)
{
	struct wsdb_conn *k = ctx;

	if (old_fd >= 0 || new_fd < 0) {
		loop_unwatch(k->fd);
		k->fd = NULL;
	}
	if (new_fd >= 0) {
		loop_unwatch(k->fd);
		k->fd = loop_watch(k->db->loop, new_fd, &fd_ops, k);
	}
}

static void hook_want_write(void *ctx, bool on)
{
	struct wsdb_conn *k = ctx;

	loop_want_write(k->fd, on);
}

static void hook_timer(void *ctx, int ms)
{
	struct wsdb_conn *k = ctx;

	if (ms < 0)
		loop_timer_cancel(&k->timer);
	else
		loop_timer_arm(&k->timer, ms);
}

static void hook_state(void *ctx, bool up)
{
	struct wsdb_conn *k = ctx;
	struct wsdb *db = k->db;
	bool any = dbpool_up(db->pool) > 0;

	/* Each connection logs its own loss and return, with the server's
	 * error (dbloop); the pool logs only when it is all gone or back. */
	if (any != db->up)
		log_event(any ? LOG_INFO : LOG_WARN, any ? "db_pool_up" : "db_pool_down",
			  "up=%d/%d", dbpool_up(db->pool), db->n);
	if (any != db->up || (up && k->i == 0)) {
		db->up = any;
		db->ev.state(db->ev.ctx, any);
	}
}

static void hook_notify(void *ctx, const char *channel, const char *payload)
{
	struct wsdb_conn *k = ctx;

	if (k->db->ev.notify)
		k->db->ev.notify(k->db->ev.ctx, channel, payload);
}

struct wsdb *wsdb_new(struct loop *l, const char *conninfo,
		      const struct db_settings *settings, const struct db_stmt *stmts,
		      const char *const *listen, const struct wsdb_events *ev)
{
	struct wsdb *db = calloc(1, sizeof(*db));
	int i, n = settings->pool_size > 0 ? settings->pool_size : 1;

	if (!db)
		return NULL;
	db->loop = l;
	db->ev = *ev;
	db->n = n;
	db->conns = calloc((size_t)n, sizeof(*db->conns));
	db->hooks = calloc((size_t)n, sizeof(*db->hooks));
	if (!db->conns || !db->hooks)
		goto fail;
	for (i = 0; i < n; i++) {
		db->conns[i].db = db;
		db->conns[i].i = i;
		loop_timer_init(&db->conns[i].timer, l, on_timer, &db->conns[i]);
		db->hooks[i] = (struct dbloop_hooks){
			.ctx = &db->conns[i],
			.watch = hook_watch,
			.want_write = hook_want_write,
			.timer = hook_timer,
			.state = hook_state,
			.notify = hook_notify,
		};
	}
	db->pool = dbpool_new(n, conninfo, settings, "felt-wsd", stmts, listen, db->hooks);
	if (!db->pool)
		goto fail;
	dbpool_start(db->pool);
	return db;
fail:
	free(db->conns);
	free(db->hooks);
	free(db);
	return NULL;
}

void wsdb_free(struct wsdb *db)
{
	int i;

	if (!db)
		return;
	dbpool_free(db->pool);
	for (i = 0; i < db->n; i++) {
		loop_timer_cancel(&db->conns[i].timer);
		loop_unwatch(db->conns[i].fd);
	}
	free(db->conns);
	free(db->hooks);
	free(db);
}

int wsdb_query(struct wsdb *db, const char *stmt_name, int n, const char *const *params,
	       dbloop_cb cb, void *arg)
{
	return dbpool_query(db->pool, stmt_name, n, params, cb, arg);
}

bool wsdb_up(const struct wsdb *db)
{
	return db->up;
}
