/*
 * tables.h — the registry of the tables this felt-wsd runs, and everything
 * between them and the database.
 *
 * It finds the tables this instance owns (claims, leases, takeovers,
 * DESIGN §1/§5), loads them, applies the table_commands felt-api files
 * (woken by NOTIFY felt_tables, and reading every pending one at start and
 * after each reconnect), authenticates MoltPoker sessions, and carries the
 * runtime's writes (start, leave, end, each hand's commit) to the SQL
 * functions of sql/020_wsd.sql, one table's writes in order on one
 * connection.  While the database is down tables keep playing the hand in
 * progress, do not deal another, and retry their commit when it is back.
 */
#ifndef FELT_WSD_TABLES_H
#define FELT_WSD_TABLES_H

#include <stdbool.h>
#include <stdint.h>

#include "codec.h"
#include "conn.h"
#include "loop.h"
#include "poker/deck.h"
#include "wsdconf.h"

struct table;
struct wsdb;

struct tables_stats {
	int active_tables;       /* running */
	int waiting_tables;
	int active_connections;  /* WebSocket connections */
	int64_t hands_committed; /* since start */
	int lobby_queue;         /* players in the Open Poker lobby (lobby.h) */
};

struct tables;

/*
 * tables_new — an empty registry on loop l using database db (wsdb.h) and
 * configuration cfg (borrowed).  Returns NULL when memory is short.
 */
struct tables *tables_new(struct loop *l, struct wsdb *db, const struct wsdconf *cfg);

/* tables_free — free every table (without writing anything). */
void tables_free(struct tables *r);

/* tables_db_state — the database went up (claim, reload, catch up on
 * commands, retry commits) or down (pause dealing). */
void tables_db_state(struct tables *r, bool up);

/* tables_notify — NOTIFY felt_tables, payload = a table id. */
void tables_notify(struct tables *r, const char *payload);

/* tables_tick — periodic: renew leases, claim tables of dead instances. */
void tables_tick(struct tables *r);

/* tables_stats — figures for the heartbeat. */
void tables_stats(const struct tables *r, struct tables_stats *out);

/*
 * tables_shutdown — stop dealing; returns true once no hand is in progress
 * or being committed (call again until it does, or until the stop timeout,
 * then tables_void_all).
 */
bool tables_shutdown(struct tables *r);

/* tables_void_all — give up the hands still in progress (they are void). */
void tables_void_all(struct tables *r);

/*
 * tables_session — authenticate MoltPoker session token for c and attach c
 * to its seat (loading or claiming the table if needed); then cb(c, err)
 * with 0 or a wsd_err (c is not attached then).  c is referenced meanwhile.
 */
void tables_session(struct tables *r, struct conn *c, const char *token,
		    void (*cb)(struct conn *c, int err, const char *message));

/* tables_observe — attach c as an observer of table_id (loading it if this
 * instance owns it); then cb as above. */
void tables_observe(struct tables *r, struct conn *c, const char *table_id,
		    void (*cb)(struct conn *c, int err, const char *message));

/* Open Poker's /ws (tables_cash.c) -----------------------------------------*/

/* What the database said about an agent or its lobby request. */
struct cash_reply {
	int err;                  /* 0, or a wsd_err (message says why) */
	const char *message;
	const char *result;       /* join: "ok", "already_seated",
				     "insufficient_funds"; seat: "seated" or
				     NULL (not seated) */
	const char *name;         /* tables_cash_agent: the agent's name */
	const char *table_id;     /* its table, NULL if none */
	int seat;                 /* its seat, -1 if none */
	int64_t balance_ucents;   /* join: the balance left (insufficient: it) */
};
typedef void tables_cash_cb(struct conn *c, const struct cash_reply *rep);

/*
 * tables_cash_agent — look up API key: on success c->agent_id is set and
 * cb gets the agent's name; else rep->err is WSD_EUNAUTHORIZED (unknown
 * key) or WSD_EUNAVAILABLE.  cb is not called if c closed meanwhile.
 */
void tables_cash_agent(struct tables *r, struct conn *c, const char *key, tables_cash_cb *cb);

/*
 * tables_cash_seat — the cash table c's agent sits at, if any (cb); when it
 * sits somewhere c is then attached to its seat (the table loaded or
 * claimed if need be) and attached(c, err, message) answers.
 */
void tables_cash_seat(struct tables *r, struct conn *c, tables_cash_cb *cb,
		      void (*attached)(struct conn *c, int err, const char *message));

/*
 * tables_cash_balance — the balance of c's agent (rep->balance_ucents;
 * rep->err WSD_EUNAVAILABLE when it cannot be read).  cb is not called if
 * c closed meanwhile.
 */
void tables_cash_balance(struct tables *r, struct conn *c, tables_cash_cb *cb);

/*
 * tables_cash_join — one lobby step (lobby.c calls it for the head of its
 * queue): seat c's agent at a cash table with buy_in_chips (in the
 * configured range: the caller checks), reserving the money (sql/061
 * cash_join).  cb gets the result; on "ok" c is then attached to its new
 * seat and attached() answers (WSD_ETABLE_ENDED at once when that table is
 * one this process is closing: ask again once it has ended).
 */
void tables_cash_join(struct tables *r, struct conn *c, int64_t buy_in_chips,
		      tables_cash_cb *cb,
		      void (*attached)(struct conn *c, int err, const char *message));

/* tables_lobby — this process's Open Poker lobby (lobby.h); NULL when r is
 * NULL (the registry is gone: felt-wsd stopping). */
struct lobby *tables_lobby(struct tables *r);

/* tables_stopping — true once the process stops: nobody more is seated. */
bool tables_stopping(const struct tables *r);

/* For the runtime (table.c, table_life.c). */
const struct wsdconf *tables_config(const struct tables *r);
struct loop *tables_loop(struct tables *r);
struct deck_shuffler *tables_shuffler(struct tables *r);
void tables_request_start(struct tables *r, struct table *t, bool force, int64_t command);
void tables_request_leave(struct tables *r, struct table *t, int seat, const char *agent_id,
			  const char *reason, int64_t command);
void tables_request_end(struct tables *r, struct table *t, const char *reason,
			int64_t command);
void tables_request_commit(struct tables *r, struct table *t);
void tables_command_done(struct tables *r, struct table *t, int64_t command,
			 const char *result);
/* tables_release — t ended or was lost: forget and free it (later, on the
 * loop, never inside its own callbacks). */
void tables_release(struct tables *r, struct table *t);

#endif
