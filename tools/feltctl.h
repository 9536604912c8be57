/*
 * feltctl — the operator's command-line tool: one program, one file per
 * command (tools/feltctl_<command>.c), dispatched through the table in
 * tools/feltctl.c.  Adding a command is: write its run function, declare it
 * here, add one entry to feltctl_commands.
 *
 * Exit codes, for every command: 0 ok, 1 failure (one line on stderr),
 * 2 usage error.  Configuration comes from FELT_* environment variables
 * (`feltctl config` lists them).
 */
#ifndef FELT_FELTCTL_H
#define FELT_FELTCTL_H

#include <libpq-fe.h>
#include <stdbool.h>

#include "core/cli.h"

enum feltctl_exit {
	FELTCTL_OK = 0,
	FELTCTL_FAIL = 1,
	FELTCTL_USAGE = 2,
};

/* One subcommand. */
struct feltctl_command {
	const char *name;    /* as typed: "migrate" */
	const char *summary; /* one line for `feltctl --help` */
	const char *help;    /* full text for `feltctl <name> --help` */
	/* Runs the command; argv[0] is the command name.  Returns an
	 * feltctl_exit code. */
	int (*run)(int argc, char **argv);
};

/* The dispatch table, NULL-name terminated (tools/feltctl.c). */
extern const struct feltctl_command feltctl_commands[];

/*
 * feltctl_fail — print "feltctl: <message>" (printf-style) as one line on
 * stderr and return FELTCTL_FAIL, so commands can `return feltctl_fail(...)`.
 */
int feltctl_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * feltctl_usage — print "feltctl <cmd>: <message>" and the hint "Try
 * 'feltctl <cmd> --help' for the options." on stderr; returns
 * FELTCTL_USAGE.
 */
int feltctl_usage(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* One command's command line (lib/core/cli), with the spec it was read by. */
struct feltctl_cli {
	char prog[64];          /* "feltctl credit" */
	struct cli_spec spec;
	struct cli_parsed args; /* indexes: the command's options table */
};

/*
 * feltctl_args — parse a command's argv (argv[0] is its name) by the felt
 * convention (lib/core/cli.h) into *cl: usage is the usage line after
 * "feltctl NAME", options its table (or NULL), operands between min and
 * max (-1: any); --help shows the command's help text from
 * feltctl_commands.  Returns CLI_OK to run, else a cli_error whose exit
 * status is cli_status() (help printed, or the mistake on stderr).
 */
int feltctl_args(struct feltctl_cli *cl, int argc, char **argv, const char *usage,
		 const struct cli_option *options, int min_operands, int max_operands);

/*
 * feltctl_connect — connect to FELT_DB with the FELT_DB_* settings but no
 * statement timeout (db_connect_env; a few attempts with backoff, for a
 * server that is still starting).  Returns the connection (caller
 * db_close()s it) or NULL after printing the reason.
 */
PGconn *feltctl_connect(void);

/*
 * feltctl_connect_to — the same for conninfo; what names its source in
 * the failure message ("FELT_DB_OWNER").
 */
PGconn *feltctl_connect_to(const char *conninfo, const char *what);

/*
 * feltctl_sql_dir — FELT_SQL_DIR or its installed default.  Owned by the
 * environment / a static string.
 */
const char *feltctl_sql_dir(void);

/* The commands (one file each). */
int feltctl_migrate(int argc, char **argv);
int feltctl_platform_key(int argc, char **argv);
int feltctl_status(int argc, char **argv);
int feltctl_config(int argc, char **argv);
int feltctl_adjust(int argc, char **argv); /* credit, debit */
int feltctl_hand_phh(int argc, char **argv);
int feltctl_seal(int argc, char **argv);
int feltctl_audit(int argc, char **argv);

#endif
