/* Unit tests for cgi/v1_tableconf: bucket keys, TableConfig, versions. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "core/json.h"
#include "v1_tableconf.h"

static const struct v1_table_config defaults = {
	.small_blind_chips = 1, .big_blind_chips = 2, .initial_stack_chips = 100,
	.max_seats = 6, .action_timeout_ms = 30000, .min_players = 2,
	.start_delay_ms = 3000,
};

START_TEST(defaults_are_valid)
{
	enum v1_conf_field bad;
	char why[128];

	ck_assert_int_eq(v1_conf_check(&defaults, &bad, why, sizeof why),
			 V1_CONF_OK);
}
END_TEST

START_TEST(check_names_the_broken_rule)
{
	struct v1_table_config c;
	enum v1_conf_field bad;
	char why[128];

	c = defaults;
	c.big_blind_chips = 1;
	ck_assert_int_eq(v1_conf_check(&c, &bad, why, sizeof why), V1_CONF_EINVALID);
	ck_assert_int_eq(bad, V1_FIELD_BIG_BLIND);
	ck_assert_str_eq(why, "must be greater than the small blind (1)");

	c = defaults;
	c.small_blind_chips = 0;
	ck_assert_int_eq(v1_conf_check(&c, &bad, why, sizeof why), V1_CONF_EINVALID);
	ck_assert_int_eq(bad, V1_FIELD_SMALL_BLIND);

	c = defaults;
	c.max_seats = 11;
	ck_assert_int_eq(v1_conf_check(&c, &bad, why, sizeof why), V1_CONF_EINVALID);
	ck_assert_int_eq(bad, V1_FIELD_MAX_SEATS);
	ck_assert_str_eq(why, "must be between 2 and 10");

	c = defaults;
	c.initial_stack_chips = 1;
	ck_assert_int_eq(v1_conf_check(&c, &bad, why, sizeof why), V1_CONF_EINVALID);
	ck_assert_int_eq(bad, V1_FIELD_INITIAL_STACK);

	c = defaults;
	c.action_timeout_ms = 999;
	ck_assert_int_eq(v1_conf_check(&c, &bad, why, sizeof why), V1_CONF_EINVALID);
	ck_assert_int_eq(bad, V1_FIELD_ACTION_TIMEOUT);

	c = defaults;
	c.min_players = 7;
	ck_assert_int_eq(v1_conf_check(&c, &bad, why, sizeof why), V1_CONF_EINVALID);
	ck_assert_int_eq(bad, V1_FIELD_MIN_PLAYERS);
	ck_assert_str_eq(why, "must be between 2 and the number of seats (6)");

	c = defaults;
	c.start_delay_ms = -1;
	ck_assert_int_eq(v1_conf_check(&c, &bad, why, sizeof why), V1_CONF_EINVALID);
	ck_assert_int_eq(bad, V1_FIELD_START_DELAY);

	c = defaults;
	c.small_blind_chips = V1_CHIPS_MAX - 1;
	c.big_blind_chips = V1_CHIPS_MAX;
	c.initial_stack_chips = V1_CHIPS_MAX;
	ck_assert_int_eq(v1_conf_check(&c, &bad, why, sizeof why), V1_CONF_OK);
	c.big_blind_chips = V1_CHIPS_MAX + 1;
	ck_assert_int_eq(v1_conf_check(&c, &bad, why, sizeof why), V1_CONF_EINVALID);
	ck_assert_int_eq(bad, V1_FIELD_BIG_BLIND);
}
END_TEST

START_TEST(bucket_form_configures)
{
	struct v1_table_config c;
	char msg[256] = "";

	ck_assert_int_eq(v1_bucket_parse("sb5_bb10_seats9_timeout15000", &defaults,
					 &c, msg, sizeof msg), 1);
	ck_assert_int_eq(c.small_blind_chips, 5);
	ck_assert_int_eq(c.big_blind_chips, 10);
	ck_assert_int_eq(c.max_seats, 9);
	ck_assert_int_eq(c.action_timeout_ms, 15000);
	ck_assert_int_eq(c.initial_stack_chips, 100);
	ck_assert_int_eq(c.min_players, 2);
	ck_assert_int_eq(c.start_delay_ms, 3000);

	/* Heads-up buckets start when full even if the default wants more. */
	struct v1_table_config three = defaults;

	three.min_players = 3;
	ck_assert_int_eq(v1_bucket_parse("sb1_bb2_seats2_timeout1000", &three,
					 &c, msg, sizeof msg), 1);
	ck_assert_int_eq(c.max_seats, 2);
	ck_assert_int_eq(c.min_players, 2);
}
END_TEST

