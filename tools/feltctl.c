/* feltctl — dispatch, shared helpers and `feltctl config`.  See feltctl.h. */
#include "feltctl.h"

#include "core/config.h"
#include "core/db.h"
#include "core/log.h"
#include "money/chain.h"
#include "money/settings.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const struct feltctl_command feltctl_commands[] = {
	{"migrate", "apply pending database migrations (as the owner role)",
	 "usage: feltctl migrate [--db CONNINFO]\n"
	 "\n"
	 "Applies the migrations in FELT_SQL_DIR (NNN_name.sql) that the database has\n"
	 "not applied yet, in order, each in its own transaction. Safe to run\n"
	 "repeatedly and concurrently. Refuses to run if an applied migration file\n"
	 "was edited or removed.\n"
	 "\n"
	 "The only command that needs the role owning felt's objects (`felt`): it\n"
	 "connects with --db, else FELT_DB_OWNER, else FELT_DB. It refuses the\n"
	 "application roles (felt_app, felt_read) and superusers: the ledger's\n"
	 "functions run with their owner's rights, which must be no more than\n"
	 "felt's own.\n",
	 feltctl_migrate},
	{"platform-key", "issue a new API key for the platform agent",
	 "usage: feltctl platform-key\n"
	 "\n"
	 "Issues a new API key for the platform agent\n"
	 "(00000000-0000-0000-0000-000000000001), which alone may call\n"
	 "/api/accounting, /api/platform/revenue and /v1/admin/*. The key is printed\n"
	 "once on stdout; only its SHA-256 is stored. Any previous platform key\n"
	 "stops working immediately.\n",
	 feltctl_platform_key},
	{"status", "show migrations, component heartbeats and the accounting invariant",
	 "usage: feltctl status\n"
	 "\n"
	 "Prints the applied and pending migrations, the heartbeat of every\n"
	 "felt-api/felt-wsd/felt-payd instance, the accounting invariant and the\n"
	 "head of the ledger's hash chain (feltctl audit checks it).\n"
	 "Exits 1 if a migration is pending or edited, or the invariant is broken.\n",
	 feltctl_status},
	{"seal", "chain every committed ledger txn onto the hash chain now",
	 "usage: feltctl seal [--timeout SECONDS]\n"
	 "\n"
	 "felt-api seals the ledger every FELT_SEAL_INTERVAL_S on its own; this seals\n"
	 "every txn committed before it started, at once (before a backup, an audit,\n"
	 "or when no felt-api runs). A txn is sealed once no transaction that could\n"
	 "still commit one with a lower id is running: it waits for those, at most\n"
	 "--timeout seconds (default 60), and fails naming the txn it waited for.\n"
	 "Prints the head of the chain (seal, last txn, digest).\n",
	 feltctl_seal},
	{"audit", "check the ledger against its seals and every balance against its entries",
	 "usage: feltctl audit [--anchor SEAL:DIGEST]...\n"
	 "\n"
	 "Reads the whole ledger in one snapshot and recomputes, in feltctl and not\n"
	 "in the database, the hash of every sealed txn and the digest of every seal\n"
	 "(the recipe is in the README, \"Checking the seals\"), every txn's balance\n"
	 "and every account's balance from its entries. Finds any change to a sealed\n"
	 "txn, its entries or the accounts they touch, a deleted or inserted txn, an\n"
	 "edited balance or seal, even made by a superuser with triggers disabled.\n"
	 "Txns newer than the last seal are checked for balance only.\n"
	 "\n"
	 "--anchor SEAL:DIGEST (repeatable) checks that seal SEAL still has the digest\n"
	 "printed by an earlier audit and kept outside the database: a chain rewritten\n"
	 "from some seal on cannot keep it.\n"
	 "\n"
	 "Prints each problem, the counts and the head of the chain. Exits 1 if\n"
	 "anything is wrong, naming the first bad txn.\n",
	 feltctl_audit},
	{"config", "list the configuration variables with defaults",
	 "usage: feltctl config\n"
	 "\n"
	 "Lists the FELT_* environment variables felt programs share, with their\n"
	 "defaults, current values (credentials hidden) and meaning, and checks\n"
	 "the published rules (chain, limits, lobby, rake): exit 1 naming the\n"
	 "variable the programs would refuse at start.\n",
	 feltctl_config},
	{"hand-phh", "write stored hands as PHH (every hole card)",
	 "usage: feltctl hand-phh HAND_ID...\n"
	 "       feltctl hand-phh --table TABLE_ID\n"
	 "\n"
	 "Writes the stored hands (by id, or every hand of a table in order) as\n"
	 "sections [1], [2], ... of a PHH file (.phhs) on stdout, rebuilt from each\n"
	 "hand's log with every hole card (the platform's view).  felt-replay\n"
	 "--check replays them to their recorded final stacks.\n",
	 feltctl_hand_phh},
	{"credit", "add money to an agent's balance (operator adjustment)",
	 "usage: feltctl credit AGENT AMOUNT --reason TEXT\n"
	 "\n"
	 "Credits AMOUNT dollars (at most 2 decimals, e.g. 12.50) to AGENT (an\n"
	 "agent id or name) as one balanced ledger txn of kind 'adjustment' against\n"
	 "the platform adjustments account. The reason and the operator ($USER) are\n"
	 "recorded in the txn; it shows in the agent's /api/transactions and in the\n"
	 "accounting invariant (net_adjustments_ucents).\n",
	 feltctl_adjust},
	{"debit", "take money from an agent's balance (operator adjustment)",
	 "usage: feltctl debit AGENT AMOUNT --reason TEXT\n"
	 "\n"
	 "The reverse of credit. Refused, with nothing posted, when AMOUNT is more\n"
	 "than the agent's spendable balance.\n",
	 feltctl_adjust},
	{NULL, NULL, NULL, NULL},
};

