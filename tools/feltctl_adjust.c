/*
 * feltctl_adjust.c — operator credits and debits (see feltctl_adjust.h).
 */
#include "feltctl_adjust.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/cli.h"
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

const char adjust_credit_help[] =
	"Credits AMOUNT dollars (at most 2 decimals, e.g. 12.50) to AGENT (an\n"
	"agent id or name) as one balanced ledger txn of kind 'adjustment' against\n"
	"the platform adjustments account. The reason and the operator ($USER) are\n"
	"recorded in the txn; it shows in the agent's /api/transactions and in the\n"
	"accounting invariant (net_adjustments_ucents). The platform agent has no\n"
	"balance of its own and is refused.\n";

const char adjust_debit_help[] =
	"The reverse of credit: takes AMOUNT dollars from AGENT's balance. Refused,\n"
	"with nothing posted, when AMOUNT is more than the agent's spendable\n"
	"balance, or when AGENT is the platform agent.\n";

static const struct cli_option options[] = {
	{"--reason", NULL, "TEXT", "none, it is required",
	 "why: recorded in the ledger txn (at most 500\n"
	 "characters)"},
	{NULL, NULL, NULL, NULL, NULL},
};

static const struct config_var *const env[] = { config_common_vars, NULL };

int adjust_parse_args(int argc, char **argv, const char **agent,
		      int64_t *amount_ucents, const char **reason)
{
	bool credit = strcmp(argv[0], "credit") == 0;
	const struct cli_spec spec = {
		.prog = credit ? "feltctl credit" : "feltctl debit",
		.usage = "AGENT AMOUNT --reason TEXT",
		.about = credit ? adjust_credit_help : adjust_debit_help,
		.options = options,
		.min_operands = 2,
		.max_operands = 2,
		.env = env,
		.epilog = "Exit status: 0 posted, 1 refused (no such agent, insufficient\n"
			  "balance, the platform agent, database), 2 usage error.",
	};
	struct cli_parsed p;
	const char *amount;
	int rc;

	if ((rc = cli_parse(&spec, argc, argv, &p)) != CLI_OK)
		return rc;
	*agent = p.operands[0];
	amount = p.operands[1];
	*reason = p.value[0];
	/* The reason is the audit trail: an empty one explains nothing. */
	if (*reason == NULL || strspn(*reason, " \t") == strlen(*reason))
		return cli_usage_error(&spec, "--reason TEXT is required: say why");
	if (strlen(*reason) > ADJUST_REASON_MAX)
		return cli_usage_error(&spec, "--reason is longer than %d characters",
				       ADJUST_REASON_MAX);
	if (money_parse_dollars(amount, strlen(amount), MONEY_NONNEGATIVE,
				amount_ucents) != MONEY_OK || *amount_ucents == 0)
		return cli_usage_error(&spec, "AMOUNT '%s': want a positive number of dollars"
				       " with at most 2 decimals, e.g. 12.50", amount);
	return CLI_OK;
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
	/* The platform agent's own balance account is in neither
	 * agent_balances nor platform_accounts, so money put there would be
	 * in no figure a DBA reads: its money is the platform accounts'. */
	if (strcmp(out->agent_id, LEDGER_PLATFORM_AGENT_ID) == 0)
		return ADJUST_EPLATFORM;
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
	const char *agent, *reason, *op;
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
	rc = adjust_parse_args(argc, argv, &agent, &amount_ucents, &reason);
	if (rc != CLI_OK)
		return cli_status(rc);
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
	case ADJUST_EPLATFORM:
		return "the platform agent has no balance to adjust: the platform's money is"
		       " in its own accounts (platform_accounts), which only play and"
		       " payments move";
	}
	return "unknown adjust error";
}
