/* db — connections, parameterised queries, transactions, prepared
 * statements over libpq.  See db.h. */
#include "core/db.h"

#include "core/config.h"
#include "core/dbwait.h"
#include "core/log.h"

#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BACKOFF_CAP_MS 5000

const char *db_strerror(int err)
{
	switch (err) {
	case DB_OK: return "ok";
	case DB_ERR_CONNECT: return "database unavailable";
	case DB_ERR_QUERY: return "database query failed";
	case DB_ERR_UNIQUE: return "duplicate value (unique constraint)";
	case DB_ERR_CHECK: return "check constraint violated";
	case DB_ERR_FOREIGN_KEY: return "referenced row missing (foreign key)";
	case DB_ERR_NOT_NULL: return "required value missing (not null)";
	case DB_ERR_RETRY: return "transaction conflict, retry";
	case DB_ERR_NO_ROWS: return "no row";
	case DB_ERR_ARG: return "bad argument or value";
	case DB_ERR_BUSY: return "too many queries in flight";
	}
	return "unknown db error";
}

static void sleep_ms(int ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/* Server notices ("table does not exist, skipping") become log events
 * instead of libpq's raw text on stderr between our lines. */
static void notice_to_log(void *arg, const char *msg)
{
	char line[256], q[300];

	(void)arg;
	log_one_line(line, sizeof line, msg);
	log_event(LOG_DEBUG, "db_notice", "message=%s", log_quote(line, q, sizeof q));
}

/* The bounds of each FELT_DB_* setting; defaults are in config_common_vars. */
static const struct {
	const char *name;
	int min, max;
	size_t offset;
} settings_vars[] = {
	{"FELT_DB_CONNECT_TIMEOUT_S", 2, 600, offsetof(struct db_settings, connect_timeout_s)},
	{"FELT_DB_STATEMENT_TIMEOUT_MS", 0, 86400000,
	 offsetof(struct db_settings, statement_timeout_ms)},
	{"FELT_DB_KEEPALIVE_S", 1, 3600, offsetof(struct db_settings, keepalive_s)},
	{"FELT_DB_POOL_SIZE", 1, 64, offsetof(struct db_settings, pool_size)},
};

#define N_SETTINGS (sizeof settings_vars / sizeof settings_vars[0])

static int setting_default(size_t i)
{
	return (int)strtol(config_default(config_common_vars, settings_vars[i].name), NULL, 10);
}

void db_settings_default(struct db_settings *s)
{
	for (size_t i = 0; i < N_SETTINGS; i++)
		*(int *)((char *)s + settings_vars[i].offset) = setting_default(i);
}

int db_settings_load(struct db_settings *s, const char **bad)
{
	struct db_settings tmp;

	for (size_t i = 0; i < N_SETTINGS; i++) {
		int64_t v;
		int rc = config_int(settings_vars[i].name, setting_default(i),
				    settings_vars[i].min, settings_vars[i].max, &v);

		if (rc) {
			if (bad)
				*bad = settings_vars[i].name;
			return rc;
		}
		*(int *)((char *)&tmp + settings_vars[i].offset) = (int)v;
	}
	*s = tmp;
	return CONFIG_OK;
}

const char *db_settings_explain(const char *bad, char *buf, size_t n)
{
	for (size_t i = 0; i < N_SETTINGS; i++)
		if (strcmp(settings_vars[i].name, bad) == 0)
			return config_explain_int(buf, n, bad, settings_vars[i].min,
						  settings_vars[i].max);
	return config_explain(buf, n, config_common_vars, bad, CONFIG_ERR_SYNTAX);
}

/* Append key='value' to a growing conninfo string (libpq quoting: \ and
 * \' inside single quotes).  Returns false when out of memory. */
static bool conninfo_add(char **buf, size_t *len, size_t *cap, const char *key,
			 const char *val)
{
	size_t need = *len + strlen(key) + 2 * strlen(val) + 5;

	if (need > *cap) {
		size_t ncap = need * 2;
		char *nb = realloc(*buf, ncap);

		if (!nb)
			return false;
		*buf = nb;
		*cap = ncap;
	}
	*len += (size_t)sprintf(*buf + *len, "%s%s='", *len ? " " : "", key);
	for (; *val; val++) {
		if (*val == '\\' || *val == '\'')
			(*buf)[(*len)++] = '\\';
		(*buf)[(*len)++] = *val;
	}
	(*buf)[(*len)++] = '\'';
	(*buf)[*len] = '\0';
	return true;
}

static const char *option_val(const PQconninfoOption *opts, const char *key)
{
	for (; opts && opts->keyword; opts++)
		if (strcmp(opts->keyword, key) == 0)
			return opts->val && *opts->val ? opts->val : NULL;
	return NULL;
}

/* Add felt's setting for key unless conninfo set it. */
static bool conninfo_default(char **buf, size_t *len, size_t *cap,
			     const PQconninfoOption *opts, const char *key, const char *val)
{
	return option_val(opts, key) || conninfo_add(buf, len, cap, key, val);
}

/* felt's -c options first, conninfo's own after them (the server applies
 * them in order, so conninfo's win). */
static bool conninfo_options(char **buf, size_t *len, size_t *cap,
			     const PQconninfoOption *opts, int statement_timeout_ms)
{
	const char *theirs = option_val(opts, "options");
	size_t n = 64 + (theirs ? strlen(theirs) : 0);
	char *merged = malloc(n);
	bool ok;

	if (!merged)
		return false;
	snprintf(merged, n, "-c statement_timeout=%d%s%s", statement_timeout_ms,
		 theirs ? " " : "", theirs ? theirs : "");
	ok = conninfo_add(buf, len, cap, "options", merged);
	free(merged);
	return ok;
}

char *db_conninfo(const char *conninfo, const struct db_settings *s,
		  const char *app, struct db_err *err)
{
	struct db_settings def;
	struct db_err local;
	struct db_err *e = err ? err : &local;
	PQconninfoOption *opts;
	char *perr = NULL, *buf = NULL, connect_s[16], keepalive_s[16], user_ms[16];
	size_t len = 0, cap = 0;
	bool ok = true;

	*e = (struct db_err){.code = DB_ERR_ARG};
	if (!s) {
		db_settings_default(&def);
		s = &def;
	}
	opts = PQconninfoParse(conninfo ? conninfo : "", &perr);
	if (!opts) {
		log_one_line(e->message, sizeof e->message, perr ? perr : "out of memory");
		PQfreemem(perr);
		return NULL;
	}
	snprintf(connect_s, sizeof connect_s, "%d", s->connect_timeout_s);
	snprintf(keepalive_s, sizeof keepalive_s, "%d", s->keepalive_s);
	/* Unacknowledged data is given up on when keepalives would be. */
	snprintf(user_ms, sizeof user_ms, "%d", s->keepalive_s * 4 * 1000);
	for (const PQconninfoOption *o = opts; ok && o->keyword; o++)
		if (o->val && *o->val && strcmp(o->keyword, "options") != 0)
			ok = conninfo_add(&buf, &len, &cap, o->keyword, o->val);
	ok = ok && conninfo_default(&buf, &len, &cap, opts, "connect_timeout", connect_s) &&
	     conninfo_default(&buf, &len, &cap, opts, "keepalives", "1") &&
	     conninfo_default(&buf, &len, &cap, opts, "keepalives_idle", keepalive_s) &&
	     conninfo_default(&buf, &len, &cap, opts, "keepalives_interval", keepalive_s) &&
	     conninfo_default(&buf, &len, &cap, opts, "keepalives_count", "3") &&
	     conninfo_default(&buf, &len, &cap, opts, "tcp_user_timeout", user_ms) &&
	     conninfo_default(&buf, &len, &cap, opts, "fallback_application_name",
			      app ? app : "felt") &&
	     conninfo_options(&buf, &len, &cap, opts, s->statement_timeout_ms);
	PQconninfoFree(opts);
	if (!ok) {
		free(buf);
		snprintf(e->message, sizeof e->message, "out of memory");
		return NULL;
	}
	*e = (struct db_err){0};
	return buf;
}

PGconn *db_connect(const char *conninfo, int attempts, int backoff_ms)
{
	if (attempts < 1)
		attempts = 1;
	if (backoff_ms < 0)
		backoff_ms = 0;
	for (int i = 1;; i++) {
		PGconn *c = PQconnectdb(conninfo ? conninfo : "");
		char msg[256], q[300];

		if (c && PQstatus(c) == CONNECTION_OK) {
			db_log_notices(c);
			return c;
		}
		log_one_line(msg, sizeof msg, c ? PQerrorMessage(c) : "out of memory");
		PQfinish(c);
		log_event(i < attempts ? LOG_WARN : LOG_ERROR, "db_connect_failed",
			  "attempt=%d of=%d error=%s", i, attempts,
			  log_quote(msg, q, sizeof q));
		if (i >= attempts)
			return NULL;
		sleep_ms(backoff_ms);
		backoff_ms = backoff_ms * 2 > BACKOFF_CAP_MS ? BACKOFF_CAP_MS : backoff_ms * 2;
	}
}

PGconn *db_connect_env(const char *app, int statement_timeout_ms, int attempts,
		       int backoff_ms)
{
	return db_connect_conninfo(config_get(config_common_vars, "FELT_DB"), app,
				   statement_timeout_ms, attempts, backoff_ms);
}

PGconn *db_connect_conninfo(const char *base, const char *app, int statement_timeout_ms,
			    int attempts, int backoff_ms)
{
	struct db_settings s;
	struct db_err err;
	const char *bad = NULL;
	char *conninfo, q[300], why[256];
	PGconn *c;
	int rc = db_settings_load(&s, &bad);

	if (rc != CONFIG_OK) {
		log_bad_config(bad, db_settings_explain(bad, why, sizeof why));
		return NULL;
	}
	if (statement_timeout_ms >= 0)
		s.statement_timeout_ms = statement_timeout_ms;
	conninfo = db_conninfo(base, &s, app, &err);
	if (!conninfo) {
		log_event(LOG_ERROR, "bad_config", "var=FELT_DB error=%s",
			  log_quote(err.message, q, sizeof q));
		return NULL;
	}
	c = db_connect(conninfo, attempts, backoff_ms);
	free(conninfo);
	return c;
}

void db_close(PGconn *c)
{
	if (c)
		PQfinish(c);
}

bool db_ok(PGconn *c)
{
	return c && PQstatus(c) == CONNECTION_OK;
}

int db_reset(PGconn *c, const struct db_stmt *stmts)
{
	if (!c)
		return DB_ERR_ARG;
	PQreset(c);
	if (PQstatus(c) != CONNECTION_OK) {
		log_event(LOG_WARN, "db_reset_failed", NULL);
		return DB_ERR_CONNECT;
	}
	log_event(LOG_INFO, "db_reconnected", NULL);
	return stmts ? db_prepare_all(c, stmts, NULL) : DB_OK;
}

int db_classify(const char *sqlstate)
{
	if (!sqlstate || !*sqlstate)
		return DB_ERR_QUERY;
	if (strcmp(sqlstate, DB_SQLSTATE_UNIQUE) == 0)
		return DB_ERR_UNIQUE;
	if (strcmp(sqlstate, DB_SQLSTATE_CHECK) == 0)
		return DB_ERR_CHECK;
	if (strcmp(sqlstate, DB_SQLSTATE_FOREIGN_KEY) == 0)
		return DB_ERR_FOREIGN_KEY;
	if (strcmp(sqlstate, DB_SQLSTATE_NOT_NULL) == 0)
		return DB_ERR_NOT_NULL;
	if (strcmp(sqlstate, "40001") == 0 || strcmp(sqlstate, "40P01") == 0)
		return DB_ERR_RETRY;
	/* class 08: connection exception; 57P0x: server shutting down */
	if (strncmp(sqlstate, "08", 2) == 0 || strncmp(sqlstate, "57P0", 4) == 0)
		return DB_ERR_CONNECT;
	return DB_ERR_QUERY;
}

const char *db_error_code(const PGresult *res)
{
	const char *s = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;

	return s ? s : "";
}

static bool result_ok(const PGresult *res)
{
	ExecStatusType st = PQresultStatus(res);

	return st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK;
}

/* Turn a failed result (or none) into a code, fill err, log. */
static int failure(PGconn *c, const PGresult *res, const char *what,
		   struct db_err *err)
{
	struct db_err local;
	struct db_err *e = err ? err : &local;
	const char *constraint = res ? PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME) : NULL;
	const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	char q1[300], q2[140];

	snprintf(e->sqlstate, sizeof e->sqlstate, "%s", db_error_code(res));
	snprintf(e->constraint, sizeof e->constraint, "%s", constraint ? constraint : "");
	log_one_line(e->message, sizeof e->message, primary ? primary : PQerrorMessage(c));
	e->code = db_classify(e->sqlstate);
	if (e->code == DB_ERR_QUERY && !db_ok(c))
		e->code = DB_ERR_CONNECT;
	/* Normal outcomes, not faults: constraint violations (class 23) and a
	 * caller's refusals by felt's own functions (FP1xx: limits, no wallet,
	 * sql/041_withdrawals.sql). */
	log_event((e->sqlstate[0] == '2' && e->sqlstate[1] == '3') ||
			  strncmp(e->sqlstate, "FP1", 3) == 0 ? LOG_DEBUG : LOG_WARN,
		  "db_error", "sqlstate=%s what=%s error=%s",
		  e->sqlstate[0] ? e->sqlstate : "-", log_quote(what, q2, sizeof q2),
		  log_quote(e->message, q1, sizeof q1));
	return e->code;
}