START_TEST(other_keys_are_labels)
{
	static const char *const labels[] = {
		"default", "rm-default", "sb1_bb2_seats6", "sb1_bb2_seats6_timeout30000_x",
		"bb2_sb1_seats6_timeout30000", "SB1_BB2_SEATS6_TIMEOUT30000", "x",
		"sb1-bb2-seats6-timeout30000", "sb1_bb2_seats6_timeout30000_",
	};
	struct v1_table_config c;
	char msg[256];

	for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++) {
		memset(&c, 0, sizeof c);
		ck_assert_msg(v1_bucket_parse(labels[i], &defaults, &c, msg,
					      sizeof msg) == 0, "%s", labels[i]);
		ck_assert_mem_eq(&c, &defaults, sizeof c);
	}
}
END_TEST

START_TEST(bad_bucket_values_name_the_part)
{
	static const struct {
		const char *key, *msg;
	} cases[] = {
		{ "sbx_bb2_seats6_timeout30000",
		  "bucket_key: sb must be a positive whole number without leading zeros (got 'x')" },
		{ "sb_bb2_seats6_timeout30000",
		  "bucket_key: sb must be a positive whole number without leading zeros (got '')" },
		{ "sb01_bb2_seats6_timeout30000",
		  "bucket_key: sb must be a positive whole number without leading zeros (got '01')" },
		{ "sb0_bb2_seats6_timeout30000",
		  "bucket_key: sb must be a positive whole number without leading zeros (got '0')" },
		{ "sb-1_bb2_seats6_timeout30000",
		  "bucket_key: sb must be a positive whole number without leading zeros (got '-1')" },
		{ "sb2_bb2_seats6_timeout30000",
		  "bucket_key: bb must be greater than the small blind (2)" },
		{ "sb1_bb2_seats11_timeout30000", "bucket_key: seats must be between 2 and 10" },
		{ "sb1_bb2_seats1_timeout30000", "bucket_key: seats must be between 2 and 10" },
		{ "sb1_bb2_seats99999999999_timeout30000",
		  "bucket_key: seats must be between 2 and 10" },
		{ "sb1_bb2_seats6_timeout999",
		  "bucket_key: timeout must be between 1000 and 3600000 milliseconds" },
		{ "sb1_bb2_seats6_timeout12345678901234",
		  "bucket_key: timeout must be a positive whole number without leading zeros (got '12345678901234')" },
		{ "sb50_bb200_seats6_timeout30000",
		  "bucket_key: bb must be at most the initial stack (100 chips)" },
	};
	struct v1_table_config c;
	char msg[256];

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		ck_assert_msg(v1_bucket_parse(cases[i].key, &defaults, &c, msg,
					      sizeof msg) == V1_CONF_EINVALID,
			      "%s", cases[i].key);
		ck_assert_str_eq(msg, cases[i].msg);
	}
}
END_TEST

START_TEST(bucket_key_characters)
{
	char long_key[80];

	ck_assert(v1_bucket_key_ok("default", 7));
	ck_assert(v1_bucket_key_ok("é", 2));
	ck_assert(!v1_bucket_key_ok("", 0));
	ck_assert(!v1_bucket_key_ok("a\tb", 3));
	ck_assert(!v1_bucket_key_ok("a\x7f", 2));
	ck_assert(!v1_bucket_key_ok("a\0b", 3)); /* embedded NUL */
	memset(long_key, 'k', 64);
	long_key[64] = '\0';
	ck_assert(v1_bucket_key_ok(long_key, 64));
	long_key[64] = 'k';
	long_key[65] = '\0';
	ck_assert(!v1_bucket_key_ok(long_key, 65));
}
END_TEST

