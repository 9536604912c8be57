/* Unit tests for cgi/request: parameters, query decoding, body limits, JSON. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgi_testio.h"
#include "request.h"

/*
 * The environment strings are allocated to fit: a fixed buffer would cut a
 * long URI short, and the limit tests would silently test a shorter one.
 */
static int parse(struct request *req, const char *uri, const char *method)
{
	char *u = NULL, *m = NULL;
	int rc;

	ck_assert_int_ge(asprintf(&u, "REQUEST_URI=%s", uri), 0);
	ck_assert_int_ge(asprintf(&m, "REQUEST_METHOD=%s", method), 0);
	{
		char *env[] = { u, m, "HTTP_AUTHORIZATION=Bearer  op_live_abc",
				"CONTENT_TYPE=application/json", NULL };

		rc = request_parse_env(req, env);
	}
	free(u);
	free(m);
	return rc;
}

/* "/?x=aaa...": a URI whose query string is exactly qlen bytes. */
static char *uri_with_query(size_t qlen)
{
	char *uri = malloc(qlen + 3);

	ck_assert_ptr_nonnull(uri);
	memcpy(uri, "/?x=", 4);
	memset(uri + 4, 'a', qlen - 2);
	uri[qlen + 2] = '\0';
	ck_assert_uint_eq(strlen(uri + 2), qlen);
	return uri;
}

START_TEST(parses_path_query_and_headers)
{
	struct request req;

	ck_assert_int_eq(parse(&req, "/v1/tables?status=wait%20ing&x=a+b&flag&"
				     "e=", "GET"), REQUEST_OK);
	ck_assert_str_eq(req.method, "GET");
	ck_assert_str_eq(req.path, "/v1/tables");
	ck_assert_str_eq(request_query_get(&req, "status"), "wait ing");
	ck_assert_str_eq(request_query_get(&req, "x"), "a b");
	ck_assert_str_eq(request_query_get(&req, "flag"), "");
	ck_assert_str_eq(request_query_get(&req, "e"), "");
	ck_assert_ptr_null(request_query_get(&req, "missing"));
	ck_assert_str_eq(request_bearer(&req), "op_live_abc");
	ck_assert_str_eq(req.content_type, "application/json");
	ck_assert_int_eq(req.content_length, -1);
	request_free(&req);
}
END_TEST

START_TEST(query_string_param_wins_over_uri)
{
	struct request req;
	char *env[] = { "REQUEST_METHOD=GET", "REQUEST_URI=/a?x=1",
			"QUERY_STRING=x=2", NULL };

	ck_assert_int_eq(request_parse_env(&req, env), REQUEST_OK);
	ck_assert_str_eq(request_query_get(&req, "x"), "2");
	request_free(&req);
}
END_TEST

START_TEST(refuses_bad_input)
{
	struct request req;
	char *noenv[] = { NULL };

	ck_assert_int_eq(parse(&req, "/a?x=%zz", "GET"), REQUEST_EQUERY);
	ck_assert_str_eq(req.path, "/a"); /* known, to pick the dialect */
	request_free(&req);
	ck_assert_int_eq(parse(&req, "/a?x=%00", "GET"), REQUEST_EQUERY);
	request_free(&req);
	ck_assert_int_eq(parse(&req, "/a?x=%4", "GET"), REQUEST_EQUERY);
	request_free(&req);
	ck_assert_int_eq(parse(&req, "relative", "GET"), REQUEST_EPATH);
	request_free(&req);
	ck_assert_int_eq(parse(&req, "/a", "get"), REQUEST_EMETHOD);
	request_free(&req);
	ck_assert_int_eq(request_parse_env(&req, noenv), REQUEST_EPATH);
	request_free(&req);
	ck_assert_int_eq(parse(&req, "/a?x=%c0%af", "GET"), REQUEST_EQUERY);
	request_free(&req);

}
END_TEST

/* A path over the limit is refused, keeping enough of it for the
 * answer's dialect: a long /v1 path answers in the /v1 format. */
START_TEST(too_long_path_keeps_its_dialect)
{
	struct request req;
	char *uri = malloc(REQUEST_MAX_PATH + 8);

	memcpy(uri, "/v1/", 4);
	memset(uri + 4, 'a', REQUEST_MAX_PATH - 4);
	uri[REQUEST_MAX_PATH] = '\0';
	ck_assert_int_eq(parse(&req, uri, "GET"), REQUEST_OK);
	request_free(&req);
	uri[REQUEST_MAX_PATH] = 'a';
	uri[REQUEST_MAX_PATH + 1] = '\0';
	ck_assert_int_eq(parse(&req, uri, "GET"), REQUEST_EURI);
	ck_assert_ptr_nonnull(req.path);
	ck_assert_int_eq(strncmp(req.path, "/v1/", 4), 0);
	request_free(&req);
	free(uri);
}
END_TEST

