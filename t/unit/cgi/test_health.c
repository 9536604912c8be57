/*
 * Unit tests for cgi/health. The unreachable-database and draining cases
 * need nothing and always run; the rest run in a private, freshly migrated
 * schema of FELT_TEST_DB (t/unit/core/testdb_suite.h). Without FELT_TEST_DB the
 * program exits 77 (skipped) once the database-free cases have passed, so
 * the summary does not count the health probes as tested against
 * PostgreSQL when they were not.
 */
#include <check.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/db.h"
#include "core/dbhealth.h"
#include "handler.h"
#include "health.h"
#include "core/log.h"
#include "../core/testdb_suite.h"

static struct apiconf cfg = { .heartbeat_stale_s = 15, .ready_timeout_ms = 1000 };
static struct api_state state;
static struct apidb db;
static struct handler_ctx ctx = { .cfg = &cfg, .state = &state, .db = &db };
static struct testdb tdb;

static struct json_object *call(router_handler_fn fn, const char *path,
				int *status)
{
	struct request req = { 0 };
	struct response res;
	struct json_object *o;

	req.path = (char *)path;
	response_init(&res);
	fn(&ctx, &req, &res);
	*status = res.status;
	o = json_tokener_parse(res.body);
	response_free(&res);
	return o;
}

static const char *str_at(struct json_object *o, const char *a,
			  const char *b)
{
	struct json_object *v = NULL;

	if (!json_object_object_get_ex(o, a, &v))
		return NULL;
	if (b && !json_object_object_get_ex(v, b, &v))
		return NULL;
	return json_object_get_string(v);
}

START_TEST(seconds_have_one_exact_decimal)
{
	struct json_object *o = health_seconds(1234);

	ck_assert_str_eq(json_object_to_json_string(o), "1.2");
	json_object_put(o);
	o = health_seconds(59);
	ck_assert_str_eq(json_object_to_json_string(o), "0.0");
	json_object_put(o);
	o = health_seconds(3600500);
	ck_assert_str_eq(json_object_to_json_string(o), "3600.5");
	json_object_put(o);
	o = health_seconds(-5);
	ck_assert_str_eq(json_object_to_json_string(o), "0.0");
	json_object_put(o);
}
END_TEST

START_TEST(database_unreachable)
{
	struct json_object *o;
	int status;

	dbhealth_init(&state.db_health);
	apidb_init(&db, "host=/nonexistent/felt port=1 connect_timeout=2");
	o = call(health_live, "/health/live", &status);
	ck_assert_int_eq(status, 200);
	json_object_put(o);

	/* Before the watcher's first ping: not ready. */
	o = call(health_ready, "/health/ready", &status);
	ck_assert_int_eq(status, 503);
	ck_assert_str_eq(str_at(o, "reason", NULL), "database not answering");
	json_object_put(o);
	/* The watcher found it down. */
	dbhealth_ok(&state.db_health);
	dbhealth_failed(&state.db_health, "connection refused");
	o = call(health_ready, "/health/ready", &status);
	ck_assert_int_eq(status, 503);
	ck_assert_str_eq(str_at(o, "status", NULL), "unavailable");
	ck_assert_str_eq(str_at(o, "reason", NULL), "database unreachable");
	json_object_put(o);

	o = call(health_full, "/health", &status);
	ck_assert_int_eq(status, 503);
	ck_assert_str_eq(str_at(o, "status", NULL), "down");
	ck_assert_str_eq(str_at(o, "services", "database"), "down");
	ck_assert_ptr_nonnull(str_at(o, "version", NULL));
	json_object_put(o);
	dbhealth_destroy(&state.db_health);
}
END_TEST

/* Ready answers from the watcher's state alone: ok while its pings
 * succeed, 503 once the last success is older than 1.5 timeouts (a ping
 * stuck on a frozen server), and never a database round trip. */