/*
 * Parse text and apply it as a TableConfig over the defaults. *details
 * gets the problems; the parsed object (which extras point into) is
 * appended to it, so one put releases both.
 */
static int apply(const char *text, struct v1_table_config *c,
		 struct v1_conf_extras *x, struct json_object **details)
{
	struct json_object *obj = NULL, *problems = json_object_new_array();
	int n;

	ck_assert_int_eq(json_parse(text, strlen(text), 0, &obj, NULL, 0), JSON_OK);
	*c = defaults;
	n = v1_conf_from_json(obj, "config", c, x, problems);
	ck_assert_int_eq((int)json_object_array_length(problems), n);
	*details = json_object_new_array();
	json_object_array_add(*details, problems);
	json_object_array_add(*details, obj);
	return n;
}

START_TEST(config_json_applies_over_defaults)
{
	struct v1_table_config c;
	struct v1_conf_extras x;
	struct json_object *details;

	ck_assert_int_eq(apply("{\"blinds\":{\"small\":10,\"big\":20},\"maxSeats\":9,"
			       "\"initialStack\":2000,\"actionTimeoutMs\":5000,"
			       "\"minPlayersToStart\":3,\"startDelayMs\":0,"
			       "\"seed\":\"abc\",\"realMoney\":false,\"extra\":1}",
			       &c, &x, &details), 0);
	ck_assert_int_eq(c.small_blind_chips, 10);
	ck_assert_int_eq(c.big_blind_chips, 20);
	ck_assert_int_eq(c.max_seats, 9);
	ck_assert_int_eq(c.initial_stack_chips, 2000);
	ck_assert_int_eq(c.action_timeout_ms, 5000);
	ck_assert_int_eq(c.min_players, 3);
	ck_assert_int_eq(c.start_delay_ms, 0);
	ck_assert_str_eq(x.seed, "abc");
	ck_assert(!x.real_money);
	json_object_put(details);

	/* Partial blinds keep the other default; null means absent. */
	ck_assert_int_eq(apply("{\"blinds\":{\"big\":4},\"maxSeats\":null}", &c, &x,
			       &details), 0);
	ck_assert_int_eq(c.small_blind_chips, 1);
	ck_assert_int_eq(c.big_blind_chips, 4);
	ck_assert_int_eq(c.max_seats, 6);
	ck_assert_ptr_null(x.seed);
	json_object_put(details);

	ck_assert_int_eq(apply("{\"realMoney\":true}", &c, &x, &details), 0);
	ck_assert(x.real_money);
	json_object_put(details);
}
END_TEST

/* The path of the first issue, joined by dots. */
static void first_path(struct json_object *details, char *out, size_t len)
{
	struct json_object *path;
	struct json_object *problems = json_object_array_get_idx(details, 0);

	ck_assert(json_object_object_get_ex(json_object_array_get_idx(problems, 0),
					    "path", &path));
	out[0] = '\0';
	for (size_t i = 0; i < json_object_array_length(path); i++) {
		size_t used = strlen(out);

		snprintf(out + used, len - used, "%s%s", i ? "." : "",
			 json_object_get_string(json_object_array_get_idx(path, i)));
	}
}