START_TEST(query_length_limit_is_exact)
{
	struct request req;
	char *uri = uri_with_query(REQUEST_MAX_QUERY);

	ck_assert_int_eq(parse(&req, uri, "GET"), REQUEST_OK);
	ck_assert_uint_eq(strlen(request_query_get(&req, "x")),
			  REQUEST_MAX_QUERY - 2);
	request_free(&req);
	free(uri);

	uri = uri_with_query(REQUEST_MAX_QUERY + 1);
	ck_assert_int_eq(parse(&req, uri, "GET"), REQUEST_EQUERY);
	request_free(&req);
	free(uri);
}
END_TEST

START_TEST(too_many_query_pairs_refused)
{
	struct request req;
	char uri[512] = "/a?";
	int i;

	for (i = 0; i < REQUEST_MAX_QUERY_PAIRS + 1; i++)
		strcat(uri, "k=v&");
	ck_assert_int_eq(parse(&req, uri, "GET"), REQUEST_EQUERY);
	request_free(&req);
}
END_TEST

START_TEST(bad_content_length_refused)
{
	struct request req;
	char *env[] = { "REQUEST_METHOD=POST", "REQUEST_URI=/a",
			"CONTENT_LENGTH=12x", NULL };
	char *env2[] = { "REQUEST_METHOD=POST", "REQUEST_URI=/a",
			 "CONTENT_LENGTH=", NULL };

	ck_assert_int_eq(request_parse_env(&req, env), REQUEST_ELENGTH);
	request_free(&req);
	ck_assert_int_eq(request_parse_env(&req, env2), REQUEST_OK);
	ck_assert_int_eq(req.content_length, -1);
	request_free(&req);
}
END_TEST

START_TEST(percent_decode)
{
	char out[32];

	ck_assert_int_eq(request_percent_decode(out, "a%2Fb+c", 7, 1), 5);
	ck_assert_str_eq(out, "a/b c");
	ck_assert_int_eq(request_percent_decode(out, "a+b", 3, 0), 3);
	ck_assert_str_eq(out, "a+b");
	ck_assert_int_eq(request_percent_decode(out, "%e2%82%ac", 9, 1), 3);
	ck_assert_str_eq(out, "\xe2\x82\xac");
	ck_assert_int_eq(request_percent_decode(out, "%", 1, 1), -1);
	ck_assert_int_eq(request_percent_decode(out, "ab%2", 4, 1), -1);
	/* What decodes to bytes that are not strict UTF-8 is refused. */
	ck_assert_int_eq(request_percent_decode(out, "%c0%af", 6, 1), -1);
	ck_assert_int_eq(request_percent_decode(out, "%ed%a0%80", 9, 1), -1);
	ck_assert_int_eq(request_percent_decode(out, "%f4%90%80%80", 12, 1), -1);
	ck_assert_int_eq(request_percent_decode(out, "x%ff", 4, 1), -1);
	ck_assert_int_eq(request_percent_decode(out, "%e2%82", 6, 1), -1);
}
END_TEST

START_TEST(body_within_limit_read_in_chunks)
{
	struct request req;
	struct mem_in in = { .data = "{\"a\":1}", .len = 7, .chunk = 2 };

	memset(&req, 0, sizeof(req));
	req.content_length = 7;
	ck_assert_int_eq(request_read_body(&req, mem_read, &in, 7, 1000),
			 REQUEST_OK);
	ck_assert_uint_eq(req.body_len, 7);
	ck_assert_str_eq(req.body, "{\"a\":1}");
	request_free(&req);
}
END_TEST

START_TEST(declared_oversize_body_is_discarded)
{
	struct request req;
	static char big[100000];
	struct mem_in in = { .data = big, .len = sizeof(big) };

	memset(&req, 0, sizeof(req));
	req.content_length = sizeof(big);
	ck_assert_int_eq(request_read_body(&req, mem_read, &in, 1024, 1 << 20),
			 REQUEST_ETOOLARGE);
	ck_assert_ptr_null(req.body);
	ck_assert_uint_eq(in.pos, sizeof(big)); /* drained */
	request_free(&req);
}
END_TEST