START_TEST(ready_follows_the_watcher)
{
	struct json_object *o;
	int status;

	dbhealth_init(&state.db_health);
	apidb_init(&db, "host=/nonexistent/felt port=1");
	dbhealth_ok(&state.db_health);
	o = call(health_ready, "/health/ready", &status);
	ck_assert_int_eq(status, 200);
	ck_assert_str_eq(str_at(o, "status", NULL), "ok");
	json_object_put(o);
	ck_assert_ptr_null(db.conn);
	cfg.ready_timeout_ms = 0;
	usleep(20000);
	o = call(health_ready, "/health/ready", &status);
	ck_assert_int_eq(status, 503);
	ck_assert_str_eq(str_at(o, "reason", NULL), "database not answering");
	json_object_put(o);
	cfg.ready_timeout_ms = 1000;
	dbhealth_destroy(&state.db_health);
}
END_TEST

START_TEST(draining_is_not_ready)
{
	struct json_object *o;
	int status;

	dbhealth_init(&state.db_health);
	dbhealth_ok(&state.db_health);
	apidb_init(&db, "host=/nonexistent/felt port=1");
	atomic_store(&state.draining, true);
	o = call(health_ready, "/health/ready", &status);
	ck_assert_int_eq(status, 503);
	ck_assert_str_eq(str_at(o, "reason", NULL), "draining");
	json_object_put(o);
	atomic_store(&state.draining, false);
	dbhealth_destroy(&state.db_health);
}
END_TEST

/* A guarded connection: while the shared state is down nothing is tried;
 * a connection that breaks is reported, once, and replaced after. */
START_TEST(guarded_connections_follow_the_shared_state)
{
	struct dbhealth h;

	dbhealth_init(&h);
	apidb_init(&db, "host=/nonexistent/felt port=1");
	apidb_guard(&db, &h, 1000, 1000);
	ck_assert_ptr_null(apidb_get(&db));
	ck_assert(!dbhealth_is_up(&h));
	ck_assert_ptr_null(apidb_get(&db)); /* down: not even tried */
	dbhealth_destroy(&h);
}
END_TEST

/* --- against a real database --- */

static PGconn *test_conn(void)
{
	apidb_init(&db, tdb.conninfo);
	return apidb_get(&db);
}

static void sql(PGconn *c, const char *q)
{
	PGresult *r = db_exec(c, q, 0, NULL, NULL);

	ck_assert_msg(r != NULL, "SQL failed: %s", q);
	PQclear(r);
}