START_TEST(config_json_problems)
{
	static const struct {
		const char *json, *path;
	} cases[] = {
		{ "{\"blinds\":{\"small\":\"1\"}}", "config.blinds.small" },
		{ "{\"blinds\":{\"small\":1.5}}", "config.blinds.small" },
		{ "{\"blinds\":[1,2]}", "config.blinds" },
		{ "{\"blinds\":{\"small\":2,\"big\":2}}", "config.blinds.big" },
		{ "{\"maxSeats\":1}", "config.maxSeats" },
		{ "{\"maxSeats\":99999999999999}", "config.maxSeats" },
		{ "{\"maxSeats\":true}", "config.maxSeats" },
		{ "{\"initialStack\":0}", "config.initialStack" },
		{ "{\"initialStack\":9999999999999999999}", "config.initialStack" },
		{ "{\"actionTimeoutMs\":0}", "config.actionTimeoutMs" },
		{ "{\"minPlayersToStart\":7}", "config.minPlayersToStart" },
		{ "{\"startDelayMs\":-5}", "config.startDelayMs" },
		{ "{\"seed\":5}", "config.seed" },
		{ "{\"realMoney\":\"yes\"}", "config.realMoney" },
	};
	struct v1_table_config c;
	struct v1_conf_extras x;
	struct json_object *details;
	char path[128];

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		ck_assert_msg(apply(cases[i].json, &c, &x, &details) > 0, "%s",
			      cases[i].json);
		first_path(details, path, sizeof path);
		ck_assert_str_eq(path, cases[i].path);
		json_object_put(details);
	}
}
END_TEST

START_TEST(config_must_be_an_object)
{
	struct json_object *details = json_object_new_array();
	struct json_object *arr = json_object_new_array();
	struct v1_table_config c = defaults;
	struct v1_conf_extras x;

	ck_assert_int_eq(v1_conf_from_json(arr, "config", &c, &x, details), 1);
	ck_assert_int_eq(v1_conf_from_json(NULL, "config", &c, &x, details), 0);
	ck_assert_int_eq((int)json_object_array_length(details), 1);
	json_object_put(arr);
	json_object_put(details);
}
END_TEST

START_TEST(versions_compare_numerically)
{
	static const struct {
		const char *a, *b;
		int cmp;
	} cases[] = {
		{ "0.1", "0.1", 0 }, { "0.1.0", "0.1", 0 }, { "0.10", "0.9", 1 },
		{ "0.9", "0.10", -1 }, { "1", "0.1", 1 }, { "0.0.9", "0.1", -1 },
		{ "0.2", "0.1", 1 }, { "0.01", "0.1", 0 }, { "10.0", "9.99", 1 },
	};
	int cmp;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		ck_assert_int_eq(v1_version_cmp(cases[i].a, cases[i].b, &cmp),
				 V1_CONF_OK);
		ck_assert_msg(cmp == cases[i].cmp, "%s vs %s", cases[i].a,
			      cases[i].b);
	}
}
END_TEST

START_TEST(bad_versions)
{
	static const char *const bad[] = {
		"", "abc", "0.", ".1", "0..1", "v0.1", "0.1a", "-1", "1.2.3.4.5",
		"1234567890", "0.1 ", " 0.1", "0,1",
	};
	int cmp;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(v1_version_cmp(bad[i], "0.1", &cmp) == V1_CONF_EVERSION,
			      "'%s'", bad[i]);
	ck_assert_int_eq(v1_version_cmp(NULL, "0.1", &cmp), V1_CONF_EVERSION);
	ck_assert_int_eq(v1_version_cmp("1.2.3.4", "0.1", &cmp), V1_CONF_OK);
	ck_assert_int_eq(v1_version_cmp("123456789.0", "0.1", &cmp), V1_CONF_OK);
	ck_assert_str_eq(v1_tableconf_strerror(V1_CONF_EVERSION),
			 "not a protocol version");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("v1_tableconf");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, defaults_are_valid);
	tcase_add_test(tc, check_names_the_broken_rule);
	tcase_add_test(tc, bucket_form_configures);
	tcase_add_test(tc, other_keys_are_labels);
	tcase_add_test(tc, bad_bucket_values_name_the_part);
	tcase_add_test(tc, bucket_key_characters);
	tcase_add_test(tc, config_json_applies_over_defaults);
	tcase_add_test(tc, config_json_problems);
	tcase_add_test(tc, config_must_be_an_object);
	tcase_add_test(tc, versions_compare_numerically);
	tcase_add_test(tc, bad_versions);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
