/*
 * api_deposit.c — POST /api/deposit/onchain (seed 000 "Payments"; DESIGN
 * §6): an agent submits the hash of a transaction that sent USDC from its
 * registered wallet to the platform's deposit address.
 *
 * The receipt is read from the node (lib/money/chain) within the request's
 * node budget (FELT_CHAIN_REQUEST_BUDGET_MS) and judged by
 * lib/money/deposit, then recorded through deposit_submit(): credited at
 * once with enough confirmations (status "confirmed"), else "pending" and
 * felt-payd credits it later.  A hash already recorded is answered from
 * the database (a pending one of the caller's is checked again).
 *
 * Statuses: 200 confirmed or pending; 400 a malformed hash, or one that is
 * no deposit of the caller's (already credited, another agent's, failed,
 * wrong token, recipient or sender, not mined); 401; 422 no string
 * tx_hash; 500 only when the node's answer cannot be verified; 503 when
 * deposits are off or the node is unreachable (with tx_hash and, for a
 * recorded deposit, its fields).
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "api_handlers.h"
#include "caller.h"
#include "core/db.h"
#include "core/json.h"
#include "core/log.h"
#include "money/chain.h"
#include "money/deposit.h"
#include "money/money.h"
#include "money/payments.h"
#include "money/settings.h"
#include "queries.h"

#define DETAIL_SIZE 384

/* One submission being handled. */
struct submit {
	struct handler_ctx *ctx;
	struct request *req;
	struct response *res;
	PGconn *c;
	struct auth_agent who;
	char hash[CHAIN_HASH_SIZE];
	char wallet[EIP55_ADDRESS_SIZE];
	struct payments_deposit row;   /* the recorded deposit, if any */
	bool recorded;
};

/* What the chain shows for the hash. */
struct onchain {
	struct deposit_found found;
	uint64_t block;
	char block_hash[CHAIN_HASH_SIZE];
	int64_t confirmations;
};

static struct json_object *deposit_json(const struct payments_deposit *d)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "deposit_id", json_object_new_string(d->id));
	json_object_object_add(o, "tx_hash", json_object_new_string(d->tx_hash));
	json_object_object_add(o, "status", json_object_new_string(d->status));
	json_object_object_add(o, "amount", money_json_dollars(d->amount_ucents));
	json_object_object_add(o, "amount_cents", json_object_new_int64(
		money_ucents_to_cents(d->amount_ucents)));
	json_object_object_add(o, "amount_ucents", json_object_new_int64(d->amount_ucents));
	json_object_object_add(o, "amount_base_units", json_object_new_string(d->base_units));
	json_object_object_add(o, "remainder_base_units",
			       json_object_new_int64(d->remainder_base_units));
	json_object_object_add(o, "confirmations_seen",
			       json_object_new_int64(d->confirmations_seen));
	json_object_object_add(o, "confirmations_required",
			       json_object_new_int64(d->confirmations_required));
	json_object_object_add(o, "block_number", json_object_new_int64(d->block_number));
	json_object_object_add(o, "from_address", json_object_new_string(d->from));
	json_object_object_add(o, "created_at", json_object_new_string(d->created_at));
	return o;
}

/*
 * Answer status with {"detail": ..., "tx_hash"} plus, when the hash is
 * recorded and the caller's, the deposit's fields.  Returns -1.
 */
static int refuse(struct submit *s, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int refuse(struct submit *s, int status, const char *fmt, ...)
{
	struct json_object *o;
	char detail[DETAIL_SIZE];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof detail, fmt, ap);
	va_end(ap);
	o = s->recorded && strcmp(s->row.agent_id, s->who.id) == 0
		    ? deposit_json(&s->row) : json_object_new_object();
	json_object_object_add(o, "detail", json_object_new_string(detail));
	if (!json_object_object_get_ex(o, "tx_hash", NULL))
		json_object_object_add(o, "tx_hash", json_object_new_string(s->hash));
	response_json(s->res, status, o);
	return -1;
}

