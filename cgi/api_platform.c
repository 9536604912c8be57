/*
 * api_platform.c — platform agent endpoints: GET /api/accounting (the
 * money conservation invariant) and GET /api/platform/revenue (rake).
 *
 * Both read raw ledger sums (the accounting_invariant view recomputes
 * everything from ledger_entries, sql/003_views.sql), so any drift between
 * the maintained balances and the entries shows here.  /api/accounting
 * adds one field to the seed's, ledger_audit: the hash chain checked
 * against the rows (sql/032 ledger_verify()), so that an edit made even by
 * a superuser shows too.
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

/* Column col of row 0 as a JSON integer, or null when SQL NULL. */
static struct json_object *int_or_null(const PGresult *r, int col)
{
	int64_t v;

	return db_value_int64(r, 0, col, &v) == DB_OK ? json_object_new_int64(v) : NULL;
}

static struct json_object *text_or_null(const PGresult *r, int col)
{
	return PQgetisnull(r, 0, col) ? NULL : json_object_new_string(PQgetvalue(r, 0, col));
}

/*
 * {"intact", "seals", "sealed_txns", "unsealed_txns", "head_seal",
 * "head_through_txn", "head_digest", "first_bad_txn", "problem"}.  When the
 * check itself fails (a statement timeout on a huge ledger), intact is
 * null and problem says so: the seed's fields are still answered.
 */
static struct json_object *ledger_audit(PGconn *c)
{
	static const char *const names[] = {"seals", "sealed_txns", "unsealed_txns",
					    "head_seal", "head_through_txn"};
	struct json_object *o = json_object_new_object();
	struct db_err err;
	PGresult *r = db_exec_prepared(c, QUERIES_LEDGER_VERIFY, 0, NULL, &err);

	if (r == NULL || PQntuples(r) != 1) {
		json_object_object_add(o, "intact", NULL);
		json_object_object_add(o, "problem", json_object_new_string(
			"the seals could not be checked (see felt-api's log)"));
		PQclear(r);
		return o;
	}
	json_object_object_add(o, "intact", json_object_new_boolean(PQgetvalue(r, 0, 0)[0] == 't'));
	for (int i = 0; i < 5; i++)
		json_object_object_add(o, names[i], int_or_null(r, i + 1));
	json_object_object_add(o, "head_digest", text_or_null(r, 6));
	json_object_object_add(o, "first_bad_txn", int_or_null(r, 7));
	json_object_object_add(o, "problem", text_or_null(r, 8));
	PQclear(r);
	return o;
}

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
	json_object_object_add(o, "ledger_audit", ledger_audit(c));
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
