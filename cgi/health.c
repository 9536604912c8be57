/*
 * health.c — /health/live, /health/ready and /health.
 */
#include "health.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "autoconf.h"
#include "core/db.h"
#include "handler.h"
#include "money/money.h"
#include "queries.h"

struct json_object *health_seconds(int64_t ms)
{
	char text[32];
	int64_t tenths = (ms < 0 ? 0 : ms) / 100;

	snprintf(text, sizeof(text), "%" PRId64 ".%" PRId64, tenths / 10,
		 tenths % 10);
	return json_object_new_double_s((double)tenths / 10.0, text);
}

static int status_only(struct response *res, int status, const char *word,
		       const char *reason)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "status", json_object_new_string(word));
	if (reason)
		json_object_object_add(o, "reason",
				       json_object_new_string(reason));
	return response_json(res, status, o);
}

int health_live(struct handler_ctx *ctx, struct request *req,
		struct response *res)
{
	return status_only(res, 200, "ok", NULL);
}

/* SELECT 1 on this thread's connection; false when the database is gone. */
static bool db_alive(struct handler_ctx *ctx, PGconn **out)
{
	PGconn *c = apidb_get(ctx->db);
	PGresult *r;

	*out = c;
	if (!c)
		return false;
	r = db_exec_prepared(c, QUERIES_PING, 0, NULL, NULL);
	if (!r)
		return false;
	PQclear(r);
	return true;
}

int health_ready(struct handler_ctx *ctx, struct request *req,
		 struct response *res)
{
	struct dbhealth *h = &ctx->state->db_health;
	int64_t age;

	if (atomic_load(&ctx->state->draining))
		return status_only(res, 503, "unavailable", "draining");
	if (!dbhealth_is_up(h))
		return status_only(res, 503, "unavailable",
				   "database unreachable");
	/* The watcher pings every half of the timeout: no success for
	 * longer than 1.5 timeouts means its ping is stuck on a database
	 * that does not answer (frozen), before it gives up on it. */
	age = dbhealth_ok_age_ms(h);
	if (age < 0 || age > ctx->cfg->ready_timeout_ms * 3 / 2)
		return status_only(res, 503, "unavailable",
				   "database not answering");
	return status_only(res, 200, "ok", NULL);
}

static const char *stale_text(struct handler_ctx *ctx, char *buf, size_t n)
{
	snprintf(buf, n, "%d", ctx->cfg->heartbeat_stale_s);
	return buf;
}

static struct json_object *component(const char *state, bool running,
				     struct json_object *ago, int64_t count)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "running", json_object_new_boolean(running));
	json_object_object_add(o, "state", json_object_new_string(state));
	json_object_object_add(o, "last_seen_ago_seconds", ago);
	json_object_object_add(o, "instances", json_object_new_int64(count));
	return o;
}

/*
 * Fill services.wsd and services.payd from the heartbeat rows. Returns how
 * many of the two are running; a failed query reports both "unknown".
 */
static int add_components(struct handler_ctx *ctx, PGconn *c,
			  struct json_object *services)
{
	static const char *const names[] = { "wsd", "payd" };
	char stale[16];
	const char *params[1] = { stale_text(ctx, stale, sizeof(stale)) };
	PGresult *r = db_exec_prepared(c, QUERIES_HEARTBEATS, 1, params, NULL);
	int running = 0, i, row;

	for (i = 0; i < 2; i++) {
		struct json_object *o = NULL;

		for (row = 0; r && row < PQntuples(r); row++) {
			int64_t seen = 0, fresh = 0, ago_ms = 0;

			if (strcmp(PQgetvalue(r, row, 0), names[i]) != 0)
				continue;
			db_value_int64(r, row, 1, &seen);
			db_value_int64(r, row, 2, &fresh);
			db_value_int64(r, row, 3, &ago_ms);
			o = component(fresh ? "running" : "stale", fresh > 0,
				      health_seconds(ago_ms), fresh);
			running += fresh > 0;
		}
		if (!o)
			o = component(r ? "absent" : "unknown", false, NULL, 0);
		json_object_object_add(services, names[i], o);
	}
	PQclear(r);
	return running;
}

/*
 * Seed 000's game figures (active_tables, active_connections, lobby_queue),
 * summed over the running wsd instances' heartbeats; null when none runs.
 */
static struct json_object *game_stats(struct handler_ctx *ctx, PGconn *c,
				      bool wsd_running)
{
	static const char *const keys[] = { "active_tables", "active_connections",
					    "lobby_queue" };
	char stale[16];
	const char *params[1] = { stale_text(ctx, stale, sizeof(stale)) };
	struct json_object *o;
	PGresult *r;

	if (!wsd_running)
		return NULL;
	r = db_exec_prepared(c, QUERIES_GAME_STATS, 1, params, NULL);
	if (!r || PQntuples(r) != 1) {
		PQclear(r);
		return NULL;
	}
	o = json_object_new_object();
	for (int i = 0; i < 3; i++) {
		int64_t v = 0;

		db_value_int64(r, 0, i, &v);
		json_object_object_add(o, keys[i], json_object_new_int64(v));
	}
	PQclear(r);
	return o;
}

/* A member of the freshest felt-payd's stats, or NULL. */
static struct json_object *stats_member(struct json_object *stats, const char *key)
{
	struct json_object *v = NULL;

