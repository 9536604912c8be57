/* Unit tests for lib/core/dbhealth: shared up/down state, logged once per
 * change with a count, never once per failure. */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/dbhealth.h"
#include "core/log.h"

static int saved_fd = -1;
static FILE *capture_file;

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

static int count(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
		n++;
	return n;
}

START_TEST(starts_up_and_never_seen_ok)
{
	struct dbhealth h;

	dbhealth_init(&h);
	ck_assert(dbhealth_is_up(&h));
	ck_assert_int_eq(dbhealth_ok_age_ms(&h), -1);
	dbhealth_ok(&h);
	ck_assert_int_ge(dbhealth_ok_age_ms(&h), 0);
	dbhealth_destroy(&h);
}
END_TEST

START_TEST(one_line_per_change_with_the_count)
{
	struct dbhealth h;
	char *out;

	log_set_level(LOG_DEBUG);
	dbhealth_init(&h);
	capture_start();
	for (int i = 0; i < 20000; i++)
		dbhealth_failed(&h, "connection refused");
	ck_assert(!dbhealth_is_up(&h));
	dbhealth_ok(&h);
	dbhealth_ok(&h);
	dbhealth_failed(&h, "no answer from the database within 1000 ms");
	dbhealth_ok(&h);
	out = capture_end();
	ck_assert(dbhealth_is_up(&h));
	ck_assert_int_eq(count(out, "\n"), 4);
	ck_assert_int_eq(count(out, "event=db_down"), 2);
	ck_assert_int_eq(count(out, "event=db_up"), 2);
	ck_assert_ptr_nonnull(strstr(out, "error=\"connection refused\""));
	ck_assert_ptr_nonnull(strstr(out, "failures=20000 "));
	ck_assert_ptr_nonnull(strstr(out, "failures=1 "));
	free(out);
	dbhealth_destroy(&h);
}
END_TEST

static void *fail_many(void *arg)
{
	for (int i = 0; i < 5000; i++)
		dbhealth_failed(arg, "down");
	return NULL;
}

/* Threads that fail at once still make one db_down line and one count. */
START_TEST(threads_share_one_state)
{
	struct dbhealth h;
	pthread_t t[4];
	char *out;

	dbhealth_init(&h);
	capture_start();
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, fail_many, &h);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	dbhealth_ok(&h);
	out = capture_end();
	ck_assert_int_eq(count(out, "event=db_down"), 1);
	ck_assert_ptr_nonnull(strstr(out, "failures=20000 "));
	free(out);
	dbhealth_destroy(&h);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("dbhealth");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, starts_up_and_never_seen_ok);
	tcase_add_test(tc, one_line_per_change_with_the_count);
	tcase_add_test(tc, threads_share_one_state);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
