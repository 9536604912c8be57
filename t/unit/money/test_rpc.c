/* Unit tests for lib/money/rpc against a scripted local HTTP server
 * (fakerpc.h): answers, JSON-RPC errors, retries of transient failures
 * only, timeouts and the time budget. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "money/rpc.h"
#include "fakerpc.h"

static struct fakerpc srv;
static char url[64];
static const struct rpc_options fast = {
	.connect_timeout_ms = 500, .timeout_ms = 500, .retries = 2, .backoff_ms = 10,
};

#define OK_BODY(result) "{\"jsonrpc\":\"2.0\",\"id\":%ID%,\"result\":" result "}"

static void setup(void)
{
	ck_assert_int_eq(fakerpc_start(&srv), 0);
	fakerpc_url(&srv, url, sizeof url);
}

static void teardown(void)
{
	fakerpc_stop(&srv);
}

static long elapsed_ms(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/* One call of method with no params and retry on; returns the code. */
static int call(struct rpc *r, int retry, struct json_object **res)
{
	return rpc_call(r, "eth_blockNumber", NULL, retry, res);
}

START_TEST(result_is_returned)
{
	const struct fake_reply s[] = { { 200, OK_BODY("\"0x2a\"") "\n", 0 } };
	struct rpc *r = rpc_open(url, &fast);
	struct json_object *res;

	fakerpc_script(&srv, s, 1);
	ck_assert_int_eq(call(r, 1, &res), RPC_OK);
	ck_assert_str_eq(json_object_get_string(res), "0x2a");
	ck_assert_str_eq(srv.methods[0], "eth_blockNumber");
	ck_assert_str_eq(srv.last_params, "[]");
	json_object_put(res);
	/* JSON null is a result too */
	{
		const struct fake_reply n[] = { { 200, OK_BODY("null"), 0 } };

		fakerpc_script(&srv, n, 1);
		ck_assert_int_eq(call(r, 1, &res), RPC_OK);
		ck_assert_ptr_null(res);
	}
	rpc_close(r);
}
END_TEST

START_TEST(rpc_error_is_definite_and_not_retried)
{
	const struct fake_reply s[] = {
		{ 200, "{\"jsonrpc\":\"2.0\",\"id\":%ID%,\"error\":{\"code\":3,"
		       "\"message\":\"execution reverted: balance\"}}", 0 },
		{ 200, OK_BODY("\"0x1\""), 0 },
	};
	struct rpc *r = rpc_open(url, &fast);
	struct json_object *res = (struct json_object *)1;

	fakerpc_script(&srv, s, 2);
	ck_assert_int_eq(call(r, 1, &res), RPC_ERROR);
	ck_assert_ptr_null(res);
	ck_assert_int_eq(rpc_last_code(r), 3);
	ck_assert_str_eq(rpc_last_error(r), "execution reverted: balance");
	ck_assert_uint_eq(fakerpc_requests(&srv), 1);
	rpc_close(r);
}
END_TEST

START_TEST(transient_failures_are_retried)
{
	const struct fake_reply s[] = {
		{ 503, "busy", 0 },
		{ 0, NULL, 0 }, /* hang up */
		{ 200, OK_BODY("\"0x7\""), 0 },
	};
	struct rpc *r = rpc_open(url, &fast);
	struct json_object *res;

	fakerpc_script(&srv, s, 3);
	ck_assert_int_eq(call(r, 1, &res), RPC_OK);
	ck_assert_str_eq(json_object_get_string(res), "0x7");
	ck_assert_uint_eq(fakerpc_requests(&srv), 3);
	json_object_put(res);
	/* without retry the first 503 is the answer */
	fakerpc_script(&srv, s, 3);
	ck_assert_int_eq(call(r, 0, &res), RPC_EUNAVAILABLE);
	ck_assert_uint_eq(fakerpc_requests(&srv), 1);
	/* limit exceeded (-32005) counts as transient */
	{
		const struct fake_reply l[] = {
			{ 200, "{\"jsonrpc\":\"2.0\",\"id\":%ID%,\"error\":{\"code\":-32005,"
			       "\"message\":\"rate limited\"}}", 0 },
			{ 200, OK_BODY("\"0x8\""), 0 },
		};

		fakerpc_script(&srv, l, 2);
		ck_assert_int_eq(call(r, 1, &res), RPC_OK);
		json_object_put(res);
	}
	rpc_close(r);
}
END_TEST

START_TEST(retries_are_bounded)
{
	const struct fake_reply s[] = {
		{ 502, "", 0 }, { 502, "", 0 }, { 502, "", 0 }, { 502, "", 0 }, { 502, "", 0 },
	};
	struct rpc *r = rpc_open(url, &fast);
	struct json_object *res;

	fakerpc_script(&srv, s, 5);
	ck_assert_int_eq(call(r, 1, &res), RPC_EUNAVAILABLE);
	ck_assert_uint_eq(fakerpc_requests(&srv), 3); /* 1 + FELT retries 2 */
	ck_assert_ptr_nonnull(strstr(rpc_last_error(r), "502"));
	rpc_close(r);
}
END_TEST

