/*
 * tables_cash.c — the database side of Open Poker's /ws: an agent's API
 * key, the lobby's seating (cash_join: a seat at a cash table and the buy-in
 * reserved, sql/061_cash_lobby.sql; the queue is lobby.c's), and finding the
 * table an agent already sits at.
 */
#include "tables_int.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/auth.h"
#include "statements.h"

struct cash_op {
	struct tables *r;
	struct conn *c;
	tables_cash_cb *cb;
	void (*attached)(struct conn *c, int err, const char *message);
};

static struct cash_op *op_new(struct tables *r, struct conn *c, tables_cash_cb *cb,
			      void (*attached)(struct conn *, int, const char *))
{
	struct cash_op *op = calloc(1, sizeof(*op));

	if (!op)
		return NULL;
	op->r = r;
	op->c = c;
	op->cb = cb;
	op->attached = attached;
	conn_ref(c);
	return op;
}

static void op_free(struct cash_op *op)
{
	conn_unref(op->c);
	free(op);
}

static void reply_err(struct conn *c, tables_cash_cb *cb, int err, const char *message)
{
	struct cash_reply rep = { .err = err, .message = message, .seat = -1 };

	cb(c, &rep);
}

/* Query stmt for op; on failure answer at once (database unavailable). */
static void op_query(struct cash_op *op, const char *stmt, int n, const char *const *params,
		     void (*done)(void *, const PGresult *, const struct db_err *))
{
	if (wsdb_query(op->r->db, stmt, n, params, done, op) != 0) {
		if (conn_open(op->c))
			reply_err(op->c, op->cb, WSD_EUNAVAILABLE, "Database unavailable: try again");
		op_free(op);
	}
}

/* A query of stmt on c's agent id, answered by done (to cb; attached when
 * given). */
static void agent_query(struct tables *r, struct conn *c, tables_cash_cb *cb,
			void (*attached)(struct conn *, int, const char *), const char *stmt,
			void (*done)(void *, const PGresult *, const struct db_err *))
{
	const char *params[1] = { c->agent_id };
	struct cash_op *op = op_new(r, c, cb, attached);

	if (!op) {
		reply_err(c, cb, WSD_EUNAVAILABLE, "Out of memory");
		return;
	}
	op_query(op, stmt, 1, params, done);
}

/* Attach c to seat seat of table id (owner: its instance, may be NULL). */
static void attach(struct cash_op *op, const char *id, const char *owner, int seat)
{
	struct waiter *w;

	if (!op->attached)
		return;
	w = tables_new_waiter(op->c, seat, op->attached);
	if (!w) {
		op->attached(op->c, WSD_EUNAVAILABLE, "Out of memory");
		return;
	}
	tables_reach(op->r, id, owner, w);
}

/* The agent ------------------------------------------------------------------------*/

static void on_agent(void *arg, const PGresult *res, const struct db_err *err)
{
	struct cash_op *op = arg;
	struct cash_reply rep = { .seat = -1 };

	if (!conn_open(op->c)) {
		op_free(op);
		return;
	}
	if (err) {
		rep.err = WSD_EUNAVAILABLE;
		rep.message = "Database unavailable: try again";
	} else if (PQntuples(res) != 1) {
		rep.err = WSD_EUNAUTHORIZED;
		rep.message = "Invalid or missing API key";
	} else {
		snprintf(op->c->agent_id, sizeof(op->c->agent_id), "%s", PQgetvalue(res, 0, 0));
		rep.name = PQgetvalue(res, 0, 1);
	}
	op->cb(op->c, &rep);
	op_free(op);
}

void tables_cash_agent(struct tables *r, struct conn *c, const char *key, tables_cash_cb *cb)
{
	char hash[TOKEN_HASH_SIZE];
	const char *params[1] = { hash };
	struct cash_op *op = op_new(r, c, cb, NULL);

	if (!op) {
		reply_err(c, cb, WSD_EUNAVAILABLE, "Out of memory");
		return;
	}
	if (auth_key_hash(key, hash) != AUTH_OK) {
		reply_err(c, cb, WSD_EUNAUTHORIZED, "Invalid or missing API key");
		op_free(op);
		return;
	}
	op_query(op, "op_agent", 1, params, on_agent);
}

/* Where it sits --------------------------------------------------------------------*/

static void on_seat_of(void *arg, const PGresult *res, const struct db_err *err)
{
	struct cash_op *op = arg;
	struct cash_reply rep = { .seat = -1 };
	int64_t seat;

	if (!conn_open(op->c)) {
		op_free(op);
		return;
	}
	if (err) {
		rep.err = WSD_EUNAVAILABLE;
		rep.message = "Database unavailable: try again";
	} else if (PQntuples(res) == 1 && tables_int(res, 0, 1, &seat)) {
		rep.result = "seated";
		rep.table_id = PQgetvalue(res, 0, 0);
		rep.seat = (int)seat;
	}
	op->cb(op->c, &rep);
	if (rep.table_id)
		attach(op, rep.table_id, tables_value(res, 0, 2), rep.seat);
	op_free(op);
}

