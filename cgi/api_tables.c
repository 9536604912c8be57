/*
 * api_tables.c — Open Poker's table REST (seed 000): GET /api/tables, the
 * open cash tables, and GET /api/tables/{table_id}, a table_state snapshot
 * (reference §4's shape, with its state_hash, reference §2) of one as of
 * its last committed hand: felt-api reads the database, the hand in
 * progress lives in felt-wsd (its players see it over /ws).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api_handlers.h"
#include "caller.h"
#include "core/db.h"
#include "core/hash.h"
#include "core/pyjson.h"
#include "money/money.h"
#include "queries.h"
#include "response.h"
#include "v1_common.h"

/* table_seq of a snapshot: felt-wsd numbers its frames from table_seq * 1000
 * (wsd/table.h TABLE_FRAMES_PER_SEQ), so this one sorts before them. */
#define FRAMES_PER_SEQ 1000

static void add_int(struct json_object *o, const char *k, int64_t v)
{
	json_object_object_add(o, k, json_object_new_int64(v));
}

static void add_str(struct json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, v ? json_object_new_string(v) : NULL);
}

int api_tables(struct handler_ctx *ctx, struct request *req, struct response *res)
{
	struct json_object *a;
	PGconn *c = handler_db(ctx, req, res);
	PGresult *r;
	int i;

	if (!c)
		return -1;
	r = db_exec_prepared(c, QUERIES_CASH_TABLES, 0, NULL, NULL);
	if (!r)
		return caller_db_failed(c, req, res);
	a = json_object_new_array();
	for (i = 0; i < PQntuples(r); i++) {
		struct json_object *o = json_object_new_object();
		int64_t v[5] = { 0 };
		int k;

		for (k = 0; k < 5; k++)
			db_value_int64(r, i, k + 1, &v[k]);
		add_str(o, "table_id", PQgetvalue(r, i, 0));
		add_int(o, "seats", v[0]);
		add_int(o, "players", v[1]);
		json_object_object_add(o, "small_blind", money_json_dollars(v[2]));
		json_object_object_add(o, "big_blind", money_json_dollars(v[3]));
		add_int(o, "hand_number", v[4]);
		json_object_array_add(a, o);
	}
	PQclear(r);
	return response_json(res, 200, a);
}

/* Now, as the reference's frames write a time. */
static struct json_object *ts_now(void)
{
	struct timespec ts;
	char buf[PYJSON_TIME_SIZE];

	clock_gettime(CLOCK_REALTIME, &ts);
	pyjson_isoformat(&ts, buf);
	return json_object_new_string(buf);
}

/* The idle table_state of a table row and its seats. */
static struct json_object *snapshot(const char *id, PGresult *t, PGresult *s)
{
	struct json_object *o = json_object_new_object(), *seats = json_object_new_array(),
			   *d = json_object_new_object();
	int64_t v[6] = { 0 };
	int i, players = 0, with_chips = 0;

