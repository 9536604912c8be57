/* Unit tests for cgi/skill: {BASE_URL} substitution, loading, serving. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "handler.h"
#include "skill.h"

START_TEST(render_replaces_every_placeholder)
{
	const char *src = "GET {BASE_URL}/v1/x and {BASE_URL}{BASE_URL";
	size_t len;
	char *out = skill_render(src, strlen(src), "https://felt.example/",
				 "wss://felt.example/v1/ws", &len);

	ck_assert_str_eq(out, "GET https://felt.example/v1/x and "
			      "https://felt.example{BASE_URL");
	ck_assert_uint_eq(len, strlen(out));
	free(out);

	out = skill_render("{BASE_URL}", 10, "", "", &len);
	ck_assert_str_eq(out, "");
	ck_assert_uint_eq(len, 0);
	free(out);

	/* {WS_URL} too; the protocol's runtime variables stay. */
	src = "{WS_URL}?token={session_token} {ws_url} {WS_URL";
	out = skill_render(src, strlen(src), "http://x", "ws://x/v1/ws", &len);
	ck_assert_str_eq(out, "ws://x/v1/ws?token={session_token} {ws_url} "
			      "{WS_URL");
	ck_assert_uint_eq(len, strlen(out));
	free(out);

	out = skill_render("no placeholder", 14, "http://x", "ws://x", &len);
	ck_assert_str_eq(out, "no placeholder");
	free(out);
}
END_TEST

START_TEST(load_and_serve)
{
	char path[] = "/tmp/felt-test-skill-XXXXXX";
	int fd = mkstemp(path);
	const char *text = "# skill\ncurl {BASE_URL}/v1/agents\n{WS_URL}\n";
	struct skill sk;
	struct handler_ctx ctx = { 0 };
	struct request req = { 0 };
	struct response res;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (int)strlen(text));
	close(fd);
	ck_assert_int_eq(skill_load(&sk, path, "http://127.0.0.1:8080"),
			 SKILL_OK);
	unlink(path);
	ck_assert_str_eq(sk.text,
			 "# skill\ncurl http://127.0.0.1:8080/v1/agents\n"
			 "ws://127.0.0.1:8080/v1/ws\n");

	ctx.skill = &sk;
	req.path = "/skill.md";
	response_init(&res);
	ck_assert_int_eq(skill_get(&ctx, &req, &res), 0);
	ck_assert_int_eq(res.status, 200);
	ck_assert_str_eq(res.content_type, "text/markdown; charset=utf-8");
	ck_assert_str_eq(res.body, sk.text);
	response_free(&res);
	skill_free(&sk);
}
END_TEST

START_TEST(missing_file)
{
	struct skill sk;
	struct handler_ctx ctx = { 0 };
	struct request req = { 0 };
	struct response res;

	ck_assert_int_eq(skill_load(&sk, "/nonexistent/felt/skill.md", "x"),
			 SKILL_EREAD);
	ck_assert_ptr_null(sk.text);
	ctx.skill = &sk;
	req.path = "/skill.md";
	response_init(&res);
	skill_get(&ctx, &req, &res);
	ck_assert_int_eq(res.status, 404);
	ck_assert_ptr_nonnull(strstr(res.body, "\"detail\""));
	response_free(&res);
	ck_assert_str_ne(skill_strerror(SKILL_ETOOBIG), "unknown skill error");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("skill");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, render_replaces_every_placeholder);
	tcase_add_test(tc, load_and_serve);
	tcase_add_test(tc, missing_file);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