int db_result_error(PGconn *c, const PGresult *res, const char *what,
		    struct db_err *err)
{
	return failure(c, res, what, err);
}

void db_log_notices(PGconn *c)
{
	if (c)
		PQsetNoticeProcessor(c, notice_to_log, NULL);
}

/* PQexecParams, waiting at most the connection's timeout (dbwait.h).  A
 * timeout sets *late and returns NULL with err filled and logged. */
static PGresult *exec_params(PGconn *c, const char *sql, int n,
			     const char *const *params, struct db_err *err,
			     bool *late)
{
	int64_t deadline = dbwait_deadline(c);
	struct db_err late_err;
	PGresult *res;

	*late = false;
	if (!deadline)
		return PQexecParams(c, sql, n, NULL, params, NULL, NULL, 0);
	if (!PQsendQueryParams(c, sql, n, NULL, params, NULL, NULL, 0))
		return NULL;
	res = dbwait_answer(c, deadline, &late_err, late);
	if (*late) {
		char q1[300], q2[140];

		log_event(LOG_WARN, "db_error", "sqlstate=- what=%s error=%s",
			  log_quote(sql, q2, sizeof q2),
			  log_quote(late_err.message, q1, sizeof q1));
		if (err)
			*err = late_err;
	}
	return res;
}

