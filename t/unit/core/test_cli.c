/* Unit tests for lib/core/cli: the command-line convention of every felt
 * program (options, operands, --help, --version, the wording of mistakes). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/cli.h"

enum { OPT_CHECK, OPT_QUIET, OPT_RAKE, OPT_CAP, OPT_MODE, OPT_VERBOSE };

static const struct cli_option options[] = {
	[OPT_CHECK] = {"--check", NULL, NULL, NULL, "compare"},
	[OPT_QUIET] = {"--quiet", "-q", NULL, NULL, "less output"},
	[OPT_RAKE] = {"--rake", NULL, "BP", "0", "rake in basis points"},
	[OPT_CAP] = {"--rake-cap", NULL, "CHIPS", "0, no cap", "cap per hand\nneeds --rake"},
	[OPT_MODE] = {"--mode", NULL, "M", "fast", "fast or slow"},
	[OPT_VERBOSE] = {"--verbose", "-v", NULL, NULL, "say more (twice: more)"},
	{NULL, NULL, NULL, NULL, NULL},
};

static const struct config_var env_vars[] = {
	{"FELT_T_CLI_VAR", "7", "a variable the program reads"},
	{NULL, NULL, NULL},
};

static const struct config_var *const env[] = { env_vars, NULL };

static const struct cli_spec spec = {
	.prog = "felt-test",
	.usage = "[OPTION]... FILE...",
	.about = "Tests the convention.",
	.options = options,
	.min_operands = 1,
	.max_operands = 3,
	.env = env,
	.epilog = "Exit status: 0 fine.",
};

/* What the last call printed on stdout and stderr. */
static char out_text[8192], err_text[8192];

static void slurp(FILE *f, char *buf, size_t cap)
{
	size_t n;

	rewind(f);
	n = fread(buf, 1, cap - 1, f);
	buf[n] = '\0';
	fclose(f);
}

/* cli_parse on a NULL-terminated list of arguments after the program name,
 * capturing what it prints. */
static int run(struct cli_parsed *p, const char *const *args)
{
	static char *argv[16];
	FILE *o = tmpfile(), *e = tmpfile();
	int so = dup(1), se = dup(2), argc = 1, rc;

	ck_assert_ptr_nonnull(o);
	ck_assert_ptr_nonnull(e);
	argv[0] = "felt-test";
	while (args[argc - 1])
		argv[argc] = (char *)args[argc - 1], argc++;
	argv[argc] = NULL;
	fflush(stdout);
	fflush(stderr);
	dup2(fileno(o), 1);
	dup2(fileno(e), 2);
	rc = cli_parse(&spec, argc, argv, p);
	fflush(stdout);
	fflush(stderr);
	dup2(so, 1);
	dup2(se, 2);
	close(so);
	close(se);
	slurp(o, out_text, sizeof out_text);
	slurp(e, err_text, sizeof err_text);
	return rc;
}

#define ARGS(...) ((const char *const[]){ __VA_ARGS__, NULL })

START_TEST(flags_values_and_operands)
{
	struct cli_parsed p;

	ck_assert_int_eq(run(&p, ARGS("a.phh", "--check", "--rake", "500", "b.phh",
				      "--rake-cap=3", "-q", "-v", "--verbose")), CLI_OK);
	ck_assert_int_eq(p.count[OPT_CHECK], 1);
	ck_assert_int_eq(p.count[OPT_QUIET], 1);
	ck_assert_int_eq(p.count[OPT_VERBOSE], 2);
	ck_assert_str_eq(p.value[OPT_RAKE], "500");
	ck_assert_str_eq(p.value[OPT_CAP], "3");
	ck_assert_ptr_null(p.value[OPT_MODE]);
	ck_assert_int_eq(p.noperands, 2);
	ck_assert_str_eq(p.operands[0], "a.phh");
	ck_assert_str_eq(p.operands[1], "b.phh");
	ck_assert_str_eq(err_text, "");
	ck_assert_str_eq(out_text, "");
}
END_TEST