START_TEST(malformed_answers_are_protocol_errors)
{
	static const char *const bodies[] = {
		"not json",
		"{\"jsonrpc\":\"2.0\",\"id\":%ID%}",                          /* neither */
		"{\"jsonrpc\":\"2.0\",\"id\":%ID%,\"result\":1,\"error\":{}}", /* both */
		"{\"jsonrpc\":\"1.0\",\"id\":%ID%,\"result\":1}",
		"{\"jsonrpc\":\"2.0\",\"id\":999999,\"result\":1}",            /* wrong id */
		"[{\"jsonrpc\":\"2.0\",\"id\":%ID%,\"result\":1}]",
		"{\"jsonrpc\":\"2.0\",\"id\":%ID%,\"result\":1} junk",
	};
	struct rpc *r = rpc_open(url, &fast);
	struct json_object *res;

	for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
		struct fake_reply s[] = { { 200, bodies[i], 0 }, { 200, bodies[i], 0 } };

		fakerpc_script(&srv, s, 2);
		ck_assert_msg(call(r, 1, &res) == RPC_EPROTOCOL, "body %zu", i);
		ck_assert_ptr_null(res);
		ck_assert_uint_eq(fakerpc_requests(&srv), 1); /* not retried */
	}
	rpc_close(r);
}
END_TEST

START_TEST(http_errors)
{
	const struct fake_reply s[] = { { 401, "unauthorized", 0 }, { 401, "x", 0 } };
	const struct fake_reply j[] = {
		{ 400, "{\"jsonrpc\":\"2.0\",\"id\":%ID%,\"error\":{\"code\":-32602,"
		       "\"message\":\"invalid params\"}}", 0 },
	};
	struct rpc *r = rpc_open(url, &fast);
	struct json_object *res;

	fakerpc_script(&srv, s, 2);
	ck_assert_int_eq(call(r, 1, &res), RPC_EHTTP);
	ck_assert_uint_eq(fakerpc_requests(&srv), 1);
	/* a JSON-RPC error with an HTTP error status is the JSON-RPC error */
	fakerpc_script(&srv, j, 1);
	ck_assert_int_eq(call(r, 1, &res), RPC_ERROR);
	ck_assert_int_eq(rpc_last_code(r), -32602);
	rpc_close(r);
}
END_TEST

START_TEST(timeouts_and_budget_bound_the_wait)
{
	const struct fake_reply slow[] = {
		{ 200, OK_BODY("1"), 5000 }, { 200, OK_BODY("1"), 5000 }, { 200, OK_BODY("1"), 5000 },
	};
	struct rpc_options o = fast;
	struct rpc *r;
	struct json_object *res;
	struct timespec t0;

	o.timeout_ms = 100;
	o.retries = 1;
	r = rpc_open(url, &o);
	fakerpc_script(&srv, slow, 3);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_int_eq(call(r, 1, &res), RPC_EUNAVAILABLE);
	ck_assert_int_lt(elapsed_ms(&t0), 4000); /* two 100 ms attempts, not 5 s */
	ck_assert_ptr_nonnull(strstr(rpc_last_error(r), "unreachable"));
	rpc_close(r);

	/* A budget cuts one long attempt short and stops further calls. */
	o.timeout_ms = 5000;
	r = rpc_open(url, &o);
	fakerpc_script(&srv, slow, 3);
	rpc_set_budget(r, 150);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_int_eq(call(r, 1, &res), RPC_EUNAVAILABLE);
	ck_assert_int_eq(call(r, 1, &res), RPC_EUNAVAILABLE);
	ck_assert_int_lt(elapsed_ms(&t0), 4000);
	ck_assert_ptr_nonnull(strstr(rpc_last_error(r), "budget"));
	rpc_set_budget(r, 0);
	rpc_close(r);
}
END_TEST

START_TEST(unreachable_node)
{
	char dead[64];
	struct rpc *r;
	struct json_object *res;

	snprintf(dead, sizeof dead, "http://127.0.0.1:%d/", fakerpc_dead_port());
	r = rpc_open(dead, &fast);
	ck_assert_int_eq(call(r, 1, &res), RPC_EUNAVAILABLE);
	ck_assert_ptr_nonnull(strstr(rpc_last_error(r), "unreachable"));
	rpc_close(r);
}
END_TEST

START_TEST(bad_arguments)
{
	struct rpc *r = rpc_open(url, &fast);
	struct json_object *res;

	ck_assert_ptr_null(rpc_open("", &fast));
	ck_assert_ptr_null(rpc_open(NULL, &fast));
	ck_assert_int_eq(rpc_call(r, "", NULL, 1, &res), RPC_EARG);
	ck_assert_int_eq(rpc_call(NULL, "x", NULL, 1, &res), RPC_EARG);
	ck_assert_str_eq(rpc_strerror(RPC_EUNAVAILABLE), "node unavailable");
	rpc_close(r);
	rpc_close(NULL);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("rpc");
	TCase *tc = tcase_create("rpc");
	SRunner *sr;
	int failed;

	rpc_global_init();
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, result_is_returned);
	tcase_add_test(tc, rpc_error_is_definite_and_not_retried);
	tcase_add_test(tc, transient_failures_are_retried);
	tcase_add_test(tc, retries_are_bounded);
	tcase_add_test(tc, malformed_answers_are_protocol_errors);
	tcase_add_test(tc, http_errors);
	tcase_add_test(tc, timeouts_and_budget_bound_the_wait);
	tcase_add_test(tc, unreachable_node);
	tcase_add_test(tc, bad_arguments);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
