/* Unit tests for lib/log: kv and JSON lines, quoting, levels, truncation. */
#include <check.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/log.h"

static int saved_fd = -1;
static FILE *capture_file;

/* Point fd 2 at a temp file so the test can read what log wrote. */
static void capture_start(void)
{
	capture_file = tmpfile();
	ck_assert_ptr_nonnull(capture_file);
	fflush(stderr);
	saved_fd = dup(STDERR_FILENO);
	dup2(fileno(capture_file), STDERR_FILENO);
}

/* Restore fd 2 and return everything written (caller frees). */
static char *capture_end(void)
{
	long n;
	char *buf;

	dup2(saved_fd, STDERR_FILENO);
	close(saved_fd);
	n = ftell(capture_file);
	buf = calloc(1, (size_t)n + 1);
	rewind(capture_file);
	ck_assert_int_eq(fread(buf, 1, (size_t)n, capture_file), n);
	fclose(capture_file);
	return buf;
}

static void setup(void)
{
	log_set_level(LOG_DEBUG);
	log_set_format(LOG_FORMAT_KV);
}

START_TEST(kv_line_shape)
{
	char *out;

	capture_start();
	log_event(LOG_INFO, "request_done", "method=%s status=%d ms=%.1f", "GET", 200, 0.4);
	out = capture_end();
	/* ts=YYYY-MM-DDTHH:MM:SS.mmmZ */
	ck_assert_int_eq(strncmp(out, "ts=", 3), 0);
	ck_assert_int_eq(out[3 + 10], 'T');
	ck_assert_int_eq(out[3 + 23], 'Z');
	ck_assert_str_eq(out + 27, " level=info event=request_done method=GET status=200 ms=0.4\n");
	free(out);
}
END_TEST

START_TEST(levels_filter)
{
	char *out;

	log_set_level(LOG_WARN);
	ck_assert(!log_enabled(LOG_INFO));
	ck_assert(log_enabled(LOG_ERROR));
	capture_start();
	log_event(LOG_INFO, "dropped", NULL);
	log_event(LOG_DEBUG, "dropped", NULL);
	log_event(LOG_WARN, "kept_warn", NULL);
	log_event(LOG_ERROR, "kept_error", NULL);
	out = capture_end();
	ck_assert_ptr_null(strstr(out, "dropped"));
	ck_assert_ptr_nonnull(strstr(out, "level=warn event=kept_warn\n"));
	ck_assert_ptr_nonnull(strstr(out, "level=error event=kept_error\n"));
	ck_assert_int_eq(log_get_level(), LOG_WARN);
	free(out);
}
END_TEST

START_TEST(parse_names)
{
	enum log_level l;
	enum log_format f;

	ck_assert_int_eq(log_parse_level("DEBUG", &l), LOG_OK);
	ck_assert_int_eq(l, LOG_DEBUG);
	ck_assert_int_eq(log_parse_level("warning", &l), LOG_OK);
	ck_assert_int_eq(l, LOG_WARN);
	ck_assert_int_eq(log_parse_level("loud", &l), LOG_ERR_UNKNOWN);
	ck_assert_int_eq(log_parse_format("json", &f), LOG_OK);
	ck_assert_int_eq(f, LOG_FORMAT_JSON);
	ck_assert_int_eq(log_parse_format("xml", &f), LOG_ERR_UNKNOWN);
	setenv("FELT_LOG_LEVEL", "error", 1);
	setenv("FELT_LOG_FORMAT", "json", 1);
	ck_assert_int_eq(log_configure(), LOG_OK);
	ck_assert_int_eq(log_get_level(), LOG_ERROR);
	setenv("FELT_LOG_LEVEL", "bogus", 1);
	ck_assert_int_eq(log_configure(), LOG_ERR_UNKNOWN);
	ck_assert_int_eq(log_get_level(), LOG_ERROR); /* unchanged */
	unsetenv("FELT_LOG_LEVEL");
	unsetenv("FELT_LOG_FORMAT");
}
END_TEST