START_TEST(undeclared_oversize_body_detected)
{
	struct request req;
	static char big[5000];
	struct mem_in in = { .data = big, .len = sizeof(big) };

	memset(&req, 0, sizeof(req));
	req.content_length = -1;
	ck_assert_int_eq(request_read_body(&req, mem_read, &in, 4096, 1 << 20),
			 REQUEST_ETOOLARGE);
	ck_assert_uint_eq(in.pos, sizeof(big));
	request_free(&req);

	/* Exactly at the limit is fine. */
	in.pos = 0;
	in.len = 4096;
	memset(&req, 0, sizeof(req));
	req.content_length = -1;
	ck_assert_int_eq(request_read_body(&req, mem_read, &in, 4096, 1 << 20),
			 REQUEST_OK);
	ck_assert_uint_eq(req.body_len, 4096);
	request_free(&req);
}
END_TEST

START_TEST(discard_is_bounded)
{
	struct request req;
	static char big[200000];
	struct mem_in in = { .data = big, .len = sizeof(big) };

	memset(&req, 0, sizeof(req));
	req.content_length = sizeof(big);
	ck_assert_int_eq(request_read_body(&req, mem_read, &in, 10, 50000),
			 REQUEST_ETOOLARGE);
	ck_assert_uint_lt(in.pos, sizeof(big));
	ck_assert_uint_ge(in.pos, 50000);
	request_free(&req);
}
END_TEST

START_TEST(short_body_is_an_error)
{
	struct request req;
	struct mem_in in = { .data = "abc", .len = 3 };

	memset(&req, 0, sizeof(req));
	req.content_length = 10;
	ck_assert_int_eq(request_read_body(&req, mem_read, &in, 100, 100),
			 REQUEST_EREAD);
	request_free(&req);
}
END_TEST

static int json_of(const char *text, struct json_object **out)
{
	struct request req;
	int rc;

	memset(&req, 0, sizeof(req));
	req.body = strdup(text);
	req.body_len = strlen(text);
	rc = request_json_body(&req, 4, out, NULL, 0);
	request_free(&req);
	return rc;
}

START_TEST(json_body)
{
	struct json_object *o;

	ck_assert_int_eq(json_of(" {\"a\": [1, 2]} ", &o), REQUEST_OK);
	ck_assert(json_object_is_type(o, json_type_object));
	json_object_put(o);
	ck_assert_int_eq(json_of("   ", &o), REQUEST_EEMPTY);
	ck_assert_ptr_null(o);
	ck_assert_int_eq(json_of("{\"a\":", &o), REQUEST_EJSON);
	ck_assert_int_eq(json_of("{} x", &o), REQUEST_EJSON);
	ck_assert_int_eq(json_of("[[[[[[1]]]]]]", &o), REQUEST_EDEPTH);
	ck_assert_ptr_null(o);
}
END_TEST

START_TEST(bearer_forms)
{
	struct request req;

	memset(&req, 0, sizeof(req));
	ck_assert_ptr_null(request_bearer(&req));
	req.authorization = strdup("bearer mpk_1");
	ck_assert_str_eq(request_bearer(&req), "mpk_1");
	free(req.authorization);
	req.authorization = strdup("mpk_raw");
	ck_assert_str_eq(request_bearer(&req), "mpk_raw");
	free(req.authorization);
	req.authorization = strdup("Bearer ");
	ck_assert_ptr_null(request_bearer(&req));
	request_free(&req);
}
END_TEST

START_TEST(strerror_covers_codes)
{
	int c;

	for (c = REQUEST_OK; c >= REQUEST_ELENGTH; c--)
		ck_assert_str_ne(request_strerror(c), "unknown request error");
	ck_assert_str_eq(request_strerror(-99), "unknown request error");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("request");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, parses_path_query_and_headers);
	tcase_add_test(tc, query_string_param_wins_over_uri);
	tcase_add_test(tc, refuses_bad_input);
	tcase_add_test(tc, query_length_limit_is_exact);
	tcase_add_test(tc, too_many_query_pairs_refused);
	tcase_add_test(tc, bad_content_length_refused);
	tcase_add_test(tc, percent_decode);
	tcase_add_test(tc, too_long_path_keeps_its_dialect);
	tcase_add_test(tc, body_within_limit_read_in_chunks);
	tcase_add_test(tc, declared_oversize_body_is_discarded);
	tcase_add_test(tc, undeclared_oversize_body_detected);
	tcase_add_test(tc, discard_is_bounded);
	tcase_add_test(tc, short_body_is_an_error);
	tcase_add_test(tc, json_body);
	tcase_add_test(tc, bearer_forms);
	tcase_add_test(tc, strerror_covers_codes);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