int feltctl_fail(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	/* one line, whatever libpq put in the message */
	for (char *p = msg; *p; p++)
		if (*p == '\n')
			*p = ' ';
	fprintf(stderr, "feltctl: %s\n", msg);
	return FELTCTL_FAIL;
}

int feltctl_usage(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "feltctl %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nsee: feltctl %s --help\n", cmd);
	return FELTCTL_USAGE;
}

PGconn *feltctl_connect_to(const char *conninfo, const char *what)
{
	/* An operator's command runs as long as it needs (Ctrl-C stops it). */
	PGconn *c = db_connect_conninfo(conninfo, "feltctl", 0, 4, 250);

	if (!c)
		feltctl_fail("cannot connect to the database (%s)", what);
	return c;
}

PGconn *feltctl_connect(void)
{
	return feltctl_connect_to(config_get(config_common_vars, "FELT_DB"), "FELT_DB");
}

const char *feltctl_sql_dir(void)
{
	return config_get(config_common_vars, "FELT_SQL_DIR");
}

int feltctl_config(int argc, char **argv)
{
	if (argc > 1)
		return feltctl_usage(argv[0], "unexpected argument '%s'", argv[1]);
	const char *bad;
	int rc;

	config_print(stdout, config_common_vars);
	config_print(stdout, settings_vars);
	config_print(stdout, chain_vars);
	/* What felt-api, felt-wsd and felt-payd would refuse at start. */
	if ((rc = settings_load(&(struct settings){0}, &bad)) != SETTINGS_OK)
		return feltctl_fail("%s: %s", bad, settings_strerror(rc));
	if ((rc = db_settings_load(&(struct db_settings){0}, &bad)) != CONFIG_OK)
		return feltctl_fail("%s: %s", bad, config_strerror(rc));
	if ((rc = chain_config_load(&(struct chain_config){0}, &bad)) != CONFIG_OK)
		return feltctl_fail("%s: %s", bad, config_strerror(rc));
	return FELTCTL_OK;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: feltctl <command> [--help]\n\ncommands:\n");
	for (const struct feltctl_command *c = feltctl_commands; c->name; c++)
		fprintf(f, "  %-14s %s\n", c->name, c->summary);
	fprintf(f, "\nConfiguration is read from FELT_* environment variables;"
		   " see `feltctl config`.\n"
		   "Exit codes: 0 ok, 1 failure, 2 usage error.\n");
}

static bool is_help(const char *arg)
{
	return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0;
}

int main(int argc, char **argv)
{
	const struct feltctl_command *cmd = feltctl_commands;
	const char *name = argc > 1 ? argv[1] : NULL;
	bool help = false;

	if (!name) {
		usage(stderr);
		return FELTCTL_USAGE;
	}
	if (is_help(name) || strcmp(name, "help") == 0) {
		if (argc < 3) {
			usage(stdout);
			return FELTCTL_OK;
		}
		name = argv[2]; /* feltctl help <cmd> = feltctl <cmd> --help */
		help = true;
	}
	while (cmd->name && strcmp(cmd->name, name) != 0)
		cmd++;
	if (!cmd->name) {
		fprintf(stderr, "feltctl: unknown command '%s'\n", name);
		usage(stderr);
		return FELTCTL_USAGE;
	}
	for (int i = 2; i < argc; i++)
		help = help || is_help(argv[i]);
	if (help) {
		fputs(cmd->help, stdout);
		return FELTCTL_OK;
	}
	if (log_configure() != LOG_OK)
		return feltctl_fail("FELT_LOG_LEVEL or FELT_LOG_FORMAT has an unknown value");
	return cmd->run(argc - 1, argv + 1);
}