START_TEST(ready_and_full_with_database)
{
	PGconn *c = test_conn();
	struct json_object *o, *rec, *v;
	int status;

	ck_assert_ptr_nonnull(c);
	sql(c, "DELETE FROM heartbeats WHERE component IN ('wsd', 'payd')");

	/* No wsd, no payd: degraded, both absent, no game figures. */
	o = call(health_full, "/health", &status);
	ck_assert_int_eq(status, 200);
	ck_assert_str_eq(str_at(o, "status", NULL), "degraded");
	ck_assert_str_eq(str_at(o, "services", "database"), "ok");
	json_object_object_get_ex(o, "services", &v);
	ck_assert_str_eq(str_at(v, "wsd", "state"), "absent");
	ck_assert_str_eq(str_at(v, "payd", "state"), "absent");
	ck_assert(json_object_object_get_ex(o, "game", &v));
	ck_assert_ptr_null(v);
	ck_assert(!json_object_object_get_ex(o, "redis", &v));
	ck_assert(json_object_object_get_ex(o, "financial_reconciliation",
					    &rec));
	ck_assert(json_object_object_get_ex(rec, "units_match", &v));
	ck_assert(json_object_is_type(v, json_type_boolean));
	ck_assert(json_object_object_get_ex(rec, "balance_ucents", &v));
	ck_assert(json_object_is_type(v, json_type_int));
	ck_assert(json_object_object_get_ex(rec, "locked_cents", &v));
	ck_assert(json_object_object_get_ex(rec, "pending_withdrawals_ucents", &v));
	ck_assert(json_object_object_get_ex(rec, "drift_ucents", &v));
	ck_assert(json_object_is_type(v, json_type_int));
	/* The raw recompute's balance drift is /api/accounting's, not /health's. */
	ck_assert(!json_object_object_get_ex(rec, "balance_drift_ucents", &v));
	json_object_put(o);

	/* A fresh wsd and payd, and one stale wsd: ok, game summed over the
	 * fresh instance only. */
	sql(c, "SELECT heartbeat_touch('wsd', 'unit-a', 1,"
	       " '{\"active_tables\": 2, \"active_connections\": 5,"
	       "   \"note\": \"x\"}')");
	sql(c, "SELECT heartbeat_touch('wsd', 'unit-b', 2,"
	       " '{\"active_tables\": 7}')");
	sql(c, "UPDATE heartbeats SET last_seen_at = now() - interval '1 hour'"
	       " WHERE component = 'wsd' AND instance = 'unit-b'");
	sql(c, "SELECT heartbeat_touch('payd', 'unit', 3, '{}')");
	o = call(health_full, "/health", &status);
	ck_assert_int_eq(status, 200);
	ck_assert_str_eq(str_at(o, "status", NULL), "ok");
	json_object_object_get_ex(o, "services", &v);
	ck_assert_str_eq(str_at(v, "wsd", "state"), "running");
	ck_assert_str_eq(str_at(v, "wsd", "instances"), "1");
	ck_assert_str_eq(str_at(o, "game", "active_tables"), "2");
	ck_assert_str_eq(str_at(o, "game", "active_connections"), "5");
	ck_assert_str_eq(str_at(o, "game", "lobby_queue"), "0");
	ck_assert_ptr_null(str_at(o, "game", "note"));
	/* A felt-payd that does not say it can send: no withdrawal service. */
	ck_assert_str_eq(str_at(o, "deposits_pending", NULL), "0");
	ck_assert_str_eq(str_at(o, "withdrawal", "running"), "false");
	json_object_put(o);

	/* felt-payd's heartbeat says what the withdrawal service is doing. */
	sql(c, "SELECT heartbeat_touch('payd', 'unit', 3, '{\"state\": \"running\","
	       " \"withdrawals_running\": true, \"withdrawals_pending\": 4,"
	       " \"withdrawals_processing\": 1, \"last_error\": null}')");
	o = call(health_full, "/health", &status);
	ck_assert_str_eq(str_at(o, "withdrawal", "running"), "true");
	ck_assert_str_eq(str_at(o, "withdrawal", "state"), "running");
	ck_assert_str_eq(str_at(o, "withdrawal", "pending"), "4");
	ck_assert_str_eq(str_at(o, "withdrawal", "processing"), "1");
	json_object_put(o);
	/* One that said it stopped counts for nothing, however fresh. */
	sql(c, "SELECT heartbeat_touch('payd', 'unit', 3, '{\"state\": \"stopped\","
	       " \"withdrawals_running\": true}')");
	o = call(health_full, "/health", &status);
	ck_assert_str_eq(str_at(o, "withdrawal", "running"), "false");
	ck_assert_str_eq(str_at(o, "withdrawal", "state"), "absent");
	ck_assert_str_eq(str_at(o, "status", NULL), "degraded");
	json_object_put(o);
	sql(c, "SELECT heartbeat_touch('payd', 'unit', 3, '{}')");

	/* Every wsd stale: degraded again, game null. */
	sql(c, "UPDATE heartbeats SET last_seen_at = now() - interval '1 hour'"
	       " WHERE component = 'wsd'");
	o = call(health_full, "/health", &status);
	ck_assert_str_eq(str_at(o, "status", NULL), "degraded");
	json_object_object_get_ex(o, "services", &v);
	ck_assert_str_eq(str_at(v, "wsd", "state"), "stale");
	json_object_put(o);
	sql(c, "DELETE FROM heartbeats WHERE instance LIKE 'unit%'");
	apidb_close(&db);
}
END_TEST

START_TEST(reconnects_after_connection_loss)
{
	PGconn *c = test_conn();
	struct json_object *o;
	int status;

	ck_assert_ptr_nonnull(c);
	/* Kill our own session from another one, as a server restart would. */
	{
		PGconn *killer = db_connect(tdb.conninfo, 1, 0);
		char pid[16];
		const char *p[1] = { pid };
		PGresult *r;

		snprintf(pid, sizeof(pid), "%d", PQbackendPID(c));
		r = db_exec(killer, "SELECT pg_terminate_backend($1::int, 5000)", 1,
			    p, NULL);
		ck_assert_ptr_nonnull(r);
		PQclear(r);
		db_close(killer);
	}
	/* The next request finds out, reconnects, and answers. */
	o = call(health_full, "/health", &status);
	ck_assert_int_eq(status, 200);
	json_object_put(o);
	ck_assert_ptr_ne(db.conn, NULL);
	apidb_close(&db);
}
END_TEST

