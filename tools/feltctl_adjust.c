/*
 * feltctl_adjust.c — operator credits and debits (see feltctl_adjust.h).
 */
#include "feltctl_adjust.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/config.h"
#include "core/db.h"
#include "money/ledger.h"
#include "money/money.h"

/*
 * AGENT is an agent's exact id (its canonical text, any case) or its exact
 * name, and must be one agent.  Nothing is cast to uuid and no name is
 * matched loosely: a name written like another agent's id, a name that
 * differs only in case, or a prefix never reaches someone else's money.
 * Both readings are looked up at once, so a string that is one agent's id
 * and another's name is refused as ambiguous, not resolved by a rule.
 */
static const char agent_lookup_sql[] =
	"SELECT id::text FROM agents WHERE id::text = lower($1) OR name = $1";

int adjust_parse_args(int argc, char **argv, const char **agent,
		      int64_t *amount_ucents, const char **reason,
		      const char **why)
{
	const char *pos[2] = { NULL, NULL };
	int npos = 0, rc;

	*reason = NULL;
	*why = "usage: feltctl credit|debit AGENT AMOUNT --reason TEXT";
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--reason") == 0) {
			if (i + 1 >= argc)
				return ADJUST_EUSAGE;
			*reason = argv[++i];
		} else if (strncmp(argv[i], "--reason=", 9) == 0) {
			*reason = argv[i] + 9;
		} else if (npos < 2) {
			pos[npos++] = argv[i];
		} else {
			return ADJUST_EUSAGE;
		}
	}
	if (npos != 2 || *reason == NULL)
		return ADJUST_EUSAGE;
	/* The reason is the audit trail: an empty one explains nothing. */
	if (strspn(*reason, " \t") == strlen(*reason)) {
		*why = "--reason must say why";
		return ADJUST_EUSAGE;
	}
	if (strlen(*reason) > ADJUST_REASON_MAX) {
		*why = "--reason is longer than 500 characters";
		return ADJUST_EUSAGE;
	}
	*agent = pos[0];
	rc = money_parse_dollars(pos[1], strlen(pos[1]), MONEY_NONNEGATIVE,
				 amount_ucents);
	if (rc != MONEY_OK) {
		*why = money_strerror(rc);
		return ADJUST_EAMOUNT;
	}
	if (*amount_ucents == 0) {
		*why = "amount must be greater than zero";
		return ADJUST_EAMOUNT;
	}
	*why = NULL;
	return ADJUST_OK;
}

