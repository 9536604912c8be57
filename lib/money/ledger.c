/* ledger — post balanced txns and find accounts through the SQL functions
 * of sql/002_ledger.sql.  See ledger.h. */
#include "money/ledger.h"

#include "core/db.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* SQLSTATEs raised by sql/002_ledger.sql. */
#define SQLSTATE_UNBALANCED "FL001"
#define SQLSTATE_BAD_ARGS "FL003"

const char *ledger_strerror(int err)
{
	switch (err) {
	case LEDGER_OK: return "ok";
	case LEDGER_ERR_ARG: return "bad ledger txn (entry count or zero amount)";
	case LEDGER_ERR_UNBALANCED: return "ledger txn does not balance";
	case LEDGER_ERR_INSUFFICIENT: return "insufficient funds";
	case LEDGER_ERR_NOT_FOUND: return "no such agent or account";
	case LEDGER_ERR_KIND: return "unknown ledger txn kind";
	case LEDGER_ERR_DB: return "database error";
	case LEDGER_ERR_RETRY: return "transaction conflict, retry";
	}
	return "unknown ledger error";
}

static int from_db(const struct db_err *e)
{
	if (strcmp(e->sqlstate, SQLSTATE_UNBALANCED) == 0)
		return LEDGER_ERR_UNBALANCED;
	if (strcmp(e->sqlstate, SQLSTATE_BAD_ARGS) == 0)
		return LEDGER_ERR_ARG;
	switch (e->code) {
	case DB_ERR_CHECK:
		if (strcmp(e->constraint, "ledger_txns_kind_check") == 0)
			return LEDGER_ERR_KIND;
		if (strcmp(e->constraint, "accounts_balance_nonnegative") == 0)
			return LEDGER_ERR_INSUFFICIENT;
		return LEDGER_ERR_ARG;
	case DB_ERR_FOREIGN_KEY:
	case DB_ERR_NO_ROWS:
		return LEDGER_ERR_NOT_FOUND;
	case DB_ERR_RETRY:
		return LEDGER_ERR_RETRY;
	}
	/* 22P02: malformed uuid or jsonb text from the caller */
	if (strcmp(e->sqlstate, "22P02") == 0)
		return LEDGER_ERR_ARG;
	return LEDGER_ERR_DB;
}

/* Append "v," to an array literal; false when out of room. */
static bool append_int(char *buf, size_t cap, size_t *len, int64_t v)
{
	int w = snprintf(buf + *len, cap - *len, "%s%" PRId64, *len > 1 ? "," : "", v);

	if (w < 0 || (size_t)w >= cap - *len)
		return false;
	*len += (size_t)w;
	return true;
}

int ledger_post(PGconn *c, const char *kind, const char *reference_json,
		const struct ledger_entry *e, int n, int64_t *txn_id_out)
{
	/* 64 legs x ("," + 20 digits) fits easily */
	char accounts[LEDGER_MAX_ENTRIES * 22 + 3] = "{", amounts[sizeof accounts] = "{";
	size_t la = 1, lm = 1;
	const char *params[4];
	struct db_err err;
	int64_t id;
	int rc;

	if (!c || !kind || !e || n < 2 || n > LEDGER_MAX_ENTRIES)
		return LEDGER_ERR_ARG;
	for (int i = 0; i < n; i++) {
		if (e[i].amount_ucents == 0 ||
		    !append_int(accounts, sizeof accounts, &la, e[i].account_id) ||
		    !append_int(amounts, sizeof amounts, &lm, e[i].amount_ucents))
			return LEDGER_ERR_ARG;
	}
	strcat(accounts, "}");
	strcat(amounts, "}");
	params[0] = kind;
	params[1] = reference_json ? reference_json : "{}";
	params[2] = accounts;
	params[3] = amounts;
	rc = db_query_int64(c, "SELECT ledger_post($1, $2::jsonb, $3::bigint[], $4::bigint[])",
			    4, params, &id, &err);
	if (rc)
		return from_db(&err);
	if (txn_id_out)
		*txn_id_out = id;
	return LEDGER_OK;
}

int ledger_agent_accounts(PGconn *c, const char *agent_id,
			  int64_t *balance_account_id,
			  int64_t *in_play_account_id)
{
	const char *params[1] = {agent_id};
	struct db_err err;
	PGresult *res;
	int64_t b, p;

	if (!c || !agent_id)
		return LEDGER_ERR_ARG;
	res = db_exec(c, "SELECT balance_account, in_play_account FROM ledger_agent_accounts($1::uuid)",
		      1, params, &err);
	if (!res)
		return from_db(&err);
	if (PQntuples(res) != 1 || db_value_int64(res, 0, 0, &b) ||
	    db_value_int64(res, 0, 1, &p)) {
		PQclear(res);
		return LEDGER_ERR_NOT_FOUND;
	}
	PQclear(res);
	if (balance_account_id)
		*balance_account_id = b;
	if (in_play_account_id)
		*in_play_account_id = p;
	return LEDGER_OK;
}

int ledger_platform_account(PGconn *c, const char *kind, int64_t *out)
{
	const char *params[2] = {LEDGER_PLATFORM_AGENT_ID, kind};
	struct db_err err;
	int rc;

	if (!c || !kind || !out)
		return LEDGER_ERR_ARG;
	if (strcmp(kind, LEDGER_ACCOUNT_AGENT_BALANCE) == 0 ||
	    strcmp(kind, LEDGER_ACCOUNT_AGENT_IN_PLAY) == 0)
		return LEDGER_ERR_NOT_FOUND;
	rc = db_query_int64(c, "SELECT id FROM accounts WHERE agent_id = $1::uuid AND kind = $2",
			    2, params, out, &err);
	return rc ? from_db(&err) : LEDGER_OK;
}

int ledger_balance(PGconn *c, int64_t account_id, int64_t *balance_ucents)
{
	char id[24];
	const char *params[1] = {id};
	struct db_err err;
	int rc;

	if (!c || !balance_ucents)
		return LEDGER_ERR_ARG;
	snprintf(id, sizeof id, "%" PRId64, account_id);
	rc = db_query_int64(c, "SELECT balance_ucents FROM accounts WHERE id = $1::bigint",
			    1, params, balance_ucents, &err);
	return rc ? from_db(&err) : LEDGER_OK;
}

int ledger_seal(PGconn *c, int max_txns, int *sealed)
{
	char max[16];
	const char *params[1] = {max};
	struct db_err err;
	int64_t n = 0;
	int rc;

	if (!c || max_txns < 1 || max_txns > 100000)
		return LEDGER_ERR_ARG;
	snprintf(max, sizeof max, "%d", max_txns);
	rc = db_query_int64(c, "SELECT ledger_seal($1::int)", 1, params, &n, &err);
	if (rc)
		return from_db(&err);
	if (sealed)
		*sealed = (int)n;
	return LEDGER_OK;
}
