/*
 * api_withdraw.c — POST /api/withdraw and GET /api/withdrawal/{id} (seed
 * 000 "Payments"; DESIGN §6).
 *
 * A withdrawal is queued, not sent: withdrawal_request() checks the limits
 * of lib/money/settings and reserves the amount (agent balance ->
 * withdrawals_pending) in the same transaction that inserts the row;
 * felt-payd sends it from the hot wallet and confirms or refunds it.
 * Nothing here talks to the chain, so the queue works while the node is
 * down.
 *
 * Amounts are dollars with at most 2 decimals, parsed from the JSON text
 * (lib/money).  422: no amount, or not a number; 400: a number that is no
 * valid amount (0, negative, sub-cent, exponent, below the minimum, above
 * the maximum or the day's maximum) or no registered wallet; 402: more
 * than the balance; 503: withdrawals are off on this server.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "api_handlers.h"
#include "caller.h"
#include "core/db.h"
#include "core/log.h"
#include "money/money.h"
#include "money/payments.h"
#include "money/settings.h"
#include "queries.h"

#define DETAIL_SIZE 256

static int answer(struct request *req, struct response *res, int status,
		  const char *detail)
{
	response_error(res, req->path, status, NULL, detail, NULL);
	return -1;
}

/* The body's amount in ucents; -1 after answering 422/400. */
static int read_amount(struct request *req, struct response *res,
		       int64_t *ucents)
{
	struct json_object *body, *v;
	const char *why = NULL;
	int rc;

	if (handler_json_body(req, res, &body) != 0)
		return -1;
	if (!json_object_object_get_ex(body, "amount", &v)) {
		json_object_put(body);
		return answer(req, res, 422, "amount: required");
	}
	rc = money_parse_json(v, MONEY_NONNEGATIVE, ucents);
	json_object_put(body);
	switch (rc) {
	case MONEY_OK:
		if (*ucents == 0)
			why = "amount: must be greater than zero";
		break;
	case MONEY_ETYPE:
		return answer(req, res, 422, "amount: must be a number of dollars, e.g. 5.00");
	case MONEY_EPRECISION:
		why = "amount: at most 2 decimal places (whole cents)";
		break;
	case MONEY_EEXPONENT:
		why = "amount: write a plain decimal like 5.00, without an exponent";
		break;
	case MONEY_ENEGATIVE:
		why = "amount: must be greater than zero";
		break;
	case MONEY_ERANGE:
		why = "amount: too large";
		break;
	default:
		why = "amount: not a valid amount";
		break;
	}
	return why ? answer(req, res, 400, why) : 0;
}

/* 402 with the balance that is there. */
static int insufficient(PGconn *c, struct request *req, struct response *res,
			const char *agent)
{
	char msg[DETAIL_SIZE], dollars[MONEY_FORMAT_SIZE];
	const char *p[1] = { agent };
	int64_t balance_ucents = 0;
	PGresult *r = db_exec_prepared(c, QUERIES_AGENT_BALANCE, 1, p, NULL);

	if (r == NULL || db_value_int64(r, 0, 0, &balance_ucents) != DB_OK) {
		PQclear(r);
		return caller_db_failed(c, req, res);
	}
	PQclear(r);
	money_format_dollars(balance_ucents, dollars, sizeof dollars);
	snprintf(msg, sizeof msg, "Insufficient balance: %s available", dollars);
	return answer(req, res, 402, msg);
}

/* The refusals of withdrawal_request(). */
static int refused(PGconn *c, struct request *req, struct response *res,
		   const char *agent, const struct settings *s, int rc,
		   int64_t today_ucents)
{
	char msg[DETAIL_SIZE], a[MONEY_FORMAT_SIZE], b[MONEY_FORMAT_SIZE];

	switch (rc) {
	case PAYMENTS_EBELOWMIN:
		money_format_dollars(s->withdraw_min_ucents, a, sizeof a);
		snprintf(msg, sizeof msg, "amount: below the minimum withdrawal of %s", a);
		break;
	case PAYMENTS_EABOVEMAX:
		money_format_dollars(s->withdraw_max_ucents, a, sizeof a);
		snprintf(msg, sizeof msg, "amount: above the maximum withdrawal of %s", a);
		break;
	case PAYMENTS_EDAILY:
		money_format_dollars(s->withdraw_daily_max_ucents, a, sizeof a);
		money_format_dollars(today_ucents, b, sizeof b);
		snprintf(msg, sizeof msg, "amount: would exceed the daily withdrawal limit of "
			 "%s (%s already requested today, UTC)", a, b);
		break;
	case PAYMENTS_ENOWALLET:
		snprintf(msg, sizeof msg, "No wallet_address registered: set it with "
			 "PATCH /api/me before withdrawing");
		break;
	case PAYMENTS_EINSUFFICIENT:
		return insufficient(c, req, res, agent);
	default:
		return caller_db_failed(c, req, res);
	}
	return answer(req, res, 400, msg);
}