PGresult *db_exec(PGconn *c, const char *sql, int n,
		  const char *const *params, struct db_err *err)
{
	PGresult *res;
	bool late;

	if (!c || !sql || n < 0) {
		if (err)
			*err = (struct db_err){.code = DB_ERR_ARG};
		return NULL;
	}
	res = exec_params(c, sql, n, params, err, &late);
	if (res && result_ok(res))
		return res;
	if (!late)
		failure(c, res, sql, err);
	PQclear(res);
	return NULL;
}

int db_command(PGconn *c, const char *sql, int n, const char *const *params,
	       struct db_err *err)
{
	struct db_err local;
	struct db_err *e = err ? err : &local;
	PGresult *res = db_exec(c, sql, n, params, e);

	if (!res)
		return e->code;
	PQclear(res);
	return DB_OK;
}

int db_value_int64(const PGresult *res, int row, int col, int64_t *out)
{
	const char *s;
	char *end;
	long long v;

	if (!res || row >= PQntuples(res) || col >= PQnfields(res) ||
	    PQgetisnull(res, row, col))
		return DB_ERR_ARG;
	s = PQgetvalue(res, row, col);
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || end == s || *end)
		return DB_ERR_ARG;
	*out = v;
	return DB_OK;
}

int db_query_int64(PGconn *c, const char *sql, int n,
		   const char *const *params, int64_t *out, struct db_err *err)
{
	struct db_err local;
	struct db_err *e = err ? err : &local;
	PGresult *res = db_exec(c, sql, n, params, e);
	int rc;

	if (!res)
		return e->code;
	rc = PQntuples(res) == 0 ? DB_ERR_NO_ROWS : db_value_int64(res, 0, 0, out);
	PQclear(res);
	if (rc && err)
		*err = (struct db_err){.code = rc};
	return rc;
}

int db_begin(PGconn *c, struct db_err *err)
{
	return db_command(c, "BEGIN", 0, NULL, err);
}

int db_commit(PGconn *c, struct db_err *err)
{
	return db_command(c, "COMMIT", 0, NULL, err);
}

int db_rollback(PGconn *c)
{
	/* Outside a transaction ROLLBACK only warns; after a lost
	 * connection there is nothing to roll back. */
	if (!db_ok(c))
		return DB_ERR_CONNECT;
	return db_command(c, "ROLLBACK", 0, NULL, NULL);
}

int db_notify(PGconn *c, const char *channel, const char *payload,
	      struct db_err *err)
{
	const char *params[2] = {channel, payload ? payload : ""};

	return db_command(c, "SELECT pg_notify($1, $2)", 2, params, err);
}
