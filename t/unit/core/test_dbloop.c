/* Unit tests for lib/core/dbloop against a real PostgreSQL (FELT_TEST_DB;
 * skipped when unset), driven by a plain poll() loop (loop_harness.h):
 * pipelined order, errors kept to their query, statements and LISTENs back
 * after a reconnect, notifications, timeouts, exactly-once callbacks. */
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

#include "core/db.h"
#include "core/dbloop.h"
#include "core/log.h"
#include "loop_harness.h"
#include "testdb.h"

static struct testdb tdb;

static const struct db_stmt stmts[] = {
	{"t_echo", "SELECT $1::int", 1},
	{"t_pid", "SELECT pg_backend_pid()", 0},
	{"t_div", "SELECT 1 / $1::int", 1},
	{"t_sleep", "SELECT pg_sleep($1::float8)", 1},
	{"t_notify", "SELECT pg_notify($1, $2)", 2},
	{"t_deferred", "INSERT INTO t_def VALUES ($1::int)", 1},
	{"t_prepared", "SELECT count(*) FROM pg_prepared_statements", 0},
	{"t_len", "SELECT length($1)", 1},
	{"t_late", "SELECT count(*) FROM t_later", 0}, /* its table comes later */
	{NULL, NULL, 0},
};
#define N_PREPARABLE 8 /* all but t_late, until t_later exists */

static const char *const channels[] = {"felt_test", "felt_other", NULL};

static struct loop_conn lc;
static struct loop_conn *conns[1] = {&lc};
static struct dbloop_hooks hooks;

static bool is_up(void *arg)
{
	(void)arg;
	return lc.up;
}

static bool is_down(void *arg)
{
	(void)arg;
	return !lc.up && lc.downs > 0;
}

static bool answered_once(void *arg)
{
	return ((struct loop_answer *)arg)->calls > 0;
}

static void wait_all(struct loop_answer *a, int n)
{
	struct loop_answers w = {a, n};

	loop_run_until(conns, 1, loop_all_answered, &w);
}

static struct dbloop *start_with(const struct db_settings *s, const char *conninfo)
{
	hooks = loop_hooks(&lc);
	lc.db = dbloop_new(conninfo, s, "felt-test", stmts, channels, &hooks);
	ck_assert_ptr_nonnull(lc.db);
	loop_answered = 0;
	dbloop_start(lc.db);
	return lc.db;
}

/* A connected loop with the default settings. */
static struct dbloop *start_up(void)
{
	struct dbloop *db = start_with(NULL, tdb.conninfo);

	loop_run_until(conns, 1, is_up, NULL);
	ck_assert_int_eq(lc.ups, 1);
	return db;
}

static void query(struct dbloop *db, const char *name, const char *p1, struct loop_answer *a)
{
	const char *params[1] = {p1};
	int n = db_stmt_find(stmts, name, NULL)->nparams;

	ck_assert_int_eq(dbloop_query(db, name, n, params, loop_on_answer, a), 0);
}

/* Run one statement and wait for its answer. */
static struct loop_answer ask(struct dbloop *db, const char *name, const char *p1)
{
	struct loop_answer a = {0};

	query(db, name, p1, &a);
	loop_run_until(conns, 1, answered_once, &a);
	ck_assert_int_eq(a.calls, 1);
	return a;
}

static PGconn *other_conn(void)
{
	PGconn *c = db_connect(tdb.conninfo, 1, 0);

	ck_assert_ptr_nonnull(c);
	return c;
}

/* Terminate the backend behind db from another connection. */
static void kill_backend(struct dbloop *db)
{
	struct loop_answer pid = ask(db, "t_pid", NULL);
	const char *p[1] = {pid.value};
	PGconn *c = other_conn();

	ck_assert_int_eq(db_command(c, "SELECT pg_terminate_backend($1::int)", 1, p, NULL), DB_OK);
	db_close(c);
}

