/*
 * api_platform.c — platform agent endpoints: GET /api/accounting (the
 * money conservation invariant) and GET /api/platform/revenue (rake).
 *
 * Both read raw ledger sums (the accounting_invariant view recomputes
 * everything from ledger_entries, sql/003_views.sql), so any drift between
 * the maintained balances and the entries shows here.
 */
#include "api_handlers.h"
#include "caller.h"
#include "core/db.h"
#include "money/money.h"
#include "queries.h"

static const char *const accounting_fields[] = {
	"total_deposited_ucents",
	"total_balance_ucents",
	"total_in_play_ucents",
	"total_rake_ucents",
	"total_withdrawn_ucents",
	"total_pending_withdrawals_ucents",
	"net_adjustments_ucents",
	"drift_ucents",
	"balance_drift_ucents",
};
#define N_ACCOUNTING (sizeof accounting_fields / sizeof accounting_fields[0])

int api_accounting(struct handler_ctx *ctx, struct request *req,
		   struct response *res)
{
	struct auth_agent who;
	struct json_object *o;
	int64_t txn_count = 0;
	PGresult *r;
	PGconn *c;

	if (caller_platform(ctx, req, res, &c, &who) != 0)
		return -1;
	r = db_exec_prepared(c, QUERIES_ACCOUNTING, 0, NULL, NULL);
	if (r == NULL || PQntuples(r) != 1) {
		PQclear(r);
		return caller_db_failed(c, req, res);
	}
	o = json_object_new_object();
	for (size_t i = 0; i < N_ACCOUNTING; i++) {
		int64_t v = 0;

		db_value_int64(r, 0, (int)i, &v);
		json_object_object_add(o, accounting_fields[i],
				       json_object_new_int64(v));
	}
	json_object_object_add(o, "invariant_holds",
			       json_object_new_boolean(
				       PQgetvalue(r, 0, N_ACCOUNTING)[0] == 't'));
	db_value_int64(r, 0, N_ACCOUNTING + 1, &txn_count);
	json_object_object_add(o, "txn_count", json_object_new_int64(txn_count));
	PQclear(r);
	return response_json(res, 200, o);
}

int api_platform_revenue(struct handler_ctx *ctx, struct request *req,
			 struct response *res)
{
	struct auth_agent who;
	struct json_object *o;
	int64_t total_ucents = 0, today_ucents = 0, hands = 0, hands_today = 0;
	PGresult *r;
	PGconn *c;

	if (caller_platform(ctx, req, res, &c, &who) != 0)
		return -1;
	r = db_exec_prepared(c, QUERIES_REVENUE, 0, NULL, NULL);
	if (r == NULL || PQntuples(r) != 1 ||
	    db_value_int64(r, 0, 0, &total_ucents) != DB_OK ||
	    db_value_int64(r, 0, 1, &today_ucents) != DB_OK ||
	    db_value_int64(r, 0, 2, &hands) != DB_OK ||
	    db_value_int64(r, 0, 3, &hands_today) != DB_OK) {
		PQclear(r);
		return caller_db_failed(c, req, res);
	}
	PQclear(r);
	o = json_object_new_object();
	json_object_object_add(o, "total_rake_cents",
			       json_object_new_int64(money_ucents_to_cents(total_ucents)));
	json_object_object_add(o, "today_rake_cents",
			       json_object_new_int64(money_ucents_to_cents(today_ucents)));
	json_object_object_add(o, "total_rake_ucents",
			       json_object_new_int64(total_ucents));
	json_object_object_add(o, "today_rake_ucents",
			       json_object_new_int64(today_ucents));
	json_object_object_add(o, "total_rake", money_json_dollars(total_ucents));
	json_object_object_add(o, "today_rake", money_json_dollars(today_ucents));
	json_object_object_add(o, "hand_count", json_object_new_int64(hands));
	json_object_object_add(o, "today_hand_count",
			       json_object_new_int64(hands_today));
	return response_json(res, 200, o);
}