START_TEST(double_dash_ends_options)
{
	struct cli_parsed p;

	ck_assert_int_eq(run(&p, ARGS("--check", "--", "--rake", "-")), CLI_OK);
	ck_assert_int_eq(p.count[OPT_CHECK], 1);
	ck_assert_int_eq(p.count[OPT_RAKE], 0);
	ck_assert_int_eq(p.noperands, 2);
	ck_assert_str_eq(p.operands[0], "--rake");
	ck_assert_str_eq(p.operands[1], "-");
}
END_TEST

START_TEST(a_value_may_start_with_a_dash)
{
	struct cli_parsed p;
	int64_t v;

	ck_assert_int_eq(run(&p, ARGS("--rake", "-5", "f")), CLI_OK);
	ck_assert_str_eq(p.value[OPT_RAKE], "-5");
	/* ...and is then judged by the value check, naming value and form */
	ck_assert_int_eq(cli_int(&spec, &p, OPT_RAKE, 0, 0, 10000, &v), CLI_EUSAGE);
}
END_TEST

START_TEST(mistakes_name_the_option_and_hint_at_help)
{
	struct cli_parsed p;

	ck_assert_int_eq(run(&p, ARGS("--bogus", "f")), CLI_EUSAGE);
	ck_assert_str_eq(err_text, "felt-test: unknown option '--bogus'\n"
				   "Try 'felt-test --help' for the options.\n");
	ck_assert_str_eq(out_text, "");
	ck_assert_int_eq(cli_status(CLI_EUSAGE), 2);

	ck_assert_int_eq(run(&p, ARGS("--bogus=1", "f")), CLI_EUSAGE);
	ck_assert_ptr_nonnull(strstr(err_text, "unknown option '--bogus'\n"));
	ck_assert_int_eq(run(&p, ARGS("-x", "f")), CLI_EUSAGE);
	ck_assert_ptr_nonnull(strstr(err_text, "unknown option '-x'\n"));
	ck_assert_int_eq(run(&p, ARGS("f", "--rake")), CLI_EUSAGE);
	ck_assert_ptr_nonnull(strstr(err_text, "option '--rake' needs a value (BP)"));
	ck_assert_int_eq(run(&p, ARGS("f", "--check=yes")), CLI_EUSAGE);
	ck_assert_ptr_nonnull(strstr(err_text, "option '--check' takes no value"));
	ck_assert_int_eq(run(&p, ARGS("--check")), CLI_EUSAGE);
	ck_assert_ptr_nonnull(strstr(err_text, "missing arguments (usage: felt-test [OPTION]... FILE...)"));
	ck_assert_int_eq(run(&p, ARGS("a", "b", "c", "d")), CLI_EUSAGE);
	ck_assert_ptr_nonnull(strstr(err_text, "unexpected argument 'd'"));
}
END_TEST

START_TEST(help_lists_every_option_with_its_default)
{
	struct cli_parsed p;

	setenv("FELT_T_CLI_VAR", "9", 1);
	ck_assert_int_eq(run(&p, ARGS("--bogus-but-later", "--help")), CLI_EUSAGE);
	ck_assert_int_eq(run(&p, ARGS("--help", "--bogus")), CLI_EXIT);
	ck_assert_int_eq(cli_status(CLI_EXIT), 0);
	ck_assert_str_eq(err_text, "");
	ck_assert_ptr_nonnull(strstr(out_text, "usage: felt-test [OPTION]... FILE...\n"));
	ck_assert_ptr_nonnull(strstr(out_text, "Tests the convention.\n"));
	ck_assert_ptr_nonnull(strstr(out_text, "  --check "));
	ck_assert_ptr_nonnull(strstr(out_text, "  -q, --quiet "));
	ck_assert_ptr_nonnull(strstr(out_text, "  --rake BP "));
	ck_assert_ptr_nonnull(strstr(out_text, "rake in basis points (default: 0)\n"));
	/* a second help line is indented under the first */
	ck_assert_ptr_nonnull(strstr(out_text, "cap per hand\n                          "
					       "needs --rake (default: 0, no cap)\n"));
	ck_assert_ptr_nonnull(strstr(out_text, "  -h, --help "));
	ck_assert_ptr_nonnull(strstr(out_text, "  --version "));
	ck_assert_ptr_nonnull(strstr(out_text, "FELT_T_CLI_VAR\n    default: 7\n    current: 9\n"));
	ck_assert_ptr_nonnull(strstr(out_text, "Exit status: 0 fine.\n"));
	ck_assert_int_eq(run(&p, ARGS("-h")), CLI_EXIT);
	ck_assert_ptr_nonnull(strstr(out_text, "usage: felt-test"));
	unsetenv("FELT_T_CLI_VAR");
}
END_TEST