START_TEST(pipelined_results_come_back_in_order)
{
	struct dbloop *db = start_up();
	struct loop_answer a[300] = {{0}};
	char v[16];

	for (int i = 0; i < 300; i++) {
		snprintf(v, sizeof v, "%d", i);
		query(db, "t_echo", v, &a[i]);
	}
	ck_assert_int_eq(dbloop_inflight(db), 300);
	wait_all(a, 300);
	for (int i = 0; i < 300; i++) {
		snprintf(v, sizeof v, "%d", i);
		ck_assert_int_eq(a[i].calls, 1);
		ck_assert_int_eq(a[i].order, i + 1);
		ck_assert_int_eq(a[i].code, 0);
		ck_assert_str_eq(a[i].value, v);
	}
	ck_assert_int_eq(dbloop_inflight(db), 0);
	dbloop_free(db);
}
END_TEST

START_TEST(an_error_stays_with_its_query)
{
	struct dbloop *db = start_up();
	struct loop_answer a[5] = {{0}};

	query(db, "t_echo", "1", &a[0]);
	query(db, "t_div", "0", &a[1]);       /* division by zero */
	query(db, "t_deferred", "7", &a[2]);
	query(db, "t_deferred", "7", &a[3]);  /* unique, deferred: fails at commit */
	query(db, "t_echo", "5", &a[4]);
	wait_all(a, 5);
	ck_assert_int_eq(a[0].code, 0);
	ck_assert_str_eq(a[0].value, "1");
	ck_assert_int_eq(a[1].code, DB_ERR_QUERY);
	ck_assert_str_eq(a[1].sqlstate, "22012");
	ck_assert_int_eq(a[2].code, 0);
	ck_assert_int_eq(a[3].code, DB_ERR_UNIQUE);
	ck_assert_str_eq(a[3].sqlstate, "23505");
	ck_assert_int_eq(a[4].code, 0);
	ck_assert_str_eq(a[4].value, "5");
	for (int i = 0; i < 5; i++)
		ck_assert_int_eq(a[i].order, i + 1);
	ck_assert_int_eq(lc.downs, 0);
	dbloop_free(db);
}
END_TEST

START_TEST(bad_calls_are_refused_without_callback)
{
	struct dbloop *db = start_with(NULL, tdb.conninfo);
	const char *p[1] = {"1"};
	struct loop_answer a = {0};

	/* Not up yet: fail fast, no callback, ever. */
	ck_assert_int_eq(dbloop_query(db, "t_echo", 1, p, loop_on_answer, &a), DB_ERR_CONNECT);
	loop_run_until(conns, 1, is_up, NULL);
	ck_assert_int_eq(dbloop_query(db, "no_such", 0, NULL, loop_on_answer, &a), DB_ERR_ARG);
	ck_assert_int_eq(dbloop_query(db, "t_echo", 0, NULL, loop_on_answer, &a), DB_ERR_ARG);
	ck_assert_int_eq(dbloop_query(db, "t_echo", 1, p, NULL, &a), DB_ERR_ARG);
	ck_assert_int_eq(a.calls, 0);
	ck_assert_ptr_null(dbloop_new("host=", NULL, NULL, stmts, NULL, NULL));
	ck_assert_ptr_null(dbloop_new("not a conninfo", NULL, NULL, stmts, NULL, &hooks));
	dbloop_free(db);
	dbloop_free(NULL);
}
END_TEST

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

static bool notes_50(void *arg)
{
	(void)arg;
	return lc.notes >= 50;
}