	if (stats)
		json_object_object_get_ex(stats, key, &v);
	return v;
}

/*
 * The withdrawal service as felt-payd's heartbeat describes it: running
 * only when a live felt-payd says it can send (chain configured and
 * reachable, the sender lock held).
 */
static struct json_object *withdrawal_json(struct handler_ctx *ctx, PGconn *c)
{
	char stale[16];
	const char *params[1] = { stale_text(ctx, stale, sizeof(stale)) };
	PGresult *r = db_exec_prepared(c, QUERIES_PAYD_STATS, 1, params, NULL);
	struct json_object *w = json_object_new_object(), *stats = NULL, *v;

	if (r && PQntuples(r) == 1)
		stats = json_tokener_parse(PQgetvalue(r, 0, 0));
	PQclear(r);
	v = stats_member(stats, "withdrawals_running");
	json_object_object_add(w, "running", json_object_new_boolean(
		v && json_object_get_boolean(v)));
	v = stats_member(stats, "state");
	json_object_object_add(w, "state", json_object_new_string(
		v ? json_object_get_string(v) : "absent"));
	json_object_object_add(w, "pending", json_object_get(stats_member(stats, "withdrawals_pending")));
	json_object_object_add(w, "processing",
			       json_object_get(stats_member(stats, "withdrawals_processing")));
	json_object_object_add(w, "last_error", json_object_get(stats_member(stats, "last_error")));
	json_object_put(stats);
	return w;
}

/* deposits_pending and withdrawal, only once their tables exist. */
static void add_money_services(struct handler_ctx *ctx, PGconn *c,
			       struct json_object *root)
{
	PGresult *r = db_exec_prepared(c, QUERIES_MONEY_TABLES, 0, NULL, NULL);
	bool deposits, withdrawals;
	int64_t pending;

	if (!r)
		return;
	deposits = strcmp(PQgetvalue(r, 0, 0), "t") == 0;
	withdrawals = strcmp(PQgetvalue(r, 0, 1), "t") == 0;
	PQclear(r);
	r = deposits ? db_exec_prepared(c, QUERIES_DEPOSITS_PENDING, 0, NULL,
					NULL) : NULL;
	if (r && db_value_int64(r, 0, 0, &pending) == DB_OK)
		json_object_object_add(root, "deposits_pending",
				       json_object_new_int64(pending));
	PQclear(r);
	if (withdrawals)
		json_object_object_add(root, "withdrawal", withdrawal_json(ctx, c));
}

static void add_amount(struct json_object *o, const char *name,
		       int64_t ucents, bool with_cents)
{
	char key[64];

	snprintf(key, sizeof(key), "%s_ucents", name);
	json_object_object_add(o, key, json_object_new_int64(ucents));
	if (with_cents) {
		snprintf(key, sizeof(key), "%s_cents", name);
		json_object_object_add(o, key, json_object_new_int64(
					       money_ucents_to_cents(ucents)));
	}
}

struct json_object *health_reconciliation(PGconn *c)
{
	PGresult *r = db_exec_prepared(c, QUERIES_RECONCILIATION, 0, NULL,
				       NULL);
	int64_t v[4];
	struct json_object *o;
	int i;

	if (!r)
		return NULL;
	for (i = 0; i < 4; i++)
		if (PQntuples(r) != 1 ||
		    db_value_int64(r, 0, i + 1, &v[i]) != DB_OK) {
			PQclear(r);
			return NULL;
		}
	o = json_object_new_object();
	json_object_object_add(o, "units_match", json_object_new_boolean(
				       strcmp(PQgetvalue(r, 0, 0), "t") == 0));
	PQclear(r);
	add_amount(o, "balance", v[0], true);
	add_amount(o, "locked", v[1], true);
	add_amount(o, "pending_withdrawals", v[2], true);
	add_amount(o, "drift", v[3], false);
	return o;
}

int health_full(struct handler_ctx *ctx, struct request *req,
		struct response *res)
{
	struct json_object *root = json_object_new_object();
	struct json_object *services = json_object_new_object();
	PGconn *c;
	bool up = db_alive(ctx, &c);
	int running = 0;

	/* First in the output, decided last (replacing keeps the position). */
	json_object_object_add(root, "status", NULL);
	json_object_object_add(root, "version",
			       json_object_new_string(PACKAGE_VERSION));
	json_object_object_add(root, "uptime_seconds",
			       health_seconds(handler_uptime_ms(ctx->state)));
	json_object_object_add(root, "draining", json_object_new_boolean(
				       atomic_load(&ctx->state->draining)));
	json_object_object_add(root, "services", services);
	json_object_object_add(services, "database",
			       json_object_new_string(up ? "ok" : "down"));
	if (!up) {
		json_object_object_add(root, "status",
				       json_object_new_string("down"));
		return response_json(res, 503, root);
	}
	running = add_components(ctx, c, services);
	json_object_object_add(root, "game", game_stats(ctx, c,
		json_object_get_boolean(json_object_object_get(
			json_object_object_get(services, "wsd"), "running"))));
	add_money_services(ctx, c, root);
	json_object_object_add(root, "financial_reconciliation",
			       health_reconciliation(c));
	json_object_object_add(root, "status", json_object_new_string(
				       running == 2 ? "ok" : "degraded"));
	return response_json(res, 200, root);
}
