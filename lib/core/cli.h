/*
 * cli — the one command-line convention of every felt program.
 *
 * felt-api, felt-wsd, felt-payd, felt-bot, felt-replay and each `feltctl`
 * command describe their options in a table and parse them here, so they
 * all behave alike:
 *
 *   --help, -h      the whole usage on stdout (every option with its
 *                   default, and the FELT_* variables the program reads),
 *                   exit 0
 *   --version       "PROGRAM (felt) VERSION" on stdout, exit 0
 *   --opt VALUE     an option's value, also written --opt=VALUE
 *   --              ends the options; what follows are operands
 *   a mistake       one line "PROGRAM: unknown option '--bogus'" (or what
 *                   else is wrong) and the hint "Try 'PROGRAM --help' for
 *                   the options." on stderr, exit 2
 *
 * Values are checked after parsing with cli_int / cli_choice, and options
 * that only mean something together with cli_requires / cli_conflicts, so
 * every program words those errors the same way too.  Nothing here keeps
 * state: the program's table and the caller's struct cli_parsed are all.
 */
#ifndef FELT_CLI_H
#define FELT_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "core/config.h"

/* Most options one program may have (their tables are short). */
#define CLI_MAX_OPTIONS 48

/* One option.  Tables end with an entry whose name is NULL. */
struct cli_option {
	const char *name;  /* long form, "--rake" */
	const char *alias; /* short form, "-q", or NULL */
	const char *arg;   /* placeholder of its value, "BP"; NULL: a flag */
	const char *def;   /* default shown by --help ("0"); NULL: none */
	const char *help;  /* what it does; '\n' starts another line */
};

/* A program (or a feltctl command) as --help shows it. */
struct cli_spec {
	const char *prog;    /* "felt-replay", "feltctl credit" */
	const char *usage;   /* after prog: "[OPTION]... FILE|DIR..." */
	const char *about;   /* what it does: a paragraph or more, or NULL */
	const struct cli_option *options; /* NULL-name terminated, or NULL */
	int min_operands;    /* arguments that are not options */
	int max_operands;    /* -1: any number */
	/* FELT_* variables it reads, listed after the options: a
	 * NULL-terminated list of config_var tables, or NULL. */
	const struct config_var *const *env;
	const char *epilog;  /* exit status and the like, or NULL */
};

/* What a command line said.  Indexes are the option's place in the table,
 * so a program names them with an enum in the same order. */
struct cli_parsed {
	const char *value[CLI_MAX_OPTIONS]; /* last value given, or NULL */
	int count[CLI_MAX_OPTIONS];         /* times given (-v -v: 2) */
	char **operands;                    /* into argv; not owned */
	int noperands;
};

enum cli_error {
	CLI_OK = 0,      /* run the program */
	CLI_EXIT = -1,   /* --help or --version was printed: exit 0 */
	CLI_EUSAGE = -2, /* a usage error was printed on stderr: exit 2 */
};

/* cli_strerror — static English text for a cli_error code. */
const char *cli_strerror(int err);

/*
 * cli_status — the exit status for a cli_error: 0 for CLI_OK and CLI_EXIT,
 * 2 for CLI_EUSAGE.
 */
int cli_status(int err);

/*
 * cli_parse — read argv[1..argc) by spec into *out (which is cleared
 * first).  Options and operands may be mixed; "--" ends the options.
 * --help/-h and --version are answered here (CLI_EXIT, printed on
 * stdout).  An unknown option, a missing value, a value given to a flag
 * or a wrong number of operands prints the reason and the hint on stderr
 * (CLI_EUSAGE).  Otherwise CLI_OK; out points into argv.
 */
int cli_parse(const struct cli_spec *spec, int argc, char **argv,
	      struct cli_parsed *out);

/*
 * cli_help — write spec's whole usage to f: the usage line, about, every
 * option with its default, the FELT_* variables with theirs, the epilog.
 */
void cli_help(const struct cli_spec *spec, FILE *f);

/*
 * cli_usage_error — print "PROG: <message>" (printf-style) and the hint
 * on stderr.  Returns CLI_EUSAGE, so a program can return it.
 */
int cli_usage_error(const struct cli_spec *spec, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * cli_int — option opt as a whole decimal number from min to max into
 * *out, or def when the option was not given.  A value that is not one
 * prints "PROG: --opt 'X': want a whole number from MIN to MAX" and the
 * hint and returns CLI_EUSAGE; otherwise CLI_OK.
 */
int cli_int(const struct cli_spec *spec, const struct cli_parsed *p, int opt,
	    int64_t def, int64_t min, int64_t max, int64_t *out);

/*
 * cli_choice — option opt as the index of one of choices (a
 * NULL-terminated list) into *out, or def when not given.  Anything else
 * prints "PROG: --opt 'X': want one of a, b, c" and returns CLI_EUSAGE.
 */
int cli_choice(const struct cli_spec *spec, const struct cli_parsed *p,
	       int opt, const char *const *choices, int def, int *out);

/*
 * cli_requires — when option opt was given without option needed, print
 * "PROG: --opt needs --needed" and return CLI_EUSAGE; else CLI_OK.
 */
int cli_requires(const struct cli_spec *spec, const struct cli_parsed *p,
		 int opt, int needed);

/*
 * cli_conflicts — when options a and b were both given, print "PROG: --a
 * and --b cannot be used together" and return CLI_EUSAGE; else CLI_OK.
 */
int cli_conflicts(const struct cli_spec *spec, const struct cli_parsed *p,
		  int a, int b);

#endif
