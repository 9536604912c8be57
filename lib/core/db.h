/*
 * db — the small libpq layer every felt program uses: the blocking half
 * (one PGconn per thread); dbloop.h is the non-blocking half for an event
 * loop.  This module holds no global state.
 *
 * Connections: every felt connection gets the same connect timeout,
 * statement timeout and TCP keepalives (struct db_settings, FELT_DB_*),
 * through db_conninfo().
 *
 * Statements: SQL text is constant and every value travels as a parameter
 * (text format).  A program keeps all its SQL in one table of struct
 * db_stmt, its statements file (felt-api: cgi/queries.c), prepared on each
 * connection right after it is made: db_prepare_all() here, in one round
 * trip; dbloop does the same on its pipeline after every (re)connect.  A
 * statement that fails to prepare (it names a table a later migration
 * adds) is logged and prepared again when next used, so it fails alone.
 * Programs run them by name with db_exec_prepared().
 *
 * Plain parameterised statements (db_exec, db_command, db_query_int64)
 * remain for one-shot work where preparing buys nothing: feltctl and the
 * lib modules it drives (migrate, ledger's operator adjustments), and
 * tests.
 *
 * Errors come back as a negative db_error code plus, optionally, a struct
 * db_err with the SQLSTATE and the server's message, so a caller can turn a
 * unique violation into 409 without parsing text.  Failures are logged at
 * warn (constraint violations and the FP1xx refusals of felt's payment
 * functions only at debug: they are normal outcomes).
 */
#ifndef FELT_DB_H
#define FELT_DB_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum db_error {
	DB_OK = 0,
	DB_ERR_CONNECT = -1,    /* no connection / connection lost */
	DB_ERR_QUERY = -2,      /* any other SQL error */
	DB_ERR_UNIQUE = -3,     /* 23505 unique_violation */
	DB_ERR_CHECK = -4,      /* 23514 check_violation (e.g. negative balance) */
	DB_ERR_FOREIGN_KEY = -5,/* 23503 foreign_key_violation */
	DB_ERR_NOT_NULL = -6,   /* 23502 not_null_violation */
	DB_ERR_RETRY = -7,      /* 40001/40P01 serialization failure, deadlock: retry the txn */
	DB_ERR_NO_ROWS = -8,    /* a single-row helper found no row */
	DB_ERR_ARG = -9,        /* bad argument, bad value in a result column */
	DB_ERR_BUSY = -10,      /* too many queries in flight (dbloop) */
};

/* Details of the last failure, filled by the functions that take one. */
struct db_err {
	int code;           /* the db_error returned */
	char sqlstate[6];   /* e.g. "23505"; "" for client-side/connection errors */
	char constraint[64];/* violated constraint name when the server says, else "" */
	char message[256];  /* the server's primary message, one line */
};

/* A named prepared statement.  Tables end with an entry whose name is NULL. */
struct db_stmt {
	const char *name;
	const char *sql;
	int nparams;
};

/*
 * The connection settings every felt connection uses, blocking (db_connect)
 * or not (dbloop): FELT_DB_CONNECT_TIMEOUT_S, FELT_DB_STATEMENT_TIMEOUT_MS,
 * FELT_DB_KEEPALIVE_S (listed in config_common_vars with their defaults),
 * and FELT_DB_POOL_SIZE for daemons that keep a dbpool.
 */
struct db_settings {
	int connect_timeout_s;    /* give up a connection attempt after this */
	int statement_timeout_ms; /* server cancels a statement after this; 0: never */
	int keepalive_s;          /* TCP keepalive idle and interval; 3 probes */
	int pool_size;            /* connections of a dbpool */
};

/* Well-known SQLSTATEs. */
#define DB_SQLSTATE_UNIQUE "23505"
#define DB_SQLSTATE_CHECK "23514"
#define DB_SQLSTATE_FOREIGN_KEY "23503"
#define DB_SQLSTATE_NOT_NULL "23502"

/* db_strerror — static English text for a db_error code. */
const char *db_strerror(int err);

/*
 * db_settings_default — the documented defaults (config_common_vars) into
 * *s, ignoring the environment.
 */
void db_settings_default(struct db_settings *s);

/*
 * db_settings_load — *s from the FELT_DB_* variables (unset: default).
 * Returns CONFIG_OK, or a config_error with *bad naming the malformed or
 * out-of-range variable (*s then unchanged).
 */
int db_settings_load(struct db_settings *s, const char **bad);

