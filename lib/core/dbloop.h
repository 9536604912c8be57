/*
 * dbloop — the non-blocking half of db: one PostgreSQL connection driven by
 * the caller's event loop (felt-wsd's libwebsockets loop, a test's poll()).
 *
 * Nothing here blocks or sleeps: the connection is made with
 * PQconnectStart/PQconnectPoll, the socket is non-blocking, queries run in
 * libpq's pipeline mode, and every wait (connecting, a query in flight, the
 * pause before reconnecting) is a timer the loop runs for us.  This module
 * knows no event library: the loop is reached through struct dbloop_hooks,
 * and the loop calls back dbloop_readable/_writable/_timer.
 *
 * Life of a connection:
 *   dbloop_start         connect (bounded by the connect timeout), then, in
 *                        one round trip, prepare every statement of the
 *                        program's table (struct db_stmt, see db.h) and
 *                        LISTEN on every channel; then hooks.state(up=true).
 *                        A statement that fails to prepare (it names a table
 *                        a later migration adds) is logged and prepared
 *                        again just before its next use, so it fails alone,
 *                        with the server's error; a failed LISTEN counts as
 *                        a lost connection (the caller relies on hearing).
 *   up                   dbloop_query sends; results come back by callback.
 *   lost                 socket error, server gone, or no answer within the
 *                        statement timeout + DBLOOP_GRACE_MS while a query
 *                        is in flight (a frozen server answers nothing and
 *                        breaks no TCP rule): every query in flight fails
 *                        with DB_ERR_CONNECT, hooks.state(up=false), and a
 *                        new connection is tried on the timer after a pause
 *                        of 100 ms doubling to 5 s (reset once up again).
 *                        Statements and LISTENs are set up again on every
 *                        new connection before it is reported up.
 *
 * Queries: each dbloop_query is one prepared statement followed by a
 * pipeline sync, so each is its own transaction and a failing one does not
 * abort those behind it; results arrive in submission order.  A change that
 * needs several statements atomically is one SQL function (one statement,
 * one transaction): there are no BEGIN/COMMIT pairs on a shared pipeline.
 *
 * While the connection is not up (connecting, setting up, lost, waiting to
 * retry), dbloop_query fails fast: it returns DB_ERR_CONNECT and the
 * callback is not called.  There is no queue: felt-wsd pauses dealing on
 * state(up=false) and resubmits (a hand's commit) on state(up=true), and an
 * outage never piles up work behind it.  At most DBLOOP_MAX_INFLIGHT
 * queries are in flight at once; beyond that dbloop_query returns
 * DB_ERR_BUSY.
 *
 * Exactly once: a query accepted by dbloop_query (it returned 0) gets its
 * callback called exactly once, with its result, with the SQL error
 * (err->code classified by db_classify, err->sqlstate set), or with
 * DB_ERR_CONNECT when the connection was lost before its result arrived
 * (a write may then have committed or not: make retried writes
 * idempotent).  Callbacks never run inside dbloop_query or dbloop_start:
 * only from dbloop_readable, dbloop_writable, dbloop_timer and dbloop_free.
 * A callback may call dbloop_query (on any loop) but must not free the loop
 * it was called from.
 *
 * Notifications: every NOTIFY on a LISTENed channel is passed to
 * hooks.notify as it is read, even while no query is in flight (nothing is
 * dropped while connected).  NOTIFY is not a queue: notifications sent
 * while the connection was down are gone, so on state(up=true) the caller
 * re-reads whatever the channel announces (DESIGN §5).
 *
 * Hooks (the caller's event loop).  All are called from inside dbloop_*
 * calls, never from another thread; none may call dbloop_free.
 *   watch(ctx, old_fd, new_fd)
 *       the connection's socket changed: stop watching old_fd (when >= 0)
 *       and watch new_fd (when >= 0) for readability.  libpq may already
 *       have closed old_fd: it switches sockets while trying the addresses
 *       of a host, and the next socket usually gets the same number, so
 *       old_fd == new_fd is a real change too (a new socket behind the
 *       same number).  A new socket starts without write interest
 *       (want_write follows when needed).  The caller must never close
 *       new_fd itself; a loop that closes what it watches (libwebsockets
 *       closes an adopted descriptor when its wsi dies) should watch
 *       dup(new_fd) and close that dup when told to stop.  When the loop reports an error or a
 *       hangup on the socket, or gives up watching it, call
 *       dbloop_readable: dbloop finds out what happened.
 *   want_write(ctx, on)
 *       also watch the socket for writability (output is pending, or the
 *       connect waits for it), or stop; call dbloop_writable when writable.
 *   timer(ctx, ms)
 *       call dbloop_timer once, ms milliseconds from now (0: as soon as the
 *       loop is back in control), replacing any timer set before; -1 cancels.
 *   state(ctx, up)
 *       up: connected, statements prepared, LISTENs in place; queries may be
 *       sent.  down: the connection was lost (once per loss; never before a
 *       first up).
 *   notify(ctx, channel, payload)      may be NULL when nothing is LISTENed.
 * Strings passed to hooks are valid only during the call.
 *
 * One struct dbloop is one connection.  dbpool.h spreads queries over a few
 * of them so that many tables' commits do not wait on one another.
 */
