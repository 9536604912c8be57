/* Unit tests for lib/config: env parsing, defaults, errors, printing. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"

START_TEST(str_defaults_when_unset_or_empty)
{
	unsetenv("FELT_T_STR");
	ck_assert_str_eq(config_str("FELT_T_STR", "def"), "def");
	ck_assert_ptr_null(config_str("FELT_T_STR", NULL));
	setenv("FELT_T_STR", "", 1);
	ck_assert_str_eq(config_str("FELT_T_STR", "def"), "def");
	setenv("FELT_T_STR", "value", 1);
	ck_assert_str_eq(config_str("FELT_T_STR", "def"), "value");
}
END_TEST

START_TEST(int_parsing_is_strict)
{
	int64_t v = 7;

	unsetenv("FELT_T_INT");
	ck_assert_int_eq(config_int("FELT_T_INT", 42, 0, 100, &v), CONFIG_OK);
	ck_assert_int_eq(v, 42);
	setenv("FELT_T_INT", "17", 1);
	ck_assert_int_eq(config_int("FELT_T_INT", 42, 0, 100, &v), CONFIG_OK);
	ck_assert_int_eq(v, 17);
	setenv("FELT_T_INT", "-3", 1);
	ck_assert_int_eq(config_int("FELT_T_INT", 42, -5, 100, &v), CONFIG_OK);
	ck_assert_int_eq(v, -3);

	v = 7;
	setenv("FELT_T_INT", "101", 1);
	ck_assert_int_eq(config_int("FELT_T_INT", 42, 0, 100, &v), CONFIG_ERR_RANGE);
	setenv("FELT_T_INT", "12abc", 1);
	ck_assert_int_eq(config_int("FELT_T_INT", 42, 0, 100, &v), CONFIG_ERR_SYNTAX);
	setenv("FELT_T_INT", " 12", 1);
	ck_assert_int_eq(config_int("FELT_T_INT", 42, 0, 100, &v), CONFIG_ERR_SYNTAX);
	setenv("FELT_T_INT", "abc", 1);
	ck_assert_int_eq(config_int("FELT_T_INT", 42, 0, 100, &v), CONFIG_ERR_SYNTAX);
	setenv("FELT_T_INT", "99999999999999999999999", 1);
	ck_assert_int_eq(config_int("FELT_T_INT", 42, 0, INT64_MAX, &v), CONFIG_ERR_RANGE);
	ck_assert_int_eq(v, 7); /* untouched on error */
	unsetenv("FELT_T_INT");
}
END_TEST

START_TEST(bool_parsing)
{
	bool b = false;

	unsetenv("FELT_T_BOOL");
	ck_assert_int_eq(config_bool("FELT_T_BOOL", true, &b), CONFIG_OK);
	ck_assert(b);
	setenv("FELT_T_BOOL", "off", 1);
	ck_assert_int_eq(config_bool("FELT_T_BOOL", true, &b), CONFIG_OK);
	ck_assert(!b);
	setenv("FELT_T_BOOL", "YES", 1);
	ck_assert_int_eq(config_bool("FELT_T_BOOL", false, &b), CONFIG_OK);
	ck_assert(b);
	setenv("FELT_T_BOOL", "0", 1);
	ck_assert_int_eq(config_bool("FELT_T_BOOL", true, &b), CONFIG_OK);
	ck_assert(!b);
	setenv("FELT_T_BOOL", "maybe", 1);
	ck_assert_int_eq(config_bool("FELT_T_BOOL", true, &b), CONFIG_ERR_SYNTAX);
	unsetenv("FELT_T_BOOL");
}
END_TEST

