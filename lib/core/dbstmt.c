/* dbstmt — a program's statement table on a blocking connection:
 * db_prepare_all, db_exec_prepared, db_stmt_find (declared in db.h; the
 * non-blocking half, dbloop, does the same on its pipeline). */
#include "core/db.h"
#include "core/dbwait.h"
#include "core/log.h"

#include <libpq-events.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * The table a connection was given and which of its statements the
 * current session has prepared.  Owned by the PGconn (libpq event data:
 * freed with it, emptied by PQreset, whose new session has none), so no
 * global state is involved.
 */
struct prepared_set {
	const struct db_stmt *stmts;
	int n;
	bool ok[];
};

static int prepared_event(PGEventId id, void *info, void *pass)
{
	(void)pass;
	if (id == PGEVT_CONNRESET) {
		PGconn *c = ((PGEventConnReset *)info)->conn;
		struct prepared_set *set = PQinstanceData(c, prepared_event);

		if (set)
			memset(set->ok, 0, (size_t)set->n);
	} else if (id == PGEVT_CONNDESTROY) {
		free(PQinstanceData(((PGEventConnDestroy *)info)->conn, prepared_event));
	}
	return 1;
}

/* c's set for stmts (n entries), made or replaced as needed. */
static struct prepared_set *prepared_set_for(PGconn *c, const struct db_stmt *stmts, int n)
{
	struct prepared_set *set = PQinstanceData(c, prepared_event);

	if (set && set->stmts == stmts && set->n == n)
		return set;
	if (!set && !PQregisterEventProc(c, prepared_event, "felt_db_stmts", NULL))
		return NULL;
	free(set);
	set = calloc(1, sizeof *set + (size_t)n);
	if (set) {
		set->stmts = stmts;
		set->n = n;
	}
	if (!PQsetInstanceData(c, prepared_event, set)) {
		free(set);
		return NULL;
	}
	return set;
}

const struct db_stmt *db_stmt_find(const struct db_stmt *stmts,
				   const char *name, int *index)
{
	for (int i = 0; stmts && name && stmts[i].name; i++)
		if (strcmp(stmts[i].name, name) == 0) {
			if (index)
				*index = i;
			return &stmts[i];
		}
	return NULL;
}

static bool result_ok(const PGresult *res)
{
	ExecStatusType st = PQresultStatus(res);

	return res && (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK);
}

/* A failed PREPARE: err filled and logged, its message naming the
 * statement.  Returns the code. */
static int prepare_failed(PGconn *c, const PGresult *res, const char *name,
			  struct db_err *err)
{
	int rc = db_result_error(c, res, name, err);
	char msg[sizeof err->message];

	snprintf(msg, sizeof msg, "%s", err->message);
	snprintf(err->message, sizeof err->message, "prepare %.60s: %.180s", name, msg);
	return rc;
}

/* Read the answers of n pipelined PREPARE + sync pairs into set->ok.
 * Returns DB_OK or the first failure (err filled). */
static int read_prepares(PGconn *c, struct prepared_set *set, int64_t deadline,
			 struct db_err *err)
{
	int i = 0, nulls = 0, rc = DB_OK;
	bool answered = false;

	while (i < set->n) {
		PGresult *r;
		struct db_err e;

		if (!dbwait_input(c, deadline, err))
			return err->code;
		r = PQgetResult(c);

		if (!r) {
			/* One NULL ends a statement's results; two mean
			 * nothing more will come (the connection broke). */
			if (++nulls > 1)
				break;
			continue;
		}
		nulls = 0;
		if (PQresultStatus(r) == PGRES_PIPELINE_SYNC) {
			i++;
			answered = false;
		} else if (!answered) {
			answered = true;
			set->ok[i] = result_ok(r);
			if (!set->ok[i] && prepare_failed(c, r, set->stmts[i].name, &e) && rc == DB_OK) {
				rc = e.code;
				*err = e;
			}
		}
		PQclear(r);
	}
	if (i < set->n && rc == DB_OK) {
		rc = db_result_error(c, NULL, "prepare", err);
		if (rc != DB_ERR_CONNECT)
			rc = err->code = DB_ERR_CONNECT;
	}
	return rc;
}

