/*
 * Unit tests for cgi/serve: whole requests through felt-api's real route
 * table with memory I/O — status lines, dialects, body limits, bad input.
 * None of these touch the database.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgi_testio.h"
#include "handler.h"
#include "serve.h"

static struct apiconf cfg = { .max_body = 1024, .threads = 1,
			      .heartbeat_stale_s = 15 };
static struct api_state state;
static struct apidb db;
static struct handler_ctx ctx = { .cfg = &cfg, .state = &state, .db = &db };

struct result {
	int rc;
	struct mem_out out;
	struct json_object *json;
	struct mem_in in;
};

static void serve(struct result *r, const char *method, const char *uri,
		  const char *body, const char *length)
{
	char m[32], u[256], l[64];
	char *env[] = { m, u, l, NULL };

	snprintf(m, sizeof(m), "REQUEST_METHOD=%s", method);
	snprintf(u, sizeof(u), "REQUEST_URI=%s", uri);
	snprintf(l, sizeof(l), "CONTENT_LENGTH=%s", length ? length : "");
	memset(r, 0, sizeof(*r));
	r->in.data = body ? body : "";
	r->in.len = strlen(r->in.data);
	r->rc = serve_request(routes_table, routes_count, &ctx, env, mem_read,
			      &r->in, mem_write, &r->out);
	r->json = mem_out_body(&r->out)
			  ? json_tokener_parse(mem_out_body(&r->out))
			  : NULL;
}

static void done(struct result *r)
{
	json_object_put(r->json);
	free(r->out.buf);
}

static const char *detail(const struct result *r)
{
	struct json_object *v;

	if (!json_object_object_get_ex(r->json, "detail", &v))
		return NULL;
	return json_object_get_string(v);
}

static const char *v1_code(const struct result *r)
{
	struct json_object *e, *v;

	if (!json_object_object_get_ex(r->json, "error", &e) ||
	    !json_object_object_get_ex(e, "code", &v))
		return NULL;
	return json_object_get_string(v);
}

START_TEST(live_is_ok_without_database)
{
	struct result r;
	struct json_object *v;

	serve(&r, "GET", "/health/live", NULL, NULL);
	ck_assert_int_eq(r.rc, 200);
	ck_assert_ptr_nonnull(strstr(r.out.buf, "Status: 200 OK\r\n"));
	ck_assert_ptr_nonnull(strstr(r.out.buf,
				     "Content-Type: application/json\r\n"));
	ck_assert(json_object_object_get_ex(r.json, "status", &v));
	ck_assert_str_eq(json_object_get_string(v), "ok");
	ck_assert_ptr_null(db.conn); /* the database was not touched */
	done(&r);
}
END_TEST

START_TEST(unknown_routes_are_json_404_in_dialect)
{
	struct result r;

	serve(&r, "GET", "/api/nope", NULL, NULL);
	ck_assert_int_eq(r.rc, 404);
	ck_assert_ptr_nonnull(detail(&r));
	done(&r);

	serve(&r, "GET", "/v1/nope?x=1", NULL, NULL);
	ck_assert_int_eq(r.rc, 404);
	ck_assert_str_eq(v1_code(&r), "NOT_FOUND");
	done(&r);

	serve(&r, "GET", "/elsewhere", NULL, NULL);
	ck_assert_int_eq(r.rc, 404);
	ck_assert_ptr_nonnull(detail(&r));
	done(&r);
}
END_TEST

START_TEST(wrong_method_is_405)
{
	struct result r;

	serve(&r, "POST", "/health/live", "{}", "2");
	ck_assert_int_eq(r.rc, 405);
	ck_assert_ptr_nonnull(strstr(r.out.buf, "Allow: GET\r\n"));
	ck_assert_ptr_nonnull(detail(&r));
	done(&r);
}
END_TEST

START_TEST(oversized_body_is_413_and_drained)
{
	static char big[5000];
	struct result r;

	memset(big, 'x', sizeof(big) - 1);
	serve(&r, "POST", "/v1/agents", big, "4999");
	ck_assert_int_eq(r.rc, 413);
	ck_assert_str_eq(v1_code(&r), "PAYLOAD_TOO_LARGE");
	ck_assert_uint_eq(r.in.pos, r.in.len);
	done(&r);

	/* Without Content-Length the limit still holds. */
	serve(&r, "POST", "/api/register", big, NULL);
	ck_assert_int_eq(r.rc, 413);
	ck_assert_ptr_nonnull(detail(&r));
	done(&r);
}
END_TEST

START_TEST(bad_requests_are_4xx_json)
{
	struct result r;

	serve(&r, "GET", "/v1/tables?status=%zz", NULL, NULL);
	ck_assert_int_eq(r.rc, 400);
	ck_assert_str_eq(v1_code(&r), "BAD_REQUEST");
	done(&r);

	serve(&r, "get", "/api/me", NULL, NULL);
	ck_assert_int_eq(r.rc, 400);
	ck_assert_ptr_nonnull(detail(&r));
	done(&r);

	serve(&r, "POST", "/api/x", "ab", "10");
	ck_assert_int_eq(r.rc, 400);
	done(&r);

	serve(&r, "POST", "/api/x", NULL, "-1");
	ck_assert_int_eq(r.rc, 400);
	done(&r);
}
END_TEST

START_TEST(head_has_no_body)
{
	struct result r;

	serve(&r, "HEAD", "/health/live", NULL, NULL);
	ck_assert_int_eq(r.rc, 200);
	ck_assert_str_eq(mem_out_body(&r.out), "");
	done(&r);
}
END_TEST

START_TEST(requests_are_counted)
{
	struct result r;
	uint_fast64_t before = atomic_load(&state.requests);

	serve(&r, "GET", "/health/live", NULL, NULL);
	done(&r);
	serve(&r, "GET", "/nope", NULL, NULL);
	done(&r);
	ck_assert_uint_eq(atomic_load(&state.requests), before + 2);
}
END_TEST

START_TEST(client_gone_is_reported)
{
	char *env[] = { "REQUEST_METHOD=GET", "REQUEST_URI=/health/live", NULL };
	struct mem_in in = { .data = "" };
	struct mem_out out = { .fail = 1 };

	ck_assert_int_lt(serve_request(routes_table, routes_count, &ctx, env,
				       mem_read, &in, mem_write, &out), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("serve");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	apidb_init(&db, "");
	tcase_add_test(tc, live_is_ok_without_database);
	tcase_add_test(tc, unknown_routes_are_json_404_in_dialect);
	tcase_add_test(tc, wrong_method_is_405);
	tcase_add_test(tc, oversized_body_is_413_and_drained);
	tcase_add_test(tc, bad_requests_are_4xx_json);
	tcase_add_test(tc, head_has_no_body);
	tcase_add_test(tc, requests_are_counted);
	tcase_add_test(tc, client_gone_is_reported);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
