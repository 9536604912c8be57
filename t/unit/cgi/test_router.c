/* Unit tests for cgi/router: patterns, parameters, 404 and 405. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handler.h"
#include "router.h"

static int h_list(struct handler_ctx *c, struct request *q, struct response *r)
{
	return response_body(r, 200, "text/plain", "list", 4);
}

static int h_one(struct handler_ctx *c, struct request *q, struct response *r)
{
	const char *id = request_param(q, "id");

	return response_body(r, 200, "text/plain", id, strlen(id));
}

static int h_join(struct handler_ctx *c, struct request *q, struct response *r)
{
	return response_body(r, 200, "text/plain", "join", 4);
}

static int h_auto(struct handler_ctx *c, struct request *q, struct response *r)
{
	return response_body(r, 200, "text/plain", "auto", 4);
}

static int h_fail(struct handler_ctx *c, struct request *q, struct response *r)
{
	return -1;
}

static int h_silent(struct handler_ctx *c, struct request *q,
		    struct response *r)
{
	return 0;
}

static const struct route routes[] = {
	{ "GET", "/v1/tables", h_list },
	{ "POST", "/v1/tables/auto-join", h_auto },
	{ "GET", "/v1/tables/{id}", h_one },
	{ "POST", "/v1/tables/{id}/join", h_join },
	{ "DELETE", "/v1/tables/{id}", h_one },
	{ "GET", "/api/fail", h_fail },
	{ "GET", "/api/silent", h_silent },
	{ "GET", "/api/t/{a}/{b}", h_one },
};
#define N (sizeof(routes) / sizeof(routes[0]))

static void mkreq(struct request *req, const char *method, const char *path)
{
	memset(req, 0, sizeof(*req));
	snprintf(req->method, sizeof(req->method), "%s", method);
	req->path = strdup(path);
}

static struct json_object *run(const char *method, const char *path,
			       struct response *res, int *rc)
{
	struct request req;

	mkreq(&req, method, path);
	response_init(res);
	*rc = router_dispatch(routes, N, NULL, &req, res);
	request_free(&req);
	return json_tokener_parse(res->body);
}

START_TEST(literal_and_param_routes)
{
	struct request req;
	const struct route *r;
	char allow[64];

	mkreq(&req, "GET", "/v1/tables");
	ck_assert_int_eq(router_match(routes, N, &req, &r, allow, sizeof(allow)),
			 ROUTER_MATCH);
	ck_assert_ptr_eq(r->handler, h_list);
	request_free(&req);

	mkreq(&req, "GET", "/v1/tables/t%2Dabc%2F1");
	ck_assert_int_eq(router_match(routes, N, &req, &r, allow, sizeof(allow)),
			 ROUTER_MATCH);
	ck_assert_ptr_eq(r->handler, h_one);
	ck_assert_str_eq(request_param(&req, "id"), "t-abc/1");
	ck_assert_ptr_null(request_param(&req, "nope"));
	request_free(&req);

	mkreq(&req, "POST", "/v1/tables/42/join");
	ck_assert_int_eq(router_match(routes, N, &req, &r, allow, sizeof(allow)),
			 ROUTER_MATCH);
	ck_assert_ptr_eq(r->handler, h_join);
	ck_assert_str_eq(request_param(&req, "id"), "42");
	request_free(&req);

	/* The literal is listed first, so it wins over {id}. */
	mkreq(&req, "POST", "/v1/tables/auto-join");
	ck_assert_int_eq(router_match(routes, N, &req, &r, allow, sizeof(allow)),
			 ROUTER_MATCH);
	ck_assert_ptr_eq(r->handler, h_auto);
	request_free(&req);

	mkreq(&req, "GET", "/api/t/x/y");
	ck_assert_int_eq(router_match(routes, N, &req, &r, allow, sizeof(allow)),
			 ROUTER_MATCH);
	ck_assert_str_eq(request_param(&req, "a"), "x");
	ck_assert_str_eq(request_param(&req, "b"), "y");
	request_free(&req);
}
END_TEST