START_TEST(version)
{
	struct cli_parsed p;

	ck_assert_int_eq(run(&p, ARGS("--version")), CLI_EXIT);
	ck_assert_int_eq(strncmp(out_text, "felt-test (felt) ", 17), 0);
	ck_assert_str_eq(err_text, "");
}
END_TEST

START_TEST(values_are_checked_and_named)
{
	struct cli_parsed p;
	int64_t v = -1;
	int mode = -1;
	static const char *const modes[] = { "fast", "slow", NULL };

	ck_assert_int_eq(run(&p, ARGS("f")), CLI_OK);
	ck_assert_int_eq(cli_int(&spec, &p, OPT_RAKE, 42, 0, 100, &v), CLI_OK);
	ck_assert_int_eq(v, 42);
	ck_assert_int_eq(cli_choice(&spec, &p, OPT_MODE, modes, 0, &mode), CLI_OK);
	ck_assert_int_eq(mode, 0);

	ck_assert_int_eq(run(&p, ARGS("f", "--rake", "abc", "--mode", "slow")), CLI_OK);
	ck_assert_int_eq(cli_choice(&spec, &p, OPT_MODE, modes, 0, &mode), CLI_OK);
	ck_assert_int_eq(mode, 1);
	for (int i = 0; i < 4; i++) {
		static const char *const bad[] = { "abc", " 5", "+5", "101" };
		char want[128];

		ck_assert_int_eq(run(&p, ARGS("f", "--rake", bad[i])), CLI_OK);
		/* run() captured the parse; capture the check the same way */
		fflush(stderr);
		FILE *e = tmpfile();
		int se = dup(2);

		dup2(fileno(e), 2);
		ck_assert_int_eq(cli_int(&spec, &p, OPT_RAKE, 0, 0, 100, &v), CLI_EUSAGE);
		fflush(stderr);
		dup2(se, 2);
		close(se);
		slurp(e, err_text, sizeof err_text);
		snprintf(want, sizeof want, "felt-test: --rake '%s': want a whole number"
					    " from 0 to 100\n", bad[i]);
		ck_assert_int_eq(strncmp(err_text, want, strlen(want)), 0);
	}
	ck_assert_int_eq(run(&p, ARGS("f", "--mode", "medium")), CLI_OK);
	ck_assert_int_eq(cli_choice(&spec, &p, OPT_MODE, modes, 0, &mode), CLI_EUSAGE);
}
END_TEST

START_TEST(options_that_depend_on_each_other)
{
	struct cli_parsed p;

	ck_assert_int_eq(run(&p, ARGS("f", "--rake-cap", "3")), CLI_OK);
	ck_assert_int_eq(cli_requires(&spec, &p, OPT_CAP, OPT_RAKE), CLI_EUSAGE);
	ck_assert_int_eq(run(&p, ARGS("f", "--rake-cap", "3", "--rake", "5")), CLI_OK);
	ck_assert_int_eq(cli_requires(&spec, &p, OPT_CAP, OPT_RAKE), CLI_OK);
	ck_assert_int_eq(cli_conflicts(&spec, &p, OPT_CHECK, OPT_QUIET), CLI_OK);
	ck_assert_int_eq(run(&p, ARGS("f", "--check", "-q")), CLI_OK);
	ck_assert_int_eq(cli_conflicts(&spec, &p, OPT_CHECK, OPT_QUIET), CLI_EUSAGE);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cli");
	TCase *tc = tcase_create("cli");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, flags_values_and_operands);
	tcase_add_test(tc, double_dash_ends_options);
	tcase_add_test(tc, a_value_may_start_with_a_dash);
	tcase_add_test(tc, mistakes_name_the_option_and_hint_at_help);
	tcase_add_test(tc, help_lists_every_option_with_its_default);
	tcase_add_test(tc, version);
	tcase_add_test(tc, values_are_checked_and_named);
	tcase_add_test(tc, options_that_depend_on_each_other);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