	for (i = 0; i < 6; i++)
		db_value_int64(t, 0, i, &v[i]);
	for (i = 0; i < PQntuples(s); i++) {
		struct json_object *x = json_object_new_object();
		int64_t seat = 0, stack = 0;

		db_value_int64(s, i, 0, &seat);
		db_value_int64(s, i, 2, &stack);
		add_int(x, "seat", seat);
		if (PQgetisnull(s, i, 1)) {
			add_str(x, "status", "empty");
		} else {
			players++;
			with_chips += stack > 0;
			add_str(x, "name", PQgetvalue(s, i, 1));
			add_int(x, "stack", stack);
			add_int(x, "bet", 0);
			add_str(x, "status", "active");
			json_object_object_add(x, "in_hand", json_object_new_boolean(false));
			add_str(x, "public_profile_slug", NULL);
			json_object_object_add(x, "is_pro", json_object_new_boolean(false));
		}
		json_object_array_add(seats, x);
	}
	add_str(o, "type", "table_state");
	add_str(o, "stream", "state");
	add_str(o, "table_id", id);
	/* The last committed hand: its id is the hand_id its frames carried
	 * and the one /api/hands/{id}.phh serves (sql/066). */
	add_str(o, "hand_id", PQgetisnull(t, 0, 6) ? NULL : PQgetvalue(t, 0, 6));
	add_int(o, "table_seq", v[5] * FRAMES_PER_SEQ);
	add_int(o, "hand_seq", 0);
	json_object_object_add(o, "ts", ts_now());
	add_str(o, "street", "idle");
	add_str(o, "waiting_reason", with_chips < 2 ? "insufficient_players" : "awaiting_hand_start");
	add_int(d, "player_count", players);
	add_int(d, "eligible_players", with_chips);
	add_int(d, "min_required", 2);
	json_object_object_add(o, "waiting_details", d);
	if (PQgetisnull(t, 0, 4))
		add_str(o, "dealer_seat", NULL);
	else
		add_int(o, "dealer_seat", v[4]);
	add_int(o, "small_blind", v[1]);
	add_int(o, "big_blind", v[2]);
	add_int(o, "hand_number", v[3]);
	add_int(o, "pot", 0);
	add_int(o, "current_bet", 0);
	json_object_object_add(o, "board", json_object_new_array());
	json_object_object_add(o, "seats", seats);
	add_str(o, "hero", NULL);
	return o;
}

/* reference §2's state_hash of o, added to it. */
static void add_state_hash(struct json_object *o)
{
	struct json_object *copy = json_object_new_object();
	uint8_t sum[HASH_SHA256_SIZE];
	char hex[2 * HASH_SHA256_SIZE + 1], hash[80];
	size_t n;
	char *text;

	json_object_object_foreach(o, k, v)
	{
		if (strcmp(k, "ts") && strcmp(k, "table_seq") && strcmp(k, "hand_seq"))
			json_object_object_add(copy, k, json_object_get(v));
	}
	text = pyjson_dumps(copy, &n);
	json_object_put(copy);
	if (!text) {
		add_str(o, "state_hash", NULL);
		return;
	}
	hash_sha256(text, n, sum);
	free(text);
	hash_hex(sum, sizeof(sum), hex);
	snprintf(hash, sizeof(hash), "sha256:%s", hex);
	add_str(o, "state_hash", hash);
}

static int not_found(struct request *req, struct response *res)
{
	response_error(res, req->path, 404, NULL, "Table not found", NULL);
	return -1;
}

int api_table_get(struct handler_ctx *ctx, struct request *req, struct response *res)
{
	const char *id = request_param(req, "table_id");
	const char *params[1] = { id };
	struct json_object *o;
	PGresult *t, *s;
	PGconn *c;
	size_t len;
	char *text;
	int rc;

	if (!id || !v1_uuid_ok(id))
		return not_found(req, res);
	c = handler_db(ctx, req, res);
	if (!c)
		return -1;
	t = db_exec_prepared(c, QUERIES_CASH_TABLE, 1, params, NULL);
	if (!t)
		return caller_db_failed(c, req, res);
	if (PQntuples(t) != 1) {
		PQclear(t);
		return not_found(req, res);
	}
	s = db_exec_prepared(c, QUERIES_CASH_TABLE_SEATS, 1, params, NULL);
	if (!s) {
		PQclear(t);
		return caller_db_failed(c, req, res);
	}
	o = snapshot(id, t, s);
	PQclear(t);
	PQclear(s);
	add_state_hash(o);
	/* Python's spelling, so that a client hashing what it parsed agrees. */
	text = pyjson_dumps(o, &len);
	json_object_put(o);
	if (!text) {
		response_error(res, req->path, 500, NULL, "Out of memory", NULL);
		return -1;
	}
	rc = response_body(res, 200, "application/json", text, len);
	free(text);
	return rc;
}