START_TEST(quote_values)
{
	char q[64];

	ck_assert_str_eq(log_quote("plain/path-1", q, sizeof q), "plain/path-1");
	ck_assert_str_eq(log_quote("two words", q, sizeof q), "\"two words\"");
	ck_assert_str_eq(log_quote("", q, sizeof q), "\"\"");
	ck_assert_str_eq(log_quote(NULL, q, sizeof q), "\"\"");
	ck_assert_str_eq(log_quote("a=b", q, sizeof q), "\"a=b\"");
	ck_assert_str_eq(log_quote("say \"hi\"\n", q, sizeof q), "\"say \\\"hi\\\"\"");
	ck_assert_str_eq(log_quote("\x01", q, sizeof q), "\"\\x01\"");
	/* libpq's layout (a newline, a tab before the hint) is one line of
	 * prose, never a literal \n or \t in the log (issue 8) */
	ck_assert_str_eq(log_quote("could not connect: No such file\n\tIs the server running?\n",
				   q, sizeof q),
			 "\"could not connect: No such file Is the server running?\"");
	ck_assert_str_eq(log_quote("a \r\n  b", q, sizeof q), "\"a b\"");
	ck_assert_str_eq(log_quote("two  spaces", q, sizeof q), "\"two  spaces\"");
	ck_assert_str_eq(log_quote("\x7f\x1b", q, sizeof q), "\"\\x7f\\x1b\"");
	/* truncation keeps a closed quoted string */
	ck_assert_str_eq(log_quote("a b c d e f", q, 6), "\"a b\"");
}
END_TEST

START_TEST(one_line)
{
	char b[16];

	ck_assert_str_eq(log_one_line(b, sizeof b, "\n\t x \t\ny \n"), "x y");
	ck_assert_str_eq(log_one_line(b, sizeof b, "  lead"), "lead");
	ck_assert_str_eq(log_one_line(b, sizeof b, NULL), "");
	ck_assert_str_eq(log_one_line(b, 4, "abcdef"), "abc");
	ck_assert_str_eq(log_one_line(b, sizeof b, "a  b"), "a  b");
}
END_TEST

START_TEST(json_lines_parse_back)
{
	struct json_object *o, *v;
	char q[64], *out, *nl;

	log_set_format(LOG_FORMAT_JSON);
	capture_start();
	log_event(LOG_WARN, "db_error", "sqlstate=%s n=%d ratio=0.5 msg=%s flag neg=-3 id=007",
		  "23505", 42, log_quote("dup \"key\"\tx", q, sizeof q));
	out = capture_end();
	nl = strchr(out, '\n');
	ck_assert_ptr_nonnull(nl);
	ck_assert_ptr_eq(nl + 1, out + strlen(out)); /* exactly one line */
	o = json_tokener_parse(out);
	ck_assert_ptr_nonnull(o);
	ck_assert(json_object_object_get_ex(o, "level", &v));
	ck_assert_str_eq(json_object_get_string(v), "warn");
	ck_assert(json_object_object_get_ex(o, "event", &v));
	ck_assert_str_eq(json_object_get_string(v), "db_error");
	ck_assert(json_object_object_get_ex(o, "sqlstate", &v));
	ck_assert(json_object_is_type(v, json_type_int)); /* bare number */
	ck_assert(json_object_object_get_ex(o, "n", &v));
	ck_assert_int_eq(json_object_get_int(v), 42);
	ck_assert(json_object_object_get_ex(o, "msg", &v));
	ck_assert_str_eq(json_object_get_string(v), "dup \"key\" x");
	ck_assert(json_object_object_get_ex(o, "flag", &v));
	ck_assert(json_object_get_boolean(v));
	ck_assert(json_object_object_get_ex(o, "neg", &v));
	ck_assert_int_eq(json_object_get_int(v), -3);
	ck_assert(json_object_object_get_ex(o, "id", &v));
	ck_assert(json_object_is_type(v, json_type_string)); /* 007 is not a JSON number */
	json_object_put(o);
	free(out);
}
END_TEST

START_TEST(long_lines_are_truncated_but_valid)
{
	static char big[6000];
	struct json_object *o, *v;
	char *out;

	memset(big, 'x', sizeof big - 1);
	capture_start();
	log_event(LOG_INFO, "big", "a=1 payload=%s b=2", big);
	log_set_format(LOG_FORMAT_JSON);
	log_event(LOG_INFO, "big", "a=1 payload=%s b=2", big);
	out = capture_end();
	ck_assert_ptr_nonnull(strstr(out, " truncated\n"));
	ck_assert(strlen(out) < 2 * 4096);
	o = json_tokener_parse(strchr(out, '\n') + 1);
	ck_assert_ptr_nonnull(o);
	ck_assert(json_object_object_get_ex(o, "truncated", &v));
	json_object_put(o);
	free(out);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("log");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, kv_line_shape);
	tcase_add_test(tc, levels_filter);
	tcase_add_test(tc, parse_names);
	tcase_add_test(tc, quote_values);
	tcase_add_test(tc, one_line);
	tcase_add_test(tc, json_lines_parse_back);
	tcase_add_test(tc, long_lines_are_truncated_but_valid);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