int api_withdraw(struct handler_ctx *ctx, struct request *req,
		 struct response *res)
{
	const struct settings *s = ctx->settings;
	struct payments_request out;
	struct auth_agent who;
	struct json_object *o;
	int64_t amount_ucents = 0, today_ucents = 0;
	char txn[24];
	PGconn *c;
	int rc;

	if (caller_authenticate(ctx, req, res, &c, &who) != 0 ||
	    read_amount(req, res, &amount_ucents) != 0)
		return -1;
	if (!ctx->chain->rpc_url[0] || !s->hot_wallet_address[0])
		return answer(req, res, 503, "Withdrawals are not enabled on this server");
	rc = payments_withdrawal_request(c, who.id, amount_ucents, s->withdraw_min_ucents,
					 s->withdraw_max_ucents, s->withdraw_daily_max_ucents,
					 &out, &today_ucents);
	if (rc != PAYMENTS_OK)
		return refused(c, req, res, who.id, s, rc, today_ucents);
	log_event(LOG_INFO, "withdrawal_requested", "agent=%s withdrawal=%s ucents=%" PRId64,
		  who.id, out.withdrawal_id, amount_ucents);
	snprintf(txn, sizeof txn, "%" PRId64, out.txn_id);
	o = json_object_new_object();
	json_object_object_add(o, "transaction_id", json_object_new_string(txn));
	json_object_object_add(o, "type", json_object_new_string("withdraw"));
	json_object_object_add(o, "amount", money_json_dollars(amount_ucents));
	json_object_object_add(o, "amount_ucents", json_object_new_int64(amount_ucents));
	json_object_object_add(o, "balance_after", money_json_dollars(out.balance_after_ucents));
	json_object_object_add(o, "balance_after_ucents",
			       json_object_new_int64(out.balance_after_ucents));
	json_object_object_add(o, "withdrawal_id", json_object_new_string(out.withdrawal_id));
	json_object_object_add(o, "withdrawal_status", json_object_new_string("pending"));
	json_object_object_add(o, "to_address", json_object_new_string(out.to));
	return response_json(res, 200, o);
}

static struct json_object *text_or_null(const char *s)
{
	return s[0] ? json_object_new_string(s) : NULL;
}

int api_withdrawal_get(struct handler_ctx *ctx, struct request *req,
		       struct response *res)
{
	struct payments_withdrawal w;
	struct auth_agent who;
	struct json_object *o;
	PGconn *c;
	int rc;

	if (caller_authenticate(ctx, req, res, &c, &who) != 0)
		return -1;
	rc = payments_withdrawal_get(c, request_param(req, "withdrawal_id"), who.id, &w);
	if (rc == PAYMENTS_ENOTFOUND)
		return answer(req, res, 404, "Withdrawal not found");
	if (rc != PAYMENTS_OK)
		return caller_db_failed(c, req, res);
	o = json_object_new_object();
	json_object_object_add(o, "withdrawal_id", json_object_new_string(w.id));
	json_object_object_add(o, "agent_id", json_object_new_string(w.agent_id));
	json_object_object_add(o, "to_address", json_object_new_string(w.to));
	json_object_object_add(o, "amount", money_json_dollars(w.amount_ucents));
	json_object_object_add(o, "amount_cents", json_object_new_int64(
		money_ucents_to_cents(w.amount_ucents)));
	json_object_object_add(o, "amount_ucents", json_object_new_int64(w.amount_ucents));
	json_object_object_add(o, "status", json_object_new_string(w.status));
	json_object_object_add(o, "tx_hash", text_or_null(w.tx_hash));
	json_object_object_add(o, "confirmations_seen",
			       json_object_new_int64(w.confirmations_seen));
	json_object_object_add(o, "confirmations_required",
			       json_object_new_int64(ctx->settings->confirmations));
	json_object_object_add(o, "error_message", text_or_null(w.error));
	json_object_object_add(o, "created_at", json_object_new_string(w.created_at));
	return response_json(res, 200, o);
}