START_TEST(near_misses_do_not_match)
{
	static const char *const paths[] = {
		"/v1/tables/", "/v1/tables//join", "/v1/tablesx", "/v1",
		"/v1/tables/1/join/extra", "/", "/v1/tables/%zz",
		"/api/t/x", "/api/t/x/y/",
	};
	size_t i;

	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		struct request req;
		const struct route *r;
		char allow[64];
		int rc;

		mkreq(&req, "GET", paths[i]);
		rc = router_match(routes, N, &req, &r, allow, sizeof(allow));
		ck_assert_msg(rc == ROUTER_NOT_FOUND, "%s matched", paths[i]);
		ck_assert_uint_eq(req.n_params, 0);
		request_free(&req);
	}
}
END_TEST

START_TEST(method_not_allowed_lists_methods)
{
	struct request req;
	const struct route *r;
	char allow[64];

	mkreq(&req, "PUT", "/v1/tables/7");
	ck_assert_int_eq(router_match(routes, N, &req, &r, allow, sizeof(allow)),
			 ROUTER_METHOD_NOT_ALLOWED);
	ck_assert_str_eq(allow, "GET, DELETE");
	ck_assert_ptr_null(r);
	request_free(&req);

	/* HEAD is served by a GET route. */
	mkreq(&req, "HEAD", "/v1/tables");
	ck_assert_int_eq(router_match(routes, N, &req, &r, allow, sizeof(allow)),
			 ROUTER_MATCH);
	request_free(&req);
}
END_TEST

START_TEST(dispatch_answers_in_dialect)
{
	struct response res;
	struct json_object *o, *e, *v;
	int rc;

	o = run("GET", "/v1/nope", &res, &rc);
	ck_assert_int_eq(rc, ROUTER_NOT_FOUND);
	ck_assert_int_eq(res.status, 404);
	ck_assert(json_object_object_get_ex(o, "error", &e));
	json_object_object_get_ex(e, "code", &v);
	ck_assert_str_eq(json_object_get_string(v), "NOT_FOUND");
	json_object_put(o);
	response_free(&res);

	o = run("GET", "/api/nope", &res, &rc);
	ck_assert_int_eq(res.status, 404);
	ck_assert(json_object_object_get_ex(o, "detail", &v));
	json_object_put(o);
	response_free(&res);

	o = run("PATCH", "/v1/tables", &res, &rc);
	ck_assert_int_eq(rc, ROUTER_METHOD_NOT_ALLOWED);
	ck_assert_int_eq(res.status, 405);
	ck_assert_uint_eq(res.n_headers, 1);
	ck_assert_str_eq(res.headers[0], "Allow: GET");
	ck_assert(json_object_object_get_ex(o, "error", &e));
	json_object_object_get_ex(e, "code", &v);
	ck_assert_str_eq(json_object_get_string(v), "METHOD_NOT_ALLOWED");
	json_object_put(o);
	response_free(&res);
}
END_TEST

START_TEST(failing_handlers_get_500)
{
	struct response res;
	struct json_object *o, *v;
	int rc;

	o = run("GET", "/api/fail", &res, &rc);
	ck_assert_int_eq(rc, ROUTER_MATCH);
	ck_assert_int_eq(res.status, 500);
	ck_assert(json_object_object_get_ex(o, "detail", &v));
	json_object_put(o);
	response_free(&res);

	o = run("GET", "/api/silent", &res, &rc);
	ck_assert_int_eq(res.status, 500);
	json_object_put(o);
	response_free(&res);
}
END_TEST

START_TEST(felt_route_table_is_sane)
{
	size_t i, j;

	ck_assert_uint_gt(routes_count, 3);
	for (i = 0; i < routes_count; i++) {
		ck_assert_ptr_nonnull(routes_table[i].handler);
		ck_assert_msg(routes_table[i].pattern[0] == '/', "%s",
			      routes_table[i].pattern);
		for (j = i + 1; j < routes_count; j++)
			ck_assert_msg(strcmp(routes_table[i].method,
					     routes_table[j].method) ||
				      strcmp(routes_table[i].pattern,
					     routes_table[j].pattern),
				      "duplicate route %s %s",
				      routes_table[i].method,
				      routes_table[i].pattern);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("router");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, literal_and_param_routes);
	tcase_add_test(tc, near_misses_do_not_match);
	tcase_add_test(tc, method_not_allowed_lists_methods);
	tcase_add_test(tc, dispatch_answers_in_dialect);
	tcase_add_test(tc, failing_handlers_get_500);
	tcase_add_test(tc, felt_route_table_is_sane);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