/* The body's tx_hash, lowercase, into s->hash; -1 after answering. */
static int read_hash(struct submit *s)
{
	struct json_object *body, *v;
	const char *text = NULL, *why = NULL;
	int status = 400;

	if (handler_json_body(s->req, s->res, &body) != 0)
		return -1;
	if (!json_object_object_get_ex(body, "tx_hash", &v)) {
		status = 422;
		why = "tx_hash: required";
	} else if (!json_object_is_type(v, json_type_string)) {
		status = 422;
		why = "tx_hash: must be a string";
	} else if (json_get_string(body, "tx_hash", &text) != JSON_OK ||
		   chain_hash_normalize(text, s->hash) != CHAIN_OK) {
		why = "Invalid transaction hash: expected 0x followed by 64 hex digits";
	}
	json_object_put(body);
	if (why == NULL)
		return 0;
	response_error(s->res, s->req->path, status, NULL, why, NULL);
	return -1;
}

/* The node failed: 503, or 500 when it answered something unreadable. */
static int node_failed(struct submit *s, struct chain *ch, const char *what, int rc)
{
	char q[RPC_ERROR_SIZE + 8];

	log_event(rc == CHAIN_EPROTOCOL ? LOG_ERROR : LOG_WARN, "chain_failed",
		  "call=%s error=%s detail=%s", what, chain_strerror(rc),
		  log_quote(ch ? chain_last_error(ch) : "", q, sizeof q));
	if (rc == CHAIN_EPROTOCOL)
		return refuse(s, 500, "Verification failed: the node's answer to %s could not be read",
			      what);
	return refuse(s, 503, "On-chain service unavailable: %s; try again later",
		      chain_strerror(rc));
}

/* Receipt missing: not mined yet, or unknown to the node. */
static int not_mined(struct submit *s, struct chain *ch)
{
	struct chain_tx tx;
	int rc = chain_transaction(ch, s->hash, &tx);

	if (rc == CHAIN_OK) {
		chain_tx_free(&tx);
		return refuse(s, 400, "Transaction %s is not mined yet; submit it again once it is",
			      s->hash);
	}
	if (rc == CHAIN_ENOTFOUND)
		return refuse(s, 400, "Transaction %s was not found on chain %" PRId64,
			      s->hash, s->ctx->settings->chain_id);
	return node_failed(s, ch, "eth_getTransactionByHash", rc);
}

/*
 * Read and judge the receipt of s->hash for wallet into *out.  0, or -1
 * after answering (400 not a deposit, 500, 503).  A definite "not a
 * deposit" of a recorded pending deposit also rejects it.
 */
static int verify(struct submit *s, struct chain *ch, struct onchain *out)
{
	const struct settings *set = s->ctx->settings;
	struct deposit_rules rules = { set->usdc_contract, set->deposit_address, s->wallet };
	struct chain_receipt r;
	char why[DETAIL_SIZE];
	uint64_t id, head;
	int rc;

	if ((rc = chain_chain_id(ch, &id)) != CHAIN_OK)
		return node_failed(s, ch, "eth_chainId", rc);
	if (id != (uint64_t)set->chain_id) {
		log_event(LOG_ERROR, "chain_mismatch", "node_chain_id=%" PRIu64
			  " FELT_CHAIN_ID=%" PRId64, id, set->chain_id);
		return refuse(s, 503, "On-chain service unavailable: the node is not on chain %" PRId64,
			      set->chain_id);
	}
	rc = chain_receipt(ch, s->hash, &r);
	if (rc == CHAIN_ENOTFOUND)
		return not_mined(s, ch);
	if (rc != CHAIN_OK)
		return node_failed(s, ch, "eth_getTransactionReceipt", rc);
	rc = deposit_check(&r, &rules, &out->found);
	out->block = r.block_number;
	memcpy(out->block_hash, r.block_hash, CHAIN_HASH_SIZE);
	chain_receipt_free(&r);
	if (rc != DEPOSIT_OK) {
		deposit_describe(rc, &rules, &out->found, why, sizeof why);
		log_event(LOG_INFO, "deposit_refused", "agent=%s tx=%s error=%d",
			  s->who.id, s->hash, rc);
		if (rc == DEPOSIT_EMALFORMED)
			return refuse(s, 500, "Verification failed: %s", why);
		if (s->recorded && payments_deposit_reject(s->c, s->row.id, why) != PAYMENTS_OK)
			return caller_db_failed(s->c, s->req, s->res);
		return refuse(s, 400, "%s", why);
	}
	if ((rc = chain_block_number(ch, &head)) != CHAIN_OK)
		return node_failed(s, ch, "eth_blockNumber", rc);
	out->confirmations = head >= out->block ? (int64_t)(head - out->block + 1) : 0;
	return 0;
}