START_TEST(table_defaults)
{
	static const struct config_var vars[] = {
		{"FELT_T_A", "alpha", "first"},
		{"FELT_T_B", NULL, "no default"},
		{NULL, NULL, NULL},
	};

	unsetenv("FELT_T_A");
	ck_assert_str_eq(config_default(vars, "FELT_T_A"), "alpha");
	ck_assert_ptr_null(config_default(vars, "FELT_T_B"));
	ck_assert_ptr_null(config_default(vars, "FELT_T_C"));
	ck_assert_str_eq(config_get(vars, "FELT_T_A"), "alpha");
	setenv("FELT_T_A", "beta", 1);
	ck_assert_str_eq(config_get(vars, "FELT_T_A"), "beta");
	unsetenv("FELT_T_A");
	ck_assert_str_eq(config_default(config_common_vars, "FELT_DB"), "dbname=felt");
	ck_assert_str_eq(config_default(config_common_vars, "FELT_LOG_LEVEL"), "info");
	ck_assert_str_eq(config_default(config_common_vars, "FELT_LOG_FORMAT"), "kv");
	ck_assert_ptr_nonnull(strstr(config_default(config_common_vars, "FELT_SQL_DIR"), "/sql"));
}
END_TEST

START_TEST(print_lists_and_hides_secrets)
{
	static const struct config_var vars[] = {
		{"FELT_T_A", "alpha", "first variable"},
		{"FELT_T_API_KEY", NULL, "a secret"},
		{"FELT_T_URL", NULL, "a url"},
		{NULL, NULL, NULL},
	};
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	setenv("FELT_T_A", "shown", 1);
	setenv("FELT_T_API_KEY", "sekrit", 1);
	setenv("FELT_T_URL", "postgresql://u:pw@host/db", 1);
	config_print(f, vars);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(buf, "FELT_T_A\n    default: alpha\n    current: shown\n    first variable\n"));
	ck_assert_ptr_nonnull(strstr(buf, "default: (unset)"));
	ck_assert_ptr_null(strstr(buf, "sekrit"));
	ck_assert_ptr_null(strstr(buf, "pw@"));
	ck_assert_ptr_nonnull(strstr(buf, "(set, hidden)"));
	free(buf);
	unsetenv("FELT_T_A");
	unsetenv("FELT_T_API_KEY");
	unsetenv("FELT_T_URL");
}
END_TEST

START_TEST(explanations_name_the_value_and_the_form)
{
	static const struct config_var vars[] = {
		{"FELT_T_EXPLAIN", "8", "worker threads (1-256)"},
		{NULL, NULL, NULL},
	};
	char b[256];

	setenv("FELT_T_EXPLAIN", "abc", 1);
	ck_assert_str_eq(config_explain_int(b, sizeof b, "FELT_T_EXPLAIN", 1, 256),
			 "FELT_T_EXPLAIN='abc': want a whole number from 1 to 256");
	ck_assert_str_eq(config_explain_bool(b, sizeof b, "FELT_T_EXPLAIN"),
			 "FELT_T_EXPLAIN='abc': want 1/0, true/false, yes/no or on/off");
	ck_assert_str_eq(config_explain(b, sizeof b, vars, "FELT_T_EXPLAIN", CONFIG_ERR_SYNTAX),
			 "FELT_T_EXPLAIN='abc' is malformed: worker threads (1-256); default 8");
	setenv("FELT_T_EXPLAIN", "999", 1);
	ck_assert_str_eq(config_explain(b, sizeof b, vars, "FELT_T_EXPLAIN", CONFIG_ERR_RANGE),
			 "FELT_T_EXPLAIN='999' is out of range: worker threads (1-256); default 8");
	/* short buffers are cut, never overrun */
	ck_assert_str_eq(config_explain_int(b, 8, "FELT_T_EXPLAIN", 1, 2), "FELT_T_");
	unsetenv("FELT_T_EXPLAIN");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, str_defaults_when_unset_or_empty);
	tcase_add_test(tc, int_parsing_is_strict);
	tcase_add_test(tc, bool_parsing);
	tcase_add_test(tc, table_defaults);
	tcase_add_test(tc, print_lists_and_hides_secrets);
	tcase_add_test(tc, explanations_name_the_value_and_the_form);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