static int find_agent(PGconn *c, const char *agent, char id[37])
{
	const char *params[1] = { agent };
	PGresult *r;
	int n;

	r = db_exec(c, agent_lookup_sql, 1, params, NULL);
	if (r == NULL)
		return ADJUST_EDB;
	n = PQntuples(r);
	if (n == 1)
		snprintf(id, 37, "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	return n == 1 ? ADJUST_OK : n == 0 ? ADJUST_ENOAGENT : ADJUST_EAMBIGUOUS;
}

/* {"reason": ..., "direction": ..., "operator": ...}, escaped by json-c.
 * Returns a malloc'd string the caller frees, or NULL. */
static char *reference_json(enum adjust_direction dir, const char *reason,
			    const char *operator_name)
{
	struct json_object *o = json_object_new_object();
	char *s;

	json_object_object_add(o, "reason", json_object_new_string(reason));
	json_object_object_add(o, "direction", json_object_new_string(
		dir == ADJUST_CREDIT ? "credit" : "debit"));
	json_object_object_add(o, "operator", json_object_new_string(
		operator_name ? operator_name : "feltctl"));
	s = strdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
	return s;
}

static int from_ledger(int rc)
{
	switch (rc) {
	case LEDGER_ERR_INSUFFICIENT:
		return ADJUST_EINSUFFICIENT;
	case LEDGER_ERR_NOT_FOUND:
		return ADJUST_ENOAGENT;
	default:
		return ADJUST_EDB;
	}
}

int adjust_post(PGconn *c, enum adjust_direction dir, const char *agent,
		int64_t amount_ucents, const char *reason,
		const char *operator_name, struct adjust_result *out)
{
	struct ledger_entry e[2];
	int64_t balance_id, adjustments_id;
	char *ref;
	int rc;

	memset(out, 0, sizeof *out);
	if (amount_ucents <= 0)
		return ADJUST_EAMOUNT;
	rc = find_agent(c, agent, out->agent_id);
	if (rc != ADJUST_OK)
		return rc;
	rc = ledger_agent_accounts(c, out->agent_id, &balance_id, NULL);
	if (rc == LEDGER_OK)
		rc = ledger_platform_account(c, LEDGER_ACCOUNT_ADJUSTMENTS,
					     &adjustments_id);
	if (rc != LEDGER_OK)
		return from_ledger(rc);
	/* Credit: money comes from outside (adjustments goes negative, by
	 * the ledger's sign convention) into the agent's balance. */
	e[0].account_id = balance_id;
	e[0].amount_ucents = dir == ADJUST_CREDIT ? amount_ucents : -amount_ucents;
	e[1].account_id = adjustments_id;
	e[1].amount_ucents = -e[0].amount_ucents;
	ref = reference_json(dir, reason, operator_name);
	if (ref == NULL)
		return ADJUST_EDB;
	rc = ledger_post(c, LEDGER_TXN_ADJUSTMENT, ref, e, 2, &out->txn_id);
	free(ref);
	if (rc != LEDGER_OK)
		return from_ledger(rc);
	out->amount_ucents = amount_ucents;
	rc = ledger_balance(c, balance_id, &out->balance_ucents);
	return rc == LEDGER_OK ? ADJUST_OK : from_ledger(rc);
}

int feltctl_adjust_main(int argc, char **argv, FILE *out, FILE *err)
{
	enum adjust_direction dir;
	struct adjust_result res;
	const char *agent, *reason, *why, *op;
	char amount[MONEY_FORMAT_SIZE], balance[MONEY_FORMAT_SIZE];
	int64_t amount_ucents;
	PGconn *c;
	int rc;

	if (argc < 1 || (strcmp(argv[0], "credit") != 0 &&
			 strcmp(argv[0], "debit") != 0)) {
		fprintf(err, "feltctl: expected credit or debit\n");
		return 2;
	}
	dir = strcmp(argv[0], "credit") == 0 ? ADJUST_CREDIT : ADJUST_DEBIT;
	rc = adjust_parse_args(argc - 1, argv + 1, &agent, &amount_ucents,
			       &reason, &why);
	if (rc != ADJUST_OK) {
		fprintf(err, "feltctl %s: %s\n", argv[0], why);
		return 2;
	}
	c = db_connect_env("feltctl", 0, 1, 0);
	if (c == NULL) {
		fprintf(err, "feltctl %s: cannot connect to the database (FELT_DB)\n",
			argv[0]);
		return 1;
	}
	op = getenv("SUDO_USER") ? getenv("SUDO_USER") : getenv("USER");
	rc = adjust_post(c, dir, agent, amount_ucents, reason, op, &res);
	db_close(c);
	if (rc != ADJUST_OK) {
		fprintf(err, "feltctl %s: %s\n", argv[0], adjust_strerror(rc));
		return 1;
	}
	money_format_dollars(res.amount_ucents, amount, sizeof amount);
	money_format_dollars(res.balance_ucents, balance, sizeof balance);
	fprintf(out, "%s txn=%" PRId64 " agent=%s amount=%s balance=%s\n",
		argv[0], res.txn_id, res.agent_id, amount, balance);
	return 0;
}

int feltctl_adjust(int argc, char **argv)
{
	return feltctl_adjust_main(argc, argv, stdout, stderr);
}

const char *adjust_strerror(int err)
{
	switch (err) {
	case ADJUST_OK:
		return "ok";
	case ADJUST_EUSAGE:
		return "usage: feltctl credit|debit AGENT AMOUNT --reason TEXT";
	case ADJUST_EAMOUNT:
		return "amount must be a positive dollar amount with at most 2 decimals";
	case ADJUST_ENOAGENT:
		return "no agent with that exact id or name (names are case-sensitive)";
	case ADJUST_EAMBIGUOUS:
		return "ambiguous: one agent has that id and another that name; use the id of the one you mean";
	case ADJUST_EINSUFFICIENT:
		return "insufficient balance for this debit";
	case ADJUST_EDB:
		return "database error (see the log line above)";
	}
	return "unknown adjust error";
}