/*
 * db_settings_explain — one line for an operator about the variable bad
 * that db_settings_load refused: "FELT_DB_POOL_SIZE='0': want a whole
 * number from 1 to 64".  Written into buf (size n); returns buf.
 */
const char *db_settings_explain(const char *bad, char *buf, size_t n);

/*
 * db_conninfo — conninfo (libpq keyword string or postgresql:// URI; NULL
 * or "" for libpq's defaults) completed with the settings s (NULL: the
 * defaults): connect_timeout, keepalives, tcp_user_timeout, and
 * statement_timeout through options, plus fallback_application_name app
 * (NULL: "felt").  What conninfo sets itself wins; options given in
 * conninfo are kept after felt's, so they win too.  Returns a malloc'd
 * keyword string for PQconnectdb/PQconnectStart (caller frees), or NULL
 * with err->message saying why (malformed conninfo, out of memory).
 */
char *db_conninfo(const char *conninfo, const struct db_settings *s,
		  const char *app, struct db_err *err);

/*
 * db_connect — connect to conninfo, trying up to attempts times (>= 1) and
 * sleeping backoff_ms, then doubling it (capped at 5 s), between tries.
 * Each failure is logged (event=db_connect_failed).  Returns a connected
 * PGconn the caller closes with db_close(), or NULL.  Server notices on the
 * connection are logged at debug level (event=db_notice), not printed.
 */
PGconn *db_connect(const char *conninfo, int attempts, int backoff_ms);

/*
 * db_connect_env — db_connect for a one-shot tool: FELT_DB completed
 * (db_conninfo) with the FELT_DB_* settings of the environment, labelled
 * app; statement_timeout_ms >= 0 replaces FELT_DB_STATEMENT_TIMEOUT_MS
 * (feltctl passes 0: an operator's audit of a big ledger may take long).
 * A malformed FELT_DB or FELT_DB_* is logged (event=bad_config) and gives
 * NULL, like a failed connection.  Long-running programs build their
 * conninfo once at start-up instead (and refuse to start when it is bad).
 */
PGconn *db_connect_env(const char *app, int statement_timeout_ms, int attempts,
		       int backoff_ms);

/*
 * db_connect_conninfo — db_connect_env for another base conninfo than
 * FELT_DB (feltctl migrate's FELT_DB_OWNER).  A malformed base is logged
 * as bad FELT_DB (the variable most likely at fault) and gives NULL.
 */
PGconn *db_connect_conninfo(const char *base, const char *app, int statement_timeout_ms,
			    int attempts, int backoff_ms);

/*
 * db_connect_within — one connection attempt to conninfo (a complete
 * conninfo, see db_conninfo) that gives up after timeout_ms as a whole
 * (0: libpq's connect_timeout only, which counts whole seconds, at least
 * 2): a frozen server accepts the connection and then says nothing.
 * Nothing is logged: the caller reports (long-running programs once per
 * change of state, not once per attempt).  Returns the connection (caller
 * db_close()s it; server notices go to the log at debug) or NULL with
 * err (may be NULL) saying why in one line.
 */
PGconn *db_connect_within(const char *conninfo, int timeout_ms, struct db_err *err);

/*
 * db_set_timeout — from now on, every statement run on c through this
 * module (db_exec and what is built on it, db_exec_prepared,
 * db_prepare_all, db_ping) waits at most timeout_ms for its answer (0:
 * forever, the default).  Past that the connection is shut down (db_ok is
 * false from then on: replace it) and the call fails with DB_ERR_CONNECT,
 * "no answer from the database within N ms".  This is the client's bound
 * for a server that answers nothing at all (frozen, hung host), where the
 * server's own statement_timeout cannot fire; give it a little more than
 * that statement timeout.  Returns DB_OK, or DB_ERR_ARG (c NULL, ms < 0,
 * out of memory).
 */
int db_set_timeout(PGconn *c, int timeout_ms);

/*
 * db_ping — SELECT 1 on c within its timeout, logging nothing (a health
 * check calls it every few hundred ms; its caller reports changes).
 * Returns DB_OK or DB_ERR_CONNECT with err (may be NULL) saying why.
 */
int db_ping(PGconn *c, struct db_err *err);

/*
 * db_broken_reason — why c stopped working, in one line into buf (size
 * bytes): "no answer from the database within N ms" when db_set_timeout's
 * bound shut it down, else libpq's own message.
 */
void db_broken_reason(PGconn *c, char *buf, size_t size);

/* db_close — PQfinish, NULL-safe. */
void db_close(PGconn *c);

/*
 * db_ok — true if c is non-NULL and libpq believes the connection is up.
 * libpq notices a dead server only when a query fails, so after an error
 * check db_ok() and call db_reset() if it is false.
 */
