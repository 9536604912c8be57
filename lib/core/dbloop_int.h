/*
 * dbloop_int — what the two halves of dbloop share: the connection's life
 * (dbloop_conn.c: connect, set up, drop, reconnect, timer) and the pipeline
 * (dbloop.c: queries in flight, results, notifications, the public calls).
 * Private to lib/core/dbloop*.c; callers use dbloop.h.
 */
#ifndef FELT_DBLOOP_INT_H
#define FELT_DBLOOP_INT_H

#include "core/dbloop.h"

#include <stdint.h>
#include <sys/types.h>

enum dbloop_state {
	ST_IDLE,       /* not started */
	ST_WAIT,       /* no connection; retry at retry_at */
	ST_CONNECTING, /* PQconnectPoll in progress */
	ST_SETUP,      /* connected; statements and LISTENs in flight */
	ST_UP,
	ST_FREEING,
};

/* What a statement of the table is on the current connection. */
enum { PREP_NONE, PREP_SENT, PREP_OK };

enum dbloop_item_kind {
	IT_QUERY,   /* a caller's query: cb is called */
	IT_PREPARE, /* a statement of the table */
	IT_LISTEN,  /* one LISTEN of setup */
};

/* One entry of the pipeline, in the order the server answers. */
struct dbloop_item {
	struct dbloop_item *next;
	enum dbloop_item_kind kind;
	int stmt;         /* IT_QUERY, IT_PREPARE: index in the table */
	bool synced;      /* a sync follows: done at PGRES_PIPELINE_SYNC, else at NULL */
	bool got_result;  /* at least one result read */
	bool nulls;       /* the previous PQgetResult was NULL */
	PGresult *res;    /* the result kept: the first error, else the first */
	dbloop_cb cb;
	void *arg;
	bool prep_failed; /* IT_QUERY: the PREPARE sent just before it failed */
	struct db_err prep_err;
};

struct dbloop {
	char *conninfo;
	struct db_settings settings;
	const struct db_stmt *stmts;
	int nstmts;
	unsigned char *prepared; /* PREP_* per statement */
	const char *const *listen;
	int nlisten;
	struct dbloop_hooks hooks;

	enum dbloop_state st;
	PGconn *conn;
	int fd;             /* the socket hooks.watch was told of, or -1 */
	ino_t fd_id;        /* and which socket that was (its inode) */
	bool writing;       /* hooks.want_write(on) in force */
	PostgresPollingStatusType poll_want; /* ST_CONNECTING: what libpq waits for */
	bool lost_pending;  /* a send failed: drop the connection on the timer */

	struct dbloop_item *head, *tail;
	int inflight;       /* IT_QUERY items */
	int setup_left;     /* ST_SETUP: items before up */

	int64_t timer_at;   /* monotonic ms the hook timer is set for, or -1 */
	int64_t retry_at;   /* ST_WAIT */
	int64_t connect_deadline; /* ST_CONNECTING, ST_SETUP */
	int64_t progress_at;      /* ST_UP: last answer or first send */
	int backoff_ms;
	int failures;       /* failed attempts since the last up (or start) */
	int64_t down_since; /* monotonic ms of the loss or first failure, or 0 */
	bool down_logged;   /* the warn line of this outage is written */
};

/* Monotonic milliseconds. */
int64_t dbloop_now_ms(void);

/* Set the hook timer for the earliest thing db waits for. */
void dbloop_arm(struct dbloop *db);

/* Stop the loop watching, then close libpq's connection. */
void dbloop_close_conn(struct dbloop *db);

/* The connection (or attempt) is gone: fail what is in flight with why,
 * report down when it was up, retry after the backoff. */
void dbloop_drop(struct dbloop *db, const char *why);

/* dbloop_drop with libpq's own message. */
void dbloop_drop_conn_error(struct dbloop *db);

/* Send what libpq buffered; false when the connection failed. */
bool dbloop_flush(struct dbloop *db);

/* Setup done: report up. */
void dbloop_become_up(struct dbloop *db);

/* Send PREPARE of statement i (synced: followed by its own sync). */
bool dbloop_send_prepare(struct dbloop *db, int i, bool synced);

/* Start a connection attempt. */
void dbloop_connect_begin(struct dbloop *db);

/* Advance PQconnectPoll when the socket is ready for it. */
void dbloop_connect_step(struct dbloop *db);

/* Drop the connection from the timer (never inside dbloop_query). */
void dbloop_lose_later(struct dbloop *db);

/* Free an entry and its kept result. */
void dbloop_item_free(struct dbloop_item *it);

/* Append it to the pipeline. */
void dbloop_push(struct dbloop *db, struct dbloop_item *it);

/* Answer every query of list DB_ERR_CONNECT (why) and free the list. */
void dbloop_fail_all(struct dbloop_item *list, const char *why);

/* A pipeline entry (NULL when out of memory). */
struct dbloop_item *dbloop_item_new(enum dbloop_item_kind kind, int stmt, bool synced);

#endif