#ifndef FELT_DBLOOP_H
#define FELT_DBLOOP_H

#include <libpq-fe.h>
#include <stdbool.h>

#include "core/db.h"

/* Queries in flight on one connection before dbloop_query says DB_ERR_BUSY. */
#define DBLOOP_MAX_INFLIGHT 4096

/* A query in flight longer than the statement timeout plus this is taken as
 * a sign of a frozen server: the connection is dropped and made again.  The
 * server's own statement_timeout normally answers first (an error). */
#define DBLOOP_GRACE_MS 2000

/* Pause before the first reconnect attempt, doubling up to the cap. */
#define DBLOOP_BACKOFF_MIN_MS 100
#define DBLOOP_BACKOFF_MAX_MS 5000

struct dbloop;

struct dbloop_hooks {
	void *ctx; /* passed back to every hook */
	void (*watch)(void *ctx, int old_fd, int new_fd);
	void (*want_write)(void *ctx, bool on);
	void (*timer)(void *ctx, int ms);
	void (*state)(void *ctx, bool up);
	void (*notify)(void *ctx, const char *channel, const char *payload);
};

/*
 * The result of one query.  On success res is the statement's result
 * (PGRES_TUPLES_OK or PGRES_COMMAND_OK) and err is NULL.  On failure err is
 * filled (code, sqlstate, constraint, message) and res is the server's
 * error result, or NULL when there is none (connection lost).  res and err
 * belong to dbloop and are freed when the callback returns: copy what you
 * keep.
 */
typedef void (*dbloop_cb)(void *arg, const PGresult *res,
			  const struct db_err *err);

/*
 * dbloop_new — a connection to conninfo (FELT_DB: libpq conninfo or URI;
 * NULL or "" for libpq's defaults) completed with settings (db_conninfo:
 * connect timeout, statement timeout, keepalives; NULL: the defaults),
 * labelled app in pg_stat_activity (NULL: "felt").  stmts is the program's
 * statement table (NULL-name terminated, may be NULL), listen a
 * NULL-terminated list of channel names (may be NULL); both, and hooks, are
 * borrowed and must outlive the loop (static tables).  Nothing happens
 * until dbloop_start.  Returns NULL when conninfo is malformed (logged,
 * event=db_bad_conninfo), a channel name is empty, or memory is short.
 * Free with dbloop_free.
 */
struct dbloop *dbloop_new(const char *conninfo,
			  const struct db_settings *settings, const char *app,
			  const struct db_stmt *stmts,
			  const char *const *listen,
			  const struct dbloop_hooks *hooks);

/*
 * dbloop_start — begin connecting (and keep reconnecting until freed).
 * Calls hooks (watch, want_write, timer) but no callback.  Calling it again
 * does nothing.  Host names are resolved here, synchronously: give a unix
 * socket directory, an address in hostaddr, or a name in /etc/hosts.
 */
void dbloop_start(struct dbloop *db);

/*
 * dbloop_free — close the connection (watch(fd, -1) first), fail every
 * query in flight with DB_ERR_CONNECT (their callbacks run now), cancel the
 * timer, free everything.  No state hook is called.  NULL-safe.  Must not
 * be called from one of db's own callbacks or hooks.
 */
void dbloop_free(struct dbloop *db);

/*
 * dbloop_query — send the prepared statement stmt_name (a name from the
 * table given to dbloop_new) with n text parameters (NULL entries are SQL
 * NULL; copied before the call returns).  Returns 0: cb(arg, ...) will be
 * called exactly once, later.  Or, with cb never called: DB_ERR_CONNECT
 * (not up), DB_ERR_BUSY (DBLOOP_MAX_INFLIGHT reached), DB_ERR_ARG (unknown
 * statement name, n differs from its nparams, cb NULL).
 */
int dbloop_query(struct dbloop *db, const char *stmt_name, int n,
		 const char *const *params, dbloop_cb cb, void *arg);

/* dbloop_readable — the socket is readable (or in error, or hung up). */
void dbloop_readable(struct dbloop *db);

/* dbloop_writable — the socket is writable. */
void dbloop_writable(struct dbloop *db);

/* dbloop_timer — the timer set through hooks.timer is due. */
void dbloop_timer(struct dbloop *db);

/* dbloop_is_up — true between state(up=true) and the next loss. */
bool dbloop_is_up(const struct dbloop *db);

/* dbloop_inflight — queries accepted and not yet answered (load, for
 * dbpool's choice of connection). */
int dbloop_inflight(const struct dbloop *db);

/* dbloop_fd — the socket being watched, or -1. */
int dbloop_fd(const struct dbloop *db);

#endif
