/*
 * api_money.c — the caller's money: GET /api/balance and
 * GET /api/transactions (seed 000 "GET /balance", "GET /transactions").
 *
 * Dollars on the wire are rendered from the ledger's integer ucents
 * (lib/money); each dollar field has an exact *_ucents twin.
 */
#include <stdio.h>

#include "api_handlers.h"
#include "caller.h"
#include "core/db.h"
#include "money/money.h"
#include "queries.h"
#include "core/token.h"


/*
 * The most frequent authenticated read: key check and balances in one
 * prepared statement (one round trip, no parse/plan), instead of
 * caller_authenticate's lookup followed by a second query.
 */
int api_balance(struct handler_ctx *ctx, struct request *req,
		struct response *res)
{
	char hash[TOKEN_HASH_SIZE], agent_id[AUTH_ID_SIZE];
	struct json_object *o;
	const char *params[1];
	int64_t balance_ucents = 0, in_play_ucents = 0;
	PGresult *r;
	PGconn *c;
	int rc;

	rc = auth_key_hash(request_bearer(req), hash);
	if (rc != AUTH_OK)
		return caller_unauthorized(req, res, rc);
	c = handler_db(ctx, req, res);
	if (c == NULL)
		return -1;
	params[0] = hash;
	r = db_exec_prepared(c, QUERIES_BALANCE_BY_KEY, 1, params, NULL);
	if (r == NULL)
		return caller_db_failed(c, req, res);
	if (PQntuples(r) != 1) {
		PQclear(r);
		return caller_unauthorized(req, res, AUTH_EUNKNOWN);
	}
	snprintf(agent_id, sizeof agent_id, "%s", PQgetvalue(r, 0, 0));
	if (db_value_int64(r, 0, 1, &balance_ucents) != DB_OK ||
	    db_value_int64(r, 0, 2, &in_play_ucents) != DB_OK) {
		PQclear(r);
		return caller_db_failed(c, req, res);
	}
	PQclear(r);
	o = json_object_new_object();
	json_object_object_add(o, "agent_id", json_object_new_string(agent_id));
	json_object_object_add(o, "balance", money_json_dollars(balance_ucents));
	json_object_object_add(o, "locked_in_play",
			       money_json_dollars(in_play_ucents));
	json_object_object_add(o, "total",
			       money_json_dollars(balance_ucents + in_play_ucents));
	json_object_object_add(o, "balance_ucents",
			       json_object_new_int64(balance_ucents));
	json_object_object_add(o, "locked_in_play_ucents",
			       json_object_new_int64(in_play_ucents));
	json_object_object_add(o, "total_ucents",
			       json_object_new_int64(balance_ucents +
						     in_play_ucents));
	return response_json(res, 200, o);
}

/* Columns of QUERIES_AGENT_TXNS. */
enum { T_TOTAL, T_ID, T_KIND, T_AMOUNT, T_AFTER, T_REF, T_CREATED };

static struct json_object *txn_json(const PGresult *r, int row)
{
	struct json_object *t = json_object_new_object();
	struct json_object *ref = NULL;
	int64_t id = 0, amount_ucents = 0, after_ucents = 0;

	db_value_int64(r, row, T_ID, &id);
	db_value_int64(r, row, T_AMOUNT, &amount_ucents);
	db_value_int64(r, row, T_AFTER, &after_ucents);
	ref = json_tokener_parse(PQgetvalue(r, row, T_REF));
	/* Who on the operator side posted an adjustment is for the DBA's
	 * audit, not for the agent. */
	if (ref != NULL)
		json_object_object_del(ref, "operator");
	json_object_object_add(t, "id", json_object_new_int64(id));
	json_object_object_add(t, "type",
			       json_object_new_string(PQgetvalue(r, row, T_KIND)));
	json_object_object_add(t, "amount", money_json_dollars(amount_ucents));
	json_object_object_add(t, "amount_ucents",
			       json_object_new_int64(amount_ucents));
	json_object_object_add(t, "balance_after",
			       money_json_dollars(after_ucents));
	json_object_object_add(t, "balance_after_ucents",
			       json_object_new_int64(after_ucents));
	json_object_object_add(t, "reference",
			       ref ? ref : json_object_new_object());
	json_object_object_add(t, "created_at",
			       json_object_new_string(PQgetvalue(r, row, T_CREATED)));
	return t;
}

int api_transactions(struct handler_ctx *ctx, struct request *req,
		     struct response *res)
{
	struct auth_agent who;
	struct json_object *o, *list;
	struct handler_page page;
	const char *params[3];
	int64_t total = 0;
	PGresult *r;
	PGconn *c;

	if (caller_authenticate(ctx, req, res, &c, &who) != 0 ||
	    handler_page(req, res, &page) != 0)
		return -1;
	params[0] = who.id;
	params[1] = page.limit_s;
	params[2] = page.offset_s;
	r = db_exec_prepared(c, QUERIES_AGENT_TXNS, 3, params, NULL);
	if (r == NULL || PQntuples(r) < 1 ||
	    db_value_int64(r, 0, T_TOTAL, &total) != DB_OK) {
		PQclear(r);
		return caller_db_failed(c, req, res);
	}
	list = json_object_new_array();
	for (int i = 0; i < PQntuples(r); i++)
		if (!PQgetisnull(r, i, T_ID))
			json_object_array_add(list, txn_json(r, i));
	PQclear(r);
	o = json_object_new_object();
	json_object_object_add(o, "transactions", list);
	json_object_object_add(o, "total", json_object_new_int64(total));
	json_object_object_add(o, "limit", json_object_new_int64(page.limit));
	json_object_object_add(o, "offset", json_object_new_int64(page.offset));
	return response_json(res, 200, o);
}