bool db_ok(PGconn *c);

/*
 * db_reset — reconnect c in place (PQreset) and, when stmts is not NULL,
 * prepare them again (prepared statements die with the session).
 * Returns DB_OK or DB_ERR_CONNECT / the db_prepare_all error.
 */
int db_reset(PGconn *c, const struct db_stmt *stmts);

/*
 * db_classify — map a SQLSTATE (may be NULL) to a db_error code.
 */
int db_classify(const char *sqlstate);

/*
 * db_error_code — the SQLSTATE of a failed result (owned by res), or ""
 * when there is none (res NULL, success, client-side failure).
 */
const char *db_error_code(const PGresult *res);

/*
 * db_result_error — fill err (not NULL) from the failed result res of a
 * statement named what (res may be NULL: the failure is then c's error
 * message) and log it (event=db_error; constraint violations at debug).
 * Returns err->code: db_classify of the SQLSTATE, DB_ERR_CONNECT when the
 * connection is gone.
 */
int db_result_error(PGconn *c, const PGresult *res, const char *what,
		    struct db_err *err);

/*
 * db_log_notices — send the server's notices on c to the log at debug
 * (event=db_notice) instead of libpq's raw text on stderr.
 */
void db_log_notices(PGconn *c);

/*
 * db_stmt_find — the entry named name in the NULL-name terminated table
 * stmts (may be NULL), or NULL.  *index (when not NULL) gets its position.
 */
const struct db_stmt *db_stmt_find(const struct db_stmt *stmts,
				   const char *name, int *index);

/*
 * db_exec — run sql with n text parameters (NULL entries are SQL NULL).
 * On success (tuples or command ok) returns the result, which the caller
 * PQclear()s.  On failure returns NULL, fills err when not NULL, and logs.
 */
PGresult *db_exec(PGconn *c, const char *sql, int n,
		  const char *const *params, struct db_err *err);

/*
 * db_exec_prepared — run the statement prepared under name with n text
 * parameters; returns and fails as db_exec.  When name is in the table
 * db_prepare_all gave c, n must be its nparams (else DB_ERR_ARG), and a
 * statement that failed to prepare then is prepared again first (its
 * failure is this call's).
 */
PGresult *db_exec_prepared(PGconn *c, const char *name, int n,
			   const char *const *params, struct db_err *err);

/*
 * db_command — db_exec and discard the result.  Returns DB_OK or the
 * negative db_error (err filled when not NULL).  For statements whose rows
 * you do not need: INSERT without RETURNING, BEGIN, NOTIFY...
 */
int db_command(PGconn *c, const char *sql, int n, const char *const *params,
	       struct db_err *err);

/*
 * db_query_int64 — run sql and read row 0, column 0 as an int64_t into
 * *out.  DB_ERR_NO_ROWS when there is no row, DB_ERR_ARG when the value is
 * NULL or not an integer.
 */
int db_query_int64(PGconn *c, const char *sql, int n,
		   const char *const *params, int64_t *out, struct db_err *err);

/*
 * db_value_int64 — parse PQgetvalue(res, row, col) as an int64_t.
 * Returns DB_OK, or DB_ERR_ARG when NULL or malformed.
 */
int db_value_int64(const PGresult *res, int row, int col, int64_t *out);

/* db_begin / db_commit / db_rollback — transaction control.  Return DB_OK
 * or a negative db_error (a failed COMMIT means the txn was rolled back;
 * DB_ERR_RETRY means it may succeed if run again). */
int db_begin(PGconn *c, struct db_err *err);
int db_commit(PGconn *c, struct db_err *err);
int db_rollback(PGconn *c);

/*
 * db_prepare_all — prepare every statement of the NULL-name terminated
 * table stmts (borrowed: a static table) on c, in one round trip, and
 * remember the table on c (db_exec_prepared; forgotten by PQreset and
 * PQfinish).  Call it after each connect (db_reset does).  Every statement
 * is tried; the ones that fail are logged and prepared again on use.
 * Returns DB_OK when all were prepared, else the first failure's code
 * (err filled, its message naming the statement); the connection stays
 * usable unless that code is DB_ERR_CONNECT.
 */
int db_prepare_all(PGconn *c, const struct db_stmt *stmts,
		   struct db_err *err);

/*
 * db_notify — pg_notify(channel, payload) through a parameterised query.
 * Inside a transaction the notification is sent at commit.
 */
int db_notify(PGconn *c, const char *channel, const char *payload,
	      struct db_err *err);

#endif
