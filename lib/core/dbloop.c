/* dbloop — one non-blocking PostgreSQL connection on the caller's event
 * loop: connect, pipeline, callbacks, notifications, reconnect.  See
 * dbloop.h. */
#include "core/dbloop_int.h"

#include "core/log.h"

#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void dbloop_item_free(struct dbloop_item *it)
{
	PQclear(it->res);
	free(it);
}

void dbloop_push(struct dbloop *db, struct dbloop_item *it)
{
	if (!db->head)
		db->progress_at = dbloop_now_ms();
	it->next = NULL;
	if (db->tail)
		db->tail->next = it;
	else
		db->head = it;
	db->tail = it;
	if (it->kind == IT_QUERY)
		db->inflight++;
}

static struct dbloop_item *pop(struct dbloop *db)
{
	struct dbloop_item *it = db->head;

	db->head = it->next;
	if (!db->head)
		db->tail = NULL;
	if (it->kind == IT_QUERY)
		db->inflight--;
	db->progress_at = dbloop_now_ms();
	return it;
}

void dbloop_fail_all(struct dbloop_item *list, const char *why)
{
	while (list) {
		struct dbloop_item *next = list->next;

		if (list->kind == IT_QUERY) {
			struct db_err err = {.code = DB_ERR_CONNECT};

			snprintf(err.message, sizeof err.message, "%s", why);
			list->cb(list->arg, NULL, &err);
		}
		dbloop_item_free(list);
		list = next;
	}
}

struct dbloop_item *dbloop_item_new(enum dbloop_item_kind kind, int stmt, bool synced)
{
	struct dbloop_item *it = calloc(1, sizeof *it);

	if (it) {
		it->kind = kind;
		it->stmt = stmt;
		it->synced = synced;
	}
	return it;
}

/* Keep the first error, else the first result. */
static void keep(struct dbloop_item *it, PGresult *r)
{
	ExecStatusType st = PQresultStatus(r);
	bool is_error = st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK;
	bool kept_ok = it->res && (PQresultStatus(it->res) == PGRES_TUPLES_OK ||
				   PQresultStatus(it->res) == PGRES_COMMAND_OK);

	it->got_result = true;
	if (!it->res || (is_error && kept_ok)) {
		PQclear(it->res);
		it->res = r;
	} else {
		PQclear(r);
	}
}

static bool result_ok(const PGresult *r)
{
	return r && (PQresultStatus(r) == PGRES_TUPLES_OK ||
		     PQresultStatus(r) == PGRES_COMMAND_OK);
}

static void complete_query(struct dbloop *db, struct dbloop_item *it)
{
	struct db_err err;

	if (result_ok(it->res)) {
		it->cb(it->arg, it->res, NULL);
		return;
	}
	if (it->prep_failed) {
		err = it->prep_err;
	} else if (it->res && PQresultStatus(it->res) == PGRES_PIPELINE_ABORTED) {
		err = (struct db_err){.code = DB_ERR_QUERY};
		snprintf(err.message, sizeof err.message, "%s: not run, the pipeline was aborted",
			 db->stmts[it->stmt].name);
	} else {
		db_result_error(db->conn, it->res, db->stmts[it->stmt].name, &err);
	}
	it->cb(it->arg, it->res, &err);
}

static void setup_step_done(struct dbloop *db)
{
	if (db->st == ST_SETUP && --db->setup_left == 0)
		dbloop_become_up(db);
}

/* it (already popped) is answered: tell whoever waits. */
static void complete(struct dbloop *db, struct dbloop_item *it)
{
	struct db_err err;

	switch (it->kind) {
	case IT_QUERY:
		complete_query(db, it);
		break;
	case IT_PREPARE:
		if (result_ok(it->res)) {
			db->prepared[it->stmt] = PREP_OK;
		} else {
			db->prepared[it->stmt] = PREP_NONE;
			db_result_error(db->conn, it->res, db->stmts[it->stmt].name, &err);
			/* The query it was sent for is aborted: give it this error. */
			if (db->head && db->head->kind == IT_QUERY && !it->synced) {
				db->head->prep_failed = true;
				db->head->prep_err = err;
			}
		}
		setup_step_done(db);
		break;
	case IT_LISTEN:
		if (!result_ok(it->res)) {
			char why[sizeof err.message + 16];

			db_result_error(db->conn, it->res, "LISTEN", &err);
			snprintf(why, sizeof why, "LISTEN: %s", err.message);
			dbloop_item_free(it);
			dbloop_drop(db, why);
			return;
		}
		setup_step_done(db);
		break;
	}
	dbloop_item_free(it);
}

/*
 * Hand every result libpq has parsed to its item, in order.  A query's
 * results end with a NULL, then its sync: the sync is when the server has
 * committed (an error at commit, such as a deferred constraint, comes
 * between the two), so that is when a synced item is answered.  Two NULLs
 * in a row mean nothing more has arrived yet.  Returns true if anything
 * was read.
 */
static bool process_results(struct dbloop *db)
{
	bool any = false;

	while (db->head && db->conn && !PQisBusy(db->conn)) {
		PGresult *r = PQgetResult(db->conn);
		struct dbloop_item *it = db->head;

		if (!r) {
			if (it->nulls)
				break;
			it->nulls = true;
			if (!it->synced && it->got_result)
				complete(db, pop(db));
			continue;
		}
		any = true;
		it->nulls = false;
		if (PQresultStatus(r) != PGRES_PIPELINE_SYNC) {
			keep(it, r);
			continue;
		}
		PQclear(r);
		if (!it->synced) {
			dbloop_drop(db, "pipeline out of step");
			return true;
		}
		complete(db, pop(db));
	}
	if (db->conn && PQstatus(db->conn) == CONNECTION_BAD)
		dbloop_drop_conn_error(db);
	return any;
}

