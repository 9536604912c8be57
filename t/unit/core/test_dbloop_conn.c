/* Unit tests for the life of a lib/core/dbloop connection against a real
 * PostgreSQL (FELT_TEST_DB; skipped when unset), driven by a plain poll()
 * loop: reconnect with statements and LISTENs back, in-flight queries
 * failed exactly once, connect timeout, frozen server, outage logging,
 * sockets swapped while connecting. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dbloop_fixture.h"


static bool has_note(void *arg)
{
	(void)arg;
	return lc.notes > 0;
}

START_TEST(statements_and_listens_return_after_a_reconnect)
{
	struct dbloop *db = start_up();
	struct loop_answer a;
	char want[8];
	PGconn *c;

	snprintf(want, sizeof want, "%d", N_PREPARABLE);
	a = ask(db, "t_prepared", NULL);
	ck_assert_str_eq(a.value, want);
	kill_backend(db);
	loop_run_until(conns, 1, is_down, NULL);
	ck_assert_int_eq(dbloop_query(db, "t_echo", 1, (const char *[]){"1"}, loop_on_answer, &a),
			 DB_ERR_CONNECT);
	loop_run_until(conns, 1, is_up, NULL);
	ck_assert_int_eq(lc.ups, 2);
	ck_assert_int_eq(lc.downs, 1);
	/* Prepared by the setup of the new session, before it was up. */
	a = ask(db, "t_prepared", NULL);
	ck_assert_int_eq(a.code, 0);
	ck_assert_str_eq(a.value, want);
	a = ask(db, "t_echo", "42");
	ck_assert_str_eq(a.value, "42");
	/* And listening again. */
	c = other_conn();
	ck_assert_int_eq(db_notify(c, "felt_other", "after", NULL), DB_OK);
	db_close(c);
	loop_run_until(conns, 1, has_note, NULL);
	ck_assert_str_eq(lc.note_channel[0], "felt_other");
	ck_assert_str_eq(lc.note_payload[0], "after");
	dbloop_free(db);
}
END_TEST

START_TEST(queries_in_flight_fail_exactly_once_on_loss)
{
	struct dbloop *db = start_up();
	struct loop_answer a[5] = {{0}};
	struct loop_answer pid = ask(db, "t_pid", NULL);
	const char *p[1] = {pid.value};
	PGconn *c = other_conn();

	for (int i = 0; i < 5; i++)
		query(db, "t_sleep", "3", &a[i]);
	/* Flush them out, then kill the backend running the first. */
	loop_once(conns, 1, 0);
	ck_assert_int_eq(db_command(c, "SELECT pg_terminate_backend($1::int)", 1, p, NULL), DB_OK);
	db_close(c);
	loop_run_until(conns, 1, is_down, NULL);
	for (int i = 0; i < 5; i++) {
		ck_assert_int_eq(a[i].calls, 1);
		ck_assert_int_eq(a[i].code, DB_ERR_CONNECT);
	}
	ck_assert_int_eq(dbloop_inflight(db), 0);
	loop_run_until(conns, 1, is_up, NULL);
	ck_assert_str_eq(ask(db, "t_echo", "3").value, "3");
	for (int i = 0; i < 5; i++)
		ck_assert_int_eq(a[i].calls, 1);
	dbloop_free(db);
}
END_TEST

static bool attempt_dropped(void *arg)
{
	(void)arg;
	return lc.watch_calls >= 2 && lc.fd == -1;
}