/* A notification on a worker's connection (felt-api never LISTENs, so
 * only a bug would cause one) is logged, not dropped unseen. */
START_TEST(stray_notifications_are_reported)
{
	PGconn *c = test_conn(), *other = db_connect(tdb.conninfo, 1, 0);
	struct pollfd pfd;
	char path[64], line[512];
	int fd, saved = dup(2), found = 0;
	FILE *f;

	ck_assert_ptr_nonnull(c);
	ck_assert_ptr_nonnull(other);
	sql(c, "LISTEN felt_stray");
	sql(other, "NOTIFY felt_stray, 'x'");
	db_close(other);
	pfd = (struct pollfd){ .fd = PQsocket(c), .events = POLLIN };
	ck_assert_int_eq(poll(&pfd, 1, 10000), 1); /* bounded wait for it */
	snprintf(path, sizeof(path), "/tmp/felt-test-health-%ld.log",
		 (long)getpid());
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	dup2(fd, 2);
	log_set_level(LOG_WARN);
	ck_assert_ptr_eq(apidb_get(&db), c); /* and the connection is kept */
	log_set_level(LOG_ERROR);
	dup2(saved, 2);
	close(fd);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f))
		found += strstr(line, "event=unexpected_notification"
				" channel=felt_stray") != NULL;
	if (f)
		fclose(f);
	unlink(path);
	ck_assert_int_eq(found, 1);
	apidb_close(&db);
}
END_TEST

/* The same with a guard: the broken connection is reported to the shared
 * state when the request is done with it (apidb_release), so the next
 * requests answer 503 at once until the watcher sees the database again. */
START_TEST(a_broken_guarded_connection_marks_the_database_down)
{
	struct dbhealth h;
	PGconn *c, *killer;
	char pid[16];
	const char *p[1] = { pid };
	PGresult *r;

	dbhealth_init(&h);
	apidb_init(&db, tdb.conninfo);
	apidb_guard(&db, &h, 5000, 5000);
	c = apidb_get(&db);
	ck_assert_ptr_nonnull(c);
	killer = db_connect(tdb.conninfo, 1, 0);
	snprintf(pid, sizeof(pid), "%d", PQbackendPID(c));
	r = db_exec(killer, "SELECT pg_terminate_backend($1::int, 5000)", 1, p, NULL);
	ck_assert_ptr_nonnull(r);
	PQclear(r);
	db_close(killer);
	r = db_exec(c, "SELECT 1", 0, NULL, NULL);
	ck_assert_ptr_null(r);
	apidb_release(&db);
	ck_assert_ptr_null(db.conn);
	ck_assert(!dbhealth_is_up(&h));
	ck_assert_ptr_null(apidb_get(&db));
	dbhealth_ok(&h);
	ck_assert_ptr_nonnull(apidb_get(&db));
	apidb_close(&db);
	dbhealth_destroy(&h);
}
END_TEST

int main(void)
{
	bool with_db = testdb_suite_wanted();
	Suite *s = suite_create("health");
	TCase *tc = tcase_create("no_db");

	tcase_add_test(tc, seconds_have_one_exact_decimal);
	tcase_add_test(tc, database_unreachable);
	tcase_add_test(tc, ready_follows_the_watcher);
	tcase_add_test(tc, draining_is_not_ready);
	tcase_add_test(tc, guarded_connections_follow_the_shared_state);
	suite_add_tcase(s, tc);
	if (with_db) {
		TCase *tdbc = tcase_create("db");

		log_set_level(LOG_ERROR);
		testdb_suite_migrate(&tdb, "health");
		tcase_add_test(tdbc, ready_and_full_with_database);
		tcase_add_test(tdbc, reconnects_after_connection_loss);
		tcase_add_test(tdbc, stray_notifications_are_reported);
		tcase_add_test(tdbc, a_broken_guarded_connection_marks_the_database_down);
		tcase_set_timeout(tdbc, 30);
		suite_add_tcase(s, tdbc);
	}
	return testdb_suite_run(s, false, with_db ? &tdb : NULL, "test_health");
}
