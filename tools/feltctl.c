/* feltctl — dispatch, shared helpers and `feltctl config`.  See feltctl.h. */
#include "feltctl.h"
#include "feltctl_adjust.h"

#include "core/cli.h"
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
	 "Issues a new API key for the platform agent\n"
	 "(00000000-0000-0000-0000-000000000001), which alone may call\n"
	 "/api/accounting, /api/platform/revenue and /v1/admin/*. The key is printed\n"
	 "once on stdout (a notice on stderr says whether it replaced one); only\n"
	 "its SHA-256 is stored. Any previous platform key stops working\n"
	 "immediately.\n",
	 feltctl_platform_key},
	{"status", "show migrations, component heartbeats and the accounting invariant",
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
	 adjust_credit_help, feltctl_adjust},
	{"debit", "take money from an agent's balance (operator adjustment)",
	 adjust_debit_help, feltctl_adjust},
	{NULL, NULL, NULL, NULL},
};

int feltctl_fail(const char *fmt, ...)
{
	char msg[1024], line[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	/* one line, whatever libpq put in the message */
	fprintf(stderr, "feltctl: %s\n", log_one_line(line, sizeof line, msg));
	return FELTCTL_FAIL;
}

int feltctl_usage(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "feltctl %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'feltctl %s --help' for the options.\n", cmd);
	return FELTCTL_USAGE;
}

static const struct config_var *const common_env[] = { config_common_vars, NULL };

int feltctl_args(struct feltctl_cli *cl, int argc, char **argv, const char *usage,
		 const struct cli_option *options, int min_operands, int max_operands)
{
	const struct feltctl_command *cmd = feltctl_commands;

	while (cmd->name && strcmp(cmd->name, argv[0]) != 0)
		cmd++;
	snprintf(cl->prog, sizeof cl->prog, "feltctl %s", argv[0]);
	cl->spec = (struct cli_spec){
		.prog = cl->prog,
		.usage = usage,
		.about = cmd->name ? cmd->help : NULL,
		.options = options,
		.min_operands = min_operands,
		.max_operands = max_operands,
		.env = common_env,
		.epilog = "Exit status: 0 done, 1 failed (one line on stderr), 2 usage error.",
	};
	return cli_parse(&cl->spec, argc, argv, &cl->args);
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
	struct feltctl_cli cl;
	const char *bad;
	char why[512];
	int rc;

	if ((rc = feltctl_args(&cl, argc, argv, "", NULL, 0, 0)) != CLI_OK)
		return cli_status(rc);
	config_print(stdout, config_common_vars);
	config_print(stdout, settings_vars);
	config_print(stdout, chain_vars);
	/* What felt-api, felt-wsd and felt-payd would refuse at start. */
	if ((rc = settings_load(&(struct settings){0}, &bad)) != SETTINGS_OK)
		return feltctl_fail("%s", settings_explain(rc, bad, why, sizeof why));
	if ((rc = db_settings_load(&(struct db_settings){0}, &bad)) != CONFIG_OK)
		return feltctl_fail("%s", db_settings_explain(bad, why, sizeof why));
	if ((rc = chain_config_load(&(struct chain_config){0}, &bad)) != CONFIG_OK)
		return feltctl_fail("%s", config_explain(why, sizeof why, chain_vars, bad, rc));
	return FELTCTL_OK;
}

static const struct cli_spec top = {
	.prog = "feltctl",
	.usage = "COMMAND [ARGUMENT]...",
	.about = "felt's operator tool. `feltctl COMMAND --help` (or `feltctl help COMMAND`)\n"
		 "says what a command does and takes.",
	.max_operands = 0,
	.env = common_env,
	.epilog = "Exit status: 0 done, 1 failed (one line on stderr), 2 usage error.",
};

/* The top-level help: the cli convention's, with the list of commands. */
static void help(void)
{
	cli_help(&top, stdout);
	printf("\nCommands:\n");
	for (const struct feltctl_command *c = feltctl_commands; c->name; c++)
		printf("  %-14s %s\n", c->name, c->summary);
}

int main(int argc, char **argv)
{
	const struct feltctl_command *cmd = feltctl_commands;
	struct cli_parsed args;
	char *help_argv[4];
	int rc;

	if (argc < 2)
		return cli_status(cli_usage_error(&top, "missing COMMAND"));
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    (strcmp(argv[1], "help") == 0 && argc == 2)) {
		help();
		return FELTCTL_OK;
	}
	if (argv[1][0] == '-') {
		/* --version, or a mistake worded as every felt program words it */
		rc = cli_parse(&top, 2, argv, &args);
		return cli_status(rc);
	}
	if (strcmp(argv[1], "help") == 0) {
		/* feltctl help COMMAND = feltctl COMMAND --help */
		help_argv[0] = argv[0];
		help_argv[1] = argv[2];
		help_argv[2] = (char *)"--help";
		help_argv[3] = NULL;
		argv = help_argv;
		argc = 3;
	}
	while (cmd->name && strcmp(cmd->name, argv[1]) != 0)
		cmd++;
	if (!cmd->name) {
		fprintf(stderr, "feltctl: unknown command '%s'\n"
				"Try 'feltctl --help' for the commands.\n", argv[1]);
		return FELTCTL_USAGE;
	}
	if (log_configure() != LOG_OK)
		return feltctl_fail("FELT_LOG_LEVEL or FELT_LOG_FORMAT has an unknown value");
	return cmd->run(argc - 1, argv + 1);
}