/* A hash recorded before: refuse it, unless it is the caller's pending
 * deposit (checked again).  Returns 1 to go on checking, else the answer. */
static int replay(struct submit *s)
{
	if (strcmp(s->row.agent_id, s->who.id) != 0)
		return refuse(s, 400, "Transaction %s was submitted by another agent", s->hash);
	if (strcmp(s->row.status, "confirmed") == 0)
		return refuse(s, 400, "Transaction %s was already credited (deposit %s)",
			      s->hash, s->row.id);
	if (strcmp(s->row.status, "pending") != 0)
		return refuse(s, 400, "Transaction %s was rejected: %s", s->hash, s->row.reason);
	/* Deposits are counted from the wallet that sent them, even if the
	 * agent has registered another one since. */
	memcpy(s->wallet, s->row.from, EIP55_ADDRESS_SIZE);
	return 1;
}

/* The caller's wallet into s->wallet; -1 after answering. */
static int caller_wallet(struct submit *s)
{
	const char *p[1] = { s->who.id };
	PGresult *r = db_exec_prepared(s->c, QUERIES_AGENT_WALLET, 1, p, NULL);

	if (r == NULL || PQntuples(r) != 1) {
		PQclear(r);
		return caller_db_failed(s->c, s->req, s->res);
	}
	if (PQgetisnull(r, 0, 0)) {
		PQclear(r);
		return refuse(s, 400, "No wallet_address registered: set it with PATCH /api/me, "
			      "then deposit from that wallet");
	}
	snprintf(s->wallet, sizeof s->wallet, "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	return 0;
}

/* Record what verify() found and answer with the deposit. */
static int record(struct submit *s, const struct onchain *o)
{
	const struct settings *set = s->ctx->settings;
	struct payments_sighting sight = {
		(uint64_t)set->chain_id, set->usdc_contract, set->deposit_address,
		o->block, o->block_hash, o->confirmations, set->confirmations,
	};
	char status[PAYMENTS_STATUS_SIZE];
	bool is_new = false;
	int rc;

	if (s->recorded)
		rc = payments_deposit_observe(s->c, s->row.id, &o->found, &sight, status);
	else
		rc = payments_deposit_submit(s->c, s->who.id, s->hash, s->wallet, &o->found,
					     &sight, &s->row, &is_new);
	if (rc == PAYMENTS_OK && s->recorded)
		rc = payments_deposit_by_hash(s->c, s->hash, &s->row);
	if (rc != PAYMENTS_OK)
		return caller_db_failed(s->c, s->req, s->res);
	if (!s->recorded && !is_new) {
		/* Another request recorded the same hash meanwhile. */
		s->recorded = true;
		return replay(s) == 1 ? refuse(s, 400, "Transaction %s was already submitted",
					       s->hash) : -1;
	}
	log_event(LOG_INFO, "deposit", "agent=%s tx=%s deposit=%s status=%s ucents=%" PRId64
		  " confirmations=%" PRId64, s->who.id, s->hash, s->row.id, s->row.status,
		  s->row.amount_ucents, s->row.confirmations_seen);
	return response_json(s->res, 200, deposit_json(&s->row));
}

int api_deposit_onchain(struct handler_ctx *ctx, struct request *req,
			struct response *res)
{
	struct submit s = { .ctx = ctx, .req = req, .res = res };
	struct onchain o;
	struct chain *ch;
	int rc;

	if (caller_authenticate(ctx, req, res, &s.c, &s.who) != 0 || read_hash(&s) != 0)
		return -1;
	if (!ctx->chain->rpc_url[0] || !ctx->settings->deposit_address[0])
		return refuse(&s, 503, "On-chain deposits are not enabled on this server");
	rc = payments_deposit_by_hash(s.c, s.hash, &s.row);
	if (rc == PAYMENTS_OK) {
		s.recorded = true;
		if ((rc = replay(&s)) != 1)
			return rc;
	} else if (rc != PAYMENTS_ENOTFOUND) {
		return caller_db_failed(s.c, req, res);
	} else if (caller_wallet(&s) != 0) {
		return -1;
	}
	ch = chain_open(ctx->chain->rpc_url, ctx->chain);
	if (ch == NULL)
		return refuse(&s, 503, "On-chain service unavailable");
	chain_set_budget(ch, ctx->chain->request_budget_ms);
	rc = verify(&s, ch, &o);
	chain_close(ch);
	return rc == 0 ? record(&s, &o) : -1;
}