static bool deliver_notifies(struct dbloop *db)
{
	bool any = false;
	PGnotify *n;

	while (db->conn && (n = PQnotifies(db->conn)) != NULL) {
		any = true;
		if (db->hooks.notify)
			db->hooks.notify(db->hooks.ctx, n->relname, n->extra);
		PQfreemem(n);
	}
	return any;
}

void dbloop_readable(struct dbloop *db)
{
	if (!db)
		return;
	if (db->st == ST_CONNECTING) {
		dbloop_connect_step(db);
		return;
	}
	if ((db->st != ST_SETUP && db->st != ST_UP) || !db->conn)
		return;
	if (!PQconsumeInput(db->conn)) {
		dbloop_drop_conn_error(db);
		return;
	}
	/* Either step may parse input the other one hands out. */
	while (db->conn && (process_results(db) | deliver_notifies(db)))
		;
	if (db->conn && db->writing && !dbloop_flush(db)) {
		dbloop_drop_conn_error(db);
		return;
	}
	if (db->conn)
		dbloop_arm(db);
}

int dbloop_query(struct dbloop *db, const char *stmt_name, int n,
		 const char *const *params, dbloop_cb cb, void *arg)
{
	const struct db_stmt *s;
	struct dbloop_item *it;
	int i;

	if (!db || !cb || n < 0 || !(s = db_stmt_find(db->stmts, stmt_name, &i)) ||
	    n != s->nparams)
		return DB_ERR_ARG;
	if (!dbloop_is_up(db))
		return DB_ERR_CONNECT;
	if (db->inflight >= DBLOOP_MAX_INFLIGHT || !(it = dbloop_item_new(IT_QUERY, i, true)))
		return DB_ERR_BUSY;
	/* Its PREPARE failed on this connection (or never ran): again, now. */
	if (db->prepared[i] == PREP_NONE && !dbloop_send_prepare(db, i, false)) {
		free(it);
		dbloop_lose_later(db);
		return DB_ERR_CONNECT;
	}
	if (!PQsendQueryPrepared(db->conn, s->name, n, params, NULL, NULL, 0) ||
	    !PQpipelineSync(db->conn)) {
		free(it);
		dbloop_lose_later(db);
		return DB_ERR_CONNECT;
	}
	it->cb = cb;
	it->arg = arg;
	dbloop_push(db, it);
	/* Accepted: if the flush fails, the timer fails it with the rest. */
	if (!dbloop_flush(db))
		dbloop_lose_later(db);
	else
		dbloop_arm(db);
	return 0;
}

struct dbloop *dbloop_new(const char *conninfo,
			  const struct db_settings *settings, const char *app,
			  const struct db_stmt *stmts,
			  const char *const *listen,
			  const struct dbloop_hooks *hooks)
{
	struct dbloop *db;
	struct db_err err;
	char q[300];

	if (!hooks || !hooks->watch || !hooks->want_write || !hooks->timer || !hooks->state)
		return NULL;
	for (int i = 0; listen && listen[i]; i++)
		if (!*listen[i])
			return NULL;
	db = calloc(1, sizeof *db);
	if (!db)
		return NULL;
	if (settings)
		db->settings = *settings;
	else
		db_settings_default(&db->settings);
	db->conninfo = db_conninfo(conninfo, &db->settings, app, &err);
	if (!db->conninfo) {
		log_event(LOG_ERROR, "db_bad_conninfo", "error=%s",
			  log_quote(err.message, q, sizeof q));
		free(db);
		return NULL;
	}
	db->stmts = stmts;
	while (stmts && stmts[db->nstmts].name)
		db->nstmts++;
	db->listen = listen;
	while (listen && listen[db->nlisten])
		db->nlisten++;
	db->prepared = calloc((size_t)db->nstmts + 1, 1);
	if (!db->prepared) {
		free(db->conninfo);
		free(db);
		return NULL;
	}
	db->hooks = *hooks;
	db->st = ST_IDLE;
	db->fd = -1;
	db->timer_at = -1;
	db->backoff_ms = DBLOOP_BACKOFF_MIN_MS;
	return db;
}

void dbloop_start(struct dbloop *db)
{
	if (db && db->st == ST_IDLE)
		dbloop_connect_begin(db);
}

void dbloop_free(struct dbloop *db)
{
	struct dbloop_item *list;

	if (!db)
		return;
	list = db->head;
	db->head = db->tail = NULL;
	db->inflight = 0;
	db->st = ST_FREEING;
	if (db->timer_at >= 0)
		db->hooks.timer(db->hooks.ctx, -1);
	if (db->conn)
		dbloop_close_conn(db);
	dbloop_fail_all(list, "connection closed");
	free(db->prepared);
	free(db->conninfo);
	free(db);
}

bool dbloop_is_up(const struct dbloop *db)
{
	return db && db->st == ST_UP && !db->lost_pending;
}

int dbloop_inflight(const struct dbloop *db)
{
	return db ? db->inflight : 0;
}

int dbloop_fd(const struct dbloop *db)
{
	return db ? db->fd : -1;
}