START_TEST(notifications_arrive_as_events_in_order)
{
	struct dbloop *db = start_up();
	struct loop_answer a[20] = {{0}};
	PGconn *c = other_conn();
	char p[16];

	/* Interleaved with our own queries in flight. */
	for (int i = 0; i < 20; i++)
		query(db, "t_sleep", "0.01", &a[i]);
	for (int i = 0; i < 49; i++) {
		snprintf(p, sizeof p, "n%d", i);
		ck_assert_int_eq(db_notify(c, i % 2 ? "felt_test" : "felt_other", p, NULL), DB_OK);
	}
	ck_assert_int_eq(db_notify(c, "not_listened", "x", NULL), DB_OK);
	db_close(c);
	/* Our own, through the pipeline. */
	{
		const char *own[2] = {"felt_test", "own"};
		struct loop_answer o = {0};

		ck_assert_int_eq(dbloop_query(db, "t_notify", 2, own, loop_on_answer, &o), 0);
		loop_run_until(conns, 1, notes_50, NULL);
		ck_assert_int_eq(o.calls, 1);
	}
	wait_all(a, 20);
	ck_assert_int_eq(lc.notes, 50);
	for (int i = 0; i < 49 && i < LOOP_NOTES; i++) {
		snprintf(p, sizeof p, "n%d", i);
		ck_assert_str_eq(lc.note_payload[i], p);
		ck_assert_str_eq(lc.note_channel[i], i % 2 ? "felt_test" : "felt_other");
	}
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

START_TEST(free_answers_what_is_in_flight)
{
	struct dbloop *db = start_up();
	struct loop_answer a[3] = {{0}};

	for (int i = 0; i < 3; i++)
		query(db, "t_sleep", "1", &a[i]);
	dbloop_free(db);
	for (int i = 0; i < 3; i++) {
		ck_assert_int_eq(a[i].calls, 1);
		ck_assert_int_eq(a[i].code, DB_ERR_CONNECT);
	}
	ck_assert_int_eq(lc.fd, -1);     /* told to stop watching */
	ck_assert_int_eq(lc.downs, 0);   /* no state hook from free */
}
END_TEST

START_TEST(a_statement_whose_table_comes_later_fails_alone)
{
	struct dbloop *db = start_up();
	struct loop_answer a = ask(db, "t_late", NULL);
	PGconn *c;

	ck_assert_int_eq(a.code, DB_ERR_QUERY);
	ck_assert_str_eq(a.sqlstate, "42P01");
	ck_assert_str_eq(ask(db, "t_echo", "2").value, "2");
	c = other_conn();
	ck_assert_int_eq(db_command(c, "CREATE TABLE t_later (x int)", 0, NULL, NULL), DB_OK);
	db_close(c);
	/* Prepared again before this use. */
	a = ask(db, "t_late", NULL);
	ck_assert_int_eq(a.code, 0);
	ck_assert_str_eq(a.value, "0");
	ck_assert_int_eq(lc.downs, 0);
	dbloop_free(db);
	c = other_conn();
	ck_assert_int_eq(db_command(c, "DROP TABLE t_later", 0, NULL, NULL), DB_OK);
	db_close(c);
}
END_TEST

START_TEST(the_statement_timeout_answers_a_slow_query)
{
	struct db_settings s;
	struct dbloop *db;
	struct loop_answer a;

	db_settings_default(&s);
	s.statement_timeout_ms = 200;
	db = start_with(&s, tdb.conninfo);
	loop_run_until(conns, 1, is_up, NULL);
	a = ask(db, "t_sleep", "10");
	ck_assert_int_eq(a.code, DB_ERR_QUERY);
	ck_assert_str_eq(a.sqlstate, "57014"); /* query_canceled */
	ck_assert_str_eq(ask(db, "t_echo", "8").value, "8");
	ck_assert_int_eq(lc.downs, 0);
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

/* A chain: each answer sends the next query from inside its callback. */
struct chain {
	struct dbloop *db;
	int left;
	int answers;
	char last[16];
};

static void on_chain(void *arg, const PGresult *res, const struct db_err *err)
{
	struct chain *ch = arg;
	char v[16];
	const char *p[1] = {v};

	ck_assert_ptr_null(err);
	ch->answers++;
	snprintf(ch->last, sizeof ch->last, "%s", PQgetvalue(res, 0, 0));
	if (ch->left-- > 0) {
		snprintf(v, sizeof v, "%d", ch->answers);
		ck_assert_int_eq(dbloop_query(ch->db, "t_echo", 1, p, on_chain, ch), 0);
	}
}

static bool chain_done(void *arg)
{
	return ((struct chain *)arg)->left < 0;
}

START_TEST(callbacks_may_send_the_next_query)
{
	struct chain ch = {.left = 20};
	const char *p[1] = {"0"};

	ch.db = start_up();
	ck_assert_int_eq(dbloop_query(ch.db, "t_echo", 1, p, on_chain, &ch), 0);
	loop_run_until(conns, 1, chain_done, &ch);
	ck_assert_int_eq(ch.answers, 21);
	ck_assert_str_eq(ch.last, "20");
	dbloop_free(ch.db);
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

START_TEST(a_large_query_is_sent_when_the_socket_is_writable)
{
	struct dbloop *db = start_up();
	size_t big = 8u << 20;
	char *text = malloc(big + 1), want[16];
	struct loop_answer a[3] = {{0}};

	ck_assert_ptr_nonnull(text);
	memset(text, 'x', big);
	text[big] = '\0';
	/* More than the socket buffer takes at once: the rest waits for
	 * writability, and the copy libpq keeps outlives the caller's. */
	for (int i = 0; i < 3; i++)
		query(db, "t_len", text, &a[i]);
	free(text);
	ck_assert(lc.want_write);
	wait_all(a, 3);
	snprintf(want, sizeof want, "%zu", big);
	for (int i = 0; i < 3; i++)
		ck_assert_str_eq(a[i].value, want);
	ck_assert(!lc.want_write);
	dbloop_free(db);
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

START_TEST(too_many_in_flight_is_refused)
{
	struct dbloop *db = start_up();
	static struct loop_answer a[DBLOOP_MAX_INFLIGHT];
	const char *p[1] = {"1"};
	struct loop_answer extra = {0};

	for (int i = 0; i < DBLOOP_MAX_INFLIGHT; i++)
		ck_assert_int_eq(dbloop_query(db, "t_echo", 1, p, loop_on_answer, &a[i]), 0);
	ck_assert_int_eq(dbloop_query(db, "t_echo", 1, p, loop_on_answer, &extra), DB_ERR_BUSY);
	wait_all(a, DBLOOP_MAX_INFLIGHT);
	ck_assert_int_eq(extra.calls, 0);
	ck_assert_int_eq(a[DBLOOP_MAX_INFLIGHT - 1].order, DBLOOP_MAX_INFLIGHT);
	dbloop_free(db);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("dbloop");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	PGconn *c;
	int failed;

	testdb_server();
	log_set_level(LOG_ERROR);
	testdb_create(&tdb, "dbloop");
	c = db_connect(tdb.conninfo, 1, 0);
	if (!c || db_command(c, "CREATE TABLE t_def (a int UNIQUE DEFERRABLE INITIALLY DEFERRED)",
			     0, NULL, NULL) != DB_OK)
		return 99;
	db_close(c);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, pipelined_results_come_back_in_order);
	tcase_add_test(tc, an_error_stays_with_its_query);
	tcase_add_test(tc, bad_calls_are_refused_without_callback);
	tcase_add_test(tc, statements_and_listens_return_after_a_reconnect);
	tcase_add_test(tc, notifications_arrive_as_events_in_order);
	tcase_add_test(tc, queries_in_flight_fail_exactly_once_on_loss);
	tcase_add_test(tc, free_answers_what_is_in_flight);
	tcase_add_test(tc, a_statement_whose_table_comes_later_fails_alone);
	tcase_add_test(tc, the_statement_timeout_answers_a_slow_query);
	tcase_add_test(tc, connect_timeout_bounds_a_silent_server);
	tcase_add_test(tc, a_frozen_server_is_dropped_after_the_grace);
	tcase_add_test(tc, too_many_in_flight_is_refused);
	tcase_add_test(tc, a_socket_swapped_behind_the_same_number_is_reported);
	tcase_add_test(tc, a_large_query_is_sent_when_the_socket_is_writable);
	tcase_add_test(tc, an_outage_is_logged_once_not_per_attempt);
	tcase_add_test(tc, callbacks_may_send_the_next_query);
	tcase_add_test(tc, the_up_hook_may_send_queries);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	testdb_drop(&tdb);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