void tables_cash_seat(struct tables *r, struct conn *c, tables_cash_cb *cb,
		      void (*attached)(struct conn *c, int err, const char *message))
{
	agent_query(r, c, cb, attached, "op_seat_of", on_seat_of);
}

/* The balance ----------------------------------------------------------------------*/

static void on_balance(void *arg, const PGresult *res, const struct db_err *err)
{
	struct cash_op *op = arg;
	struct cash_reply rep = { .seat = -1 };

	if (!conn_open(op->c)) {
		op_free(op);
		return;
	}
	if (err || PQntuples(res) != 1 || !tables_int(res, 0, 0, &rep.balance_ucents)) {
		rep.err = WSD_EUNAVAILABLE;
		rep.message = "Database unavailable: try again";
	}
	op->cb(op->c, &rep);
	op_free(op);
}

void tables_cash_balance(struct tables *r, struct conn *c, tables_cash_cb *cb)
{
	agent_query(r, c, cb, NULL, "op_balance", on_balance);
}

/* The lobby -------------------------------------------------------------------------*/

/* The seat cash_join gave, read back, for a table this process does not
 * run: still open (a new table, or another instance's), attach; gone (the
 * table ended and was released here while the join was decided: the end
 * cashed the seat out), the lobby asks again. */
static void on_seat_check(void *arg, const PGresult *res, const struct db_err *err)
{
	struct cash_op *op = arg;
	int64_t seat;

	if (!conn_open(op->c)) {
		op_free(op);
		return;
	}
	if (err)
		op->attached(op->c, WSD_EUNAVAILABLE, "Database unavailable: try again");
	else if (PQntuples(res) != 1 || !tables_int(res, 0, 1, &seat))
		op->attached(op->c, WSD_ETABLE_ENDED, "The table has closed");
	else
		attach(op, PQgetvalue(res, 0, 0), tables_value(res, 0, 2), (int)seat);
	op_free(op);
}

static void on_join(void *arg, const PGresult *res, const struct db_err *err)
{
	struct cash_op *op = arg;
	struct cash_reply rep = { .seat = -1 };
	int64_t seat = -1, balance = 0;
	const char *params[1] = { op->c->agent_id };
	struct table *t;

	if (!conn_open(op->c)) {
		op_free(op);
		return;
	}
	if (err || PQntuples(res) != 1) {
		rep.err = WSD_EUNAVAILABLE;
		rep.message = "Database unavailable: try again";
	} else {
		rep.result = PQgetvalue(res, 0, 0);
		rep.table_id = tables_value(res, 0, 1);
		if (tables_int(res, 0, 2, &seat))
			rep.seat = (int)seat;
		if (tables_int(res, 0, 3, &balance))
			rep.balance_ucents = balance;
	}
	op->cb(op->c, &rep);
	if (rep.err || strcmp(rep.result, "ok") != 0 || !rep.table_id || rep.seat < 0 ||
	    !op->attached || !conn_open(op->c)) {
		op_free(op);
		return;
	}
	t = tables_find(op->r, rep.table_id);
	if (t && (t->end_requested || t->pending_end || t->status == TABLE_ENDED)) {
		/* A table this process is closing (its last players left while
		 * the join was decided): the end cashes the new seat out too,
		 * so the lobby asks again once it has. */
		op->attached(op->c, WSD_ETABLE_ENDED, "The table is closing");
		op_free(op);
	} else if (t || tables_loading(op->r, rep.table_id)) {
		attach(op, rep.table_id, NULL, rep.seat);
		op_free(op);
	} else {
		op_query(op, "op_seat_of", 1, params, on_seat_check);
	}
}

void tables_cash_join(struct tables *r, struct conn *c, int64_t buy_in_chips,
		      tables_cash_cb *cb,
		      void (*attached)(struct conn *c, int err, const char *message))
{
	const struct wsdconf_cash *k = &r->cfg->cash;
	char v[10][24];
	const char *params[11];
	struct cash_op *op = op_new(r, c, cb, attached);
	int i;

	if (!op) {
		reply_err(c, cb, WSD_EUNAVAILABLE, "Out of memory");
		return;
	}
	params[0] = c->agent_id;
	snprintf(v[0], sizeof(v[0]), "%" PRId64, buy_in_chips);
	snprintf(v[1], sizeof(v[1]), "%" PRId64, k->chip_ucents);
	snprintf(v[2], sizeof(v[2]), "%" PRId64, k->sb_chips);
	snprintf(v[3], sizeof(v[3]), "%" PRId64, k->bb_chips);
	snprintf(v[4], sizeof(v[4]), "%d", k->seats);
	snprintf(v[5], sizeof(v[5]), "%" PRId64, k->min_buy_in_chips);
	snprintf(v[6], sizeof(v[6]), "%" PRId64, k->max_buy_in_chips);
	snprintf(v[7], sizeof(v[7]), "%d", k->action_timeout_ms);
	snprintf(v[8], sizeof(v[8]), "%d", k->rake_bp);
	snprintf(v[9], sizeof(v[9]), "%" PRId64, k->rake_cap_chips);
	for (i = 0; i < 10; i++)
		params[i + 1] = v[i];
	op_query(op, "op_cash_join", 11, params, on_join);
}