int db_prepare_all(PGconn *c, const struct db_stmt *stmts, struct db_err *err)
{
	struct db_err local;
	struct db_err *e = err ? err : &local;
	struct prepared_set *set;
	int64_t deadline = dbwait_deadline(c);
	int n = 0, rc;

	*e = (struct db_err){0};
	while (stmts && stmts[n].name)
		n++;
	if (!c || !(set = prepared_set_for(c, stmts, n)))
		return e->code = DB_ERR_ARG;
	memset(set->ok, 0, (size_t)n);
	if (n == 0)
		return DB_OK;
	/* One round trip for the whole table: pipelined PREPAREs, each with
	 * its own sync so that one failing does not abort the others.  The
	 * answers are a few bytes each, so a blocking connection cannot
	 * deadlock on full buffers while sending them. */
	if (!PQenterPipelineMode(c))
		return db_result_error(c, NULL, "prepare", e);
	for (int i = 0; i < n; i++)
		if (!PQsendPrepare(c, stmts[i].name, stmts[i].sql, stmts[i].nparams, NULL) ||
		    !PQpipelineSync(c)) {
			rc = db_result_error(c, NULL, stmts[i].name, e);
			PQexitPipelineMode(c);
			return rc;
		}
	rc = read_prepares(c, set, deadline, e);
	PQexitPipelineMode(c);
	return rc;
}

/* A statement that got no answer in time (dbwait.h): logged once here,
 * err already filled.  Returns its code. */
static int late_logged(const char *name, const struct db_err *err)
{
	char q1[300], q2[140];

	log_event(LOG_WARN, "db_error", "sqlstate=- what=%s error=%s",
		  log_quote(name, q2, sizeof q2),
		  log_quote(err->message, q1, sizeof q1));
	return err->code;
}

/* Prepare statement i of c's table now (it failed at connect). */
static int prepare_one(PGconn *c, struct prepared_set *set, int i, struct db_err *err)
{
	const struct db_stmt *s = &set->stmts[i];
	PGresult *r = NULL;
	bool late = false;
	int rc = DB_OK;

	if (PQsendPrepare(c, s->name, s->sql, s->nparams, NULL))
		r = dbwait_answer(c, dbwait_deadline(c), err, &late);
	if (late)
		return late_logged(s->name, err);
	set->ok[i] = result_ok(r);
	if (!set->ok[i])
		rc = prepare_failed(c, r, s->name, err);
	PQclear(r);
	return rc;
}

PGresult *db_exec_prepared(PGconn *c, const char *name, int n,
			   const char *const *params, struct db_err *err)
{
	struct db_err local;
	struct db_err *e = err ? err : &local;
	struct prepared_set *set = c ? PQinstanceData(c, prepared_event) : NULL;
	const struct db_stmt *s;
	PGresult *res;
	bool late = false;
	int i;

	if (!c || !name || n < 0) {
		*e = (struct db_err){.code = DB_ERR_ARG};
		return NULL;
	}
	if (set && (s = db_stmt_find(set->stmts, name, &i)) != NULL) {
		if (n != s->nparams) {
			*e = (struct db_err){.code = DB_ERR_ARG};
			snprintf(e->message, sizeof e->message, "%s takes %d parameters, not %d",
				 name, s->nparams, n);
			return NULL;
		}
		if (!set->ok[i] && prepare_one(c, set, i, e) != DB_OK)
			return NULL;
	}
	res = NULL;
	if (PQsendQueryPrepared(c, name, n, params, NULL, NULL, 0))
		res = dbwait_answer(c, dbwait_deadline(c), e, &late);
	if (late) {
		late_logged(name, e);
		return NULL;
	}
	if (result_ok(res))
		return res;
	db_result_error(c, res, name, e);
	PQclear(res);
	return NULL;
}