START_TEST(connect_timeout_bounds_a_silent_server)
{
	/* A socket that listens and never answers: the TCP handshake
	 * completes in the kernel, the startup packet gets no reply. */
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof sa;
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct db_settings s;
	char conninfo[128];
	struct dbloop *db;
	int64_t ms;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	ck_assert_int_eq(listen(fd, 8), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	snprintf(conninfo, sizeof conninfo,
		 "hostaddr=127.0.0.1 port=%d user=nobody dbname=nothing sslmode=disable",
		 ntohs(sa.sin_port));
	db_settings_default(&s);
	s.connect_timeout_s = 2;
	db = start_with(&s, conninfo);
	ck_assert_int_ge(lc.fd, 0);
	ms = loop_run_until(conns, 1, attempt_dropped, NULL);
	/* Dropped by the timeout (not refused at once), well before the
	 * harness's own limit. */
	ck_assert_int_ge(ms, 1500);
	ck_assert_int_eq(lc.ups, 0);
	ck_assert_int_eq(lc.downs, 0);
	ck_assert(!dbloop_is_up(db));
	ck_assert_int_ge(lc.timer_at, 0); /* a retry is scheduled */
	dbloop_free(db);
	close(fd);
}
END_TEST

START_TEST(a_frozen_server_is_dropped_after_the_grace)
{
	struct db_settings s;
	struct dbloop *db;
	struct loop_answer pid, a = {0};
	pid_t backend;

	db_settings_default(&s);
	s.statement_timeout_ms = 200;
	db = start_with(&s, tdb.conninfo);
	loop_run_until(conns, 1, is_up, NULL);
	pid = ask(db, "t_pid", NULL);
	backend = (pid_t)atoi(pid.value);
	/* Only when the server runs here and we may stop it (root). */
	if (kill(backend, SIGSTOP) != 0) {
		fprintf(stderr, "cannot SIGSTOP the backend (%s): case skipped\n", strerror(errno));
		dbloop_free(db);
		return;
	}
	query(db, "t_echo", "1", &a);
	loop_run_until(conns, 1, answered_once, &a);
	kill(backend, SIGCONT);
	ck_assert_int_eq(a.code, DB_ERR_CONNECT);
	ck_assert_int_eq(lc.downs, 1);
	loop_run_until(conns, 1, is_up, NULL);
	ck_assert_str_eq(ask(db, "t_echo", "9").value, "9");
	dbloop_free(db);
}
END_TEST

/* A state hook that catches up on every up (as felt-wsd re-reads its
 * tables after a reconnect): a query sent from inside it. */
static struct loop_answer catch_up[3];

static void state_then_query(void *ctx, bool up)
{
	loop_state(ctx, up);
	if (up)
		ck_assert_int_eq(dbloop_query(lc.db, "t_pid", 0, NULL, loop_on_answer,
					      &catch_up[lc.ups - 1]), 0);
}

static bool caught_up_twice(void *arg)
{
	(void)arg;
	return catch_up[1].calls == 1;
}

START_TEST(the_up_hook_may_send_queries)
{
	struct dbloop *db;
	PGconn *c;
	const char *p[1];

	hooks = loop_hooks(&lc);
	hooks.state = state_then_query;
	db = lc.db = dbloop_new(tdb.conninfo, NULL, "felt-test", stmts, channels, &hooks);
	ck_assert_ptr_nonnull(db);
	dbloop_start(db);
	loop_run_until(conns, 1, answered_once, &catch_up[0]);
	ck_assert_int_eq(catch_up[0].code, 0);
	c = other_conn();
	p[0] = catch_up[0].value;
	ck_assert_int_eq(db_command(c, "SELECT pg_terminate_backend($1::int)", 1, p, NULL), DB_OK);
	db_close(c);
	loop_run_until(conns, 1, caught_up_twice, NULL);
	ck_assert_int_eq(catch_up[1].code, 0);
	ck_assert_str_ne(catch_up[1].value, catch_up[0].value); /* a new backend */
	dbloop_free(db);
}
END_TEST

/* Lines of the log file (stderr redirected) that contain word. */
static int log_count(const char *path, const char *word)
{
	FILE *f = fopen(path, "r");
	char line[1024];
	int n = 0;

	while (f && fgets(line, sizeof line, f))
		n += strstr(line, word) != NULL;
	if (f)
		fclose(f);
	return n;
}

static char log_path[64];

static bool four_attempts(void *arg)
{
	(void)arg;
	return log_count(log_path, "event=db_connect_failed") >= 4;
}

START_TEST(an_outage_is_logged_once_not_per_attempt)
{
	int fd, saved = dup(2);
	struct dbloop *db;

	snprintf(log_path, sizeof log_path, "/tmp/felt-test-dbloop-%ld.log", (long)getpid());
	fd = open(log_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	dup2(fd, 2);
	log_set_level(LOG_DEBUG);
	db = start_with(NULL, "host=/nonexistent/felt port=1 dbname=x");
	loop_run_until(conns, 1, four_attempts, NULL);
	log_set_level(LOG_ERROR);
	dup2(saved, 2);
	ck_assert_int_eq(log_count(log_path, "level=warn event=db_connect_failed attempt=1 "), 1);
	ck_assert_int_eq(log_count(log_path, "level=warn"), 1);
	ck_assert_int_ge(log_count(log_path, "level=debug event=db_connect_failed"), 3);
	/* The backoff doubles: attempts are not a busy loop. */
	ck_assert_int_eq(log_count(log_path, "retry_ms=100 "), 1);
	ck_assert_int_eq(log_count(log_path, "retry_ms=200 "), 1);
	ck_assert_int_eq(log_count(log_path, "retry_ms=400 "), 1);
	ck_assert_int_eq(lc.ups + lc.downs, 0);
	dbloop_free(db);
	close(fd);
	unlink(log_path);
}
END_TEST

/* tdb.conninfo with a refused TCP address tried first. */
static char *conninfo_refused_first(void)
{
	PQconninfoOption *o = PQconninfoParse(tdb.conninfo, NULL), *k;
	const char *host = "/var/run/postgresql", *port = "5432";
	char *out = calloc(1, 2048);
	size_t n = 0;

	ck_assert_ptr_nonnull(o);
	for (k = o; k->keyword; k++) {
		if (!k->val)
			continue;
		if (strcmp(k->keyword, "host") == 0)
			host = k->val;
		else if (strcmp(k->keyword, "port") == 0)
			port = k->val;
		else
			n += (size_t)snprintf(out + n, 2048 - n, "%s='%s' ", k->keyword, k->val);
	}
	snprintf(out + n, 2048 - n, "host='127.0.0.1,%s' port='1,%s'", host, port);
	PQconninfoFree(o);
	return out;
}

START_TEST(a_socket_swapped_behind_the_same_number_is_reported)
{
	char *conninfo = conninfo_refused_first();
	struct dbloop *db = start_with(NULL, conninfo);

	free(conninfo);
	/* The harness asserts on every round that the socket it watches is
	 * still the one it was told of. */
	loop_run_until(conns, 1, is_up, NULL);
	ck_assert_int_ge(lc.watch_calls, 2);
	ck_assert_str_eq(ask(db, "t_echo", "4").value, "4");
	dbloop_free(db);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("dbloop_conn");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, statements_and_listens_return_after_a_reconnect);
	tcase_add_test(tc, queries_in_flight_fail_exactly_once_on_loss);
	tcase_add_test(tc, connect_timeout_bounds_a_silent_server);
	tcase_add_test(tc, a_frozen_server_is_dropped_after_the_grace);
	tcase_add_test(tc, the_up_hook_may_send_queries);
	tcase_add_test(tc, an_outage_is_logged_once_not_per_attempt);
	tcase_add_test(tc, a_socket_swapped_behind_the_same_number_is_reported);
	suite_add_tcase(s, tc);
	return dbloop_fixture_main(s);
}
