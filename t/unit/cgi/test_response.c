/* Unit tests for cgi/response: the two error dialects and CGI output. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgi_testio.h"
#include "response.h"

static struct json_object *body_json(const struct response *res)
{
	return json_tokener_parse(res->body);
}

START_TEST(dialect_by_path)
{
	ck_assert_int_eq(response_dialect_for_path("/v1/tables"),
			 RESPONSE_DIALECT_V1);
	ck_assert_int_eq(response_dialect_for_path("/v1"), RESPONSE_DIALECT_V1);
	ck_assert_int_eq(response_dialect_for_path("/v10/x"),
			 RESPONSE_DIALECT_DETAIL);
	ck_assert_int_eq(response_dialect_for_path("/api/me"),
			 RESPONSE_DIALECT_DETAIL);
	ck_assert_int_eq(response_dialect_for_path("/health"),
			 RESPONSE_DIALECT_DETAIL);
	ck_assert_int_eq(response_dialect_for_path(NULL),
			 RESPONSE_DIALECT_DETAIL);
}
END_TEST

START_TEST(detail_error_shape)
{
	struct response res;
	struct json_object *o, *v;

	response_init(&res);
	ck_assert_int_eq(response_error(&res, "/api/me", 422, "X", "bad name",
					json_object_new_array()),
			 RESPONSE_OK);
	ck_assert_int_eq(res.status, 422);
	ck_assert_str_eq(res.content_type, "application/json");
	o = body_json(&res);
	ck_assert_int_eq(json_object_object_length(o), 1);
	ck_assert(json_object_object_get_ex(o, "detail", &v));
	ck_assert_str_eq(json_object_get_string(v), "bad name");
	json_object_put(o);
	response_free(&res);
}
END_TEST

START_TEST(v1_error_shape)
{
	struct response res;
	struct json_object *o, *e, *v, *details = json_object_new_array();

	json_object_array_add(details, json_object_new_string("name"));
	response_init(&res);
	response_error(&res, "/v1/agents", 400, NULL, "Invalid request body",
		       details);
	o = body_json(&res);
	ck_assert(json_object_object_get_ex(o, "error", &e));
	ck_assert(json_object_object_get_ex(e, "code", &v));
	ck_assert_str_eq(json_object_get_string(v), "VALIDATION_ERROR");
	ck_assert(json_object_object_get_ex(e, "message", &v));
	ck_assert_str_eq(json_object_get_string(v), "Invalid request body");
	ck_assert(json_object_object_get_ex(e, "details", &v));
	ck_assert_int_eq(json_object_array_length(v), 1);
	json_object_put(o);

	response_error(&res, "/v1/x", 404, "TABLE_NOT_FOUND", NULL, NULL);
	o = body_json(&res);
	json_object_object_get_ex(o, "error", &e);
	ck_assert(!json_object_object_get_ex(e, "details", &v));
	json_object_object_get_ex(e, "code", &v);
	ck_assert_str_eq(json_object_get_string(v), "TABLE_NOT_FOUND");
	json_object_object_get_ex(e, "message", &v);
	ck_assert_str_eq(json_object_get_string(v), "Not Found");
	json_object_put(o);
	response_free(&res);
}
END_TEST

START_TEST(default_codes)
{
	ck_assert_str_eq(response_default_code(401), "UNAUTHORIZED");
	ck_assert_str_eq(response_default_code(404), "NOT_FOUND");
	ck_assert_str_eq(response_default_code(405), "METHOD_NOT_ALLOWED");
	ck_assert_str_eq(response_default_code(413), "PAYLOAD_TOO_LARGE");
	ck_assert_str_eq(response_default_code(500), "INTERNAL_ERROR");
	ck_assert_str_eq(response_default_code(418), "BAD_REQUEST");
}
END_TEST

START_TEST(writes_cgi_output)
{
	struct response res;
	struct mem_out out = { 0 };

	response_init(&res);
	response_json(&res, 201, json_object_new_string("a/b"));
	ck_assert_int_eq(response_header(&res, "Allow", "GET, POST"),
			 RESPONSE_OK);
	ck_assert_int_eq(response_write(&res, 0, mem_write, &out), RESPONSE_OK);
	ck_assert_str_eq(out.buf,
			 "Status: 201 Created\r\n"
			 "Content-Type: application/json\r\n"
			 "Content-Length: 5\r\n"
			 "Cache-Control: no-store\r\n"
			 "Allow: GET, POST\r\n"
			 "\r\n"
			 "\"a/b\"");
	free(out.buf);

	/* HEAD: same headers, no body. */
	memset(&out, 0, sizeof(out));
	response_write(&res, 1, mem_write, &out);
	ck_assert_str_eq(mem_out_body(&out), "");
	ck_assert_ptr_nonnull(strstr(out.buf, "Content-Length: 5\r\n"));
	free(out.buf);
	response_free(&res);
}
END_TEST

START_TEST(unanswered_response_becomes_500)
{
	struct response res;
	struct mem_out out = { 0 };

	response_init(&res);
	ck_assert_int_eq(response_write(&res, 0, mem_write, &out), RESPONSE_OK);
	ck_assert_ptr_nonnull(strstr(out.buf, "Status: 500 "));
	ck_assert_str_eq(mem_out_body(&out),
			 "{\"detail\":\"Internal Server Error\"}");
	free(out.buf);
}
END_TEST

START_TEST(header_injection_refused)
{
	struct response res;
	int i;

	response_init(&res);
	ck_assert_int_eq(response_header(&res, "X", "a\r\nSet-Cookie: x"),
			 RESPONSE_EHEADER);
	ck_assert_int_eq(response_header(&res, "X: y", "a"), RESPONSE_EHEADER);
	for (i = 0; i < RESPONSE_MAX_HEADERS; i++)
		ck_assert_int_eq(response_header(&res, "X", "v"), RESPONSE_OK);
	ck_assert_int_eq(response_header(&res, "X", "v"), RESPONSE_EHEADER);
	response_free(&res);
}
END_TEST

START_TEST(write_failure_reported)
{
	struct response res;
	struct mem_out out = { .fail = 1 };

	response_init(&res);
	response_body(&res, 200, "text/plain", "hi", 2);
	ck_assert_int_eq(response_write(&res, 0, mem_write, &out),
			 RESPONSE_EWRITE);
	ck_assert_str_ne(response_strerror(RESPONSE_EWRITE),
			 "unknown response error");
	response_free(&res);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("response");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, dialect_by_path);
	tcase_add_test(tc, detail_error_shape);
	tcase_add_test(tc, v1_error_shape);
	tcase_add_test(tc, default_codes);
	tcase_add_test(tc, writes_cgi_output);
	tcase_add_test(tc, unanswered_response_becomes_500);
	tcase_add_test(tc, header_injection_refused);
	tcase_add_test(tc, write_failure_reported);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
