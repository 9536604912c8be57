/*
 * v1_tables.c — the public reads of /v1: GET /v1/tables, GET
 * /v1/tables/:id and GET /v1/tables/:id/events.
 *
 * Tables come as MoltPoker's TableListItem, built by the database
 * (v1_table_json in sql/010_v1_tables.sql) so that a page is one query;
 * stacks are the seats' stacks after the last committed hand (felt-wsd
 * writes them with each hand), not the buy-in.
 *
 * Events are public, and no hole card may leave through them before the
 * hand is over (DESIGN §7, §8): felt-wsd writes a hand's events when the
 * hand commits, with only the shown hands' cards; this endpoint checks it
 * again, so that a mistake elsewhere does not leak: it stops at the first
 * event of a hand not committed yet, and nulls the cards of every seat
 * whose hand was not shown at that hand's showdown.
 */
#include <stdio.h>
#include <string.h>

#include "caller.h"
#include "core/json.h"
#include "queries.h"
#include "v1_common.h"
#include "v1_handlers.h"
#include "v1_tableconf.h"

#define LIST_LIMIT_DEFAULT 10
#define LIST_LIMIT_MAX 100
#define LIST_OFFSET_MAX 1000000
#define EVENTS_LIMIT_DEFAULT 100
#define EVENTS_LIMIT_MAX 1000
#define SEQ_MAX 9007199254740991LL /* 2^53 - 1: exact in every JSON reader */
#define SEATS 10
#define CARD_KEYS 3

int v1_tables_list(struct handler_ctx *ctx, struct request *req,
		   struct response *res)
{
	const char *status = request_query_get(req, "status");
	char limit_s[24], offset_s[24];
	long long limit, offset;
	const char *params[4];
	PGresult *r;
	PGconn *c;
	int rc;

	if (status != NULL && status[0] == '\0')
		status = NULL;
	if (status != NULL && strcmp(status, "waiting") != 0 &&
	    strcmp(status, "running") != 0 && strcmp(status, "ended") != 0)
		return v1_invalid(req, res, "status",
				  "must be waiting, running or ended");
	if (handler_query_int(req, res, "limit", LIST_LIMIT_DEFAULT, 1,
			      LIST_LIMIT_MAX, &limit) != 0 ||
	    handler_query_int(req, res, "offset", 0, 0, LIST_OFFSET_MAX,
			      &offset) != 0)
		return -1;
	c = handler_db(ctx, req, res);
	if (c == NULL)
		return -1;
	snprintf(limit_s, sizeof limit_s, "%lld", limit);
	snprintf(offset_s, sizeof offset_s, "%lld", offset);
	params[0] = status;
	params[1] = limit_s;
	params[2] = offset_s;
	params[3] = V1_PROTOCOL_VERSION;
	r = db_exec_prepared(c, QUERIES_V1_TABLES_LIST, 4, params, NULL);
	if (r == NULL || PQntuples(r) != 1) {
		PQclear(r);
		return caller_db_failed(c, req, res);
	}
	rc = response_body(res, 200, "application/json", PQgetvalue(r, 0, 0),
			   (size_t)PQgetlength(r, 0, 0));
	PQclear(r);
	return rc;
}

int v1_table_get(struct handler_ctx *ctx, struct request *req,
		 struct response *res)
{
	const char *id = request_param(req, "id");
	PGresult *r;
	PGconn *c;
	int rc;

	if (!v1_uuid_ok(id))
		return v1_table_not_found(req, res);
	c = handler_db(ctx, req, res);
	if (c == NULL)
		return -1;
	r = db_exec_prepared(c, QUERIES_V1_TABLE_GET, 1, &id, NULL);
	if (r == NULL) {
		PQclear(r);
		return caller_db_failed(c, req, res);
	}
	if (PQntuples(r) != 1) {
		PQclear(r);
		return v1_table_not_found(req, res);
	}
	rc = response_body(res, 200, "application/json", PQgetvalue(r, 0, 0),
			   (size_t)PQgetlength(r, 0, 0));
	PQclear(r);
	return rc;
}

/* Column order of QUERIES_V1_EVENTS. */
enum { E_SEQ, E_TYPE, E_PAYLOAD, E_CREATED, E_SHOWN, E_HAND, E_COMMITTED };

/* Which seats' hands were shown: "1,3" -> shown[1], shown[3]. */
static void parse_shown(const char *list, bool shown[SEATS])
{
	memset(shown, 0, SEATS * sizeof shown[0]);
	while (*list) {
		int seat = 0;

		while (*list >= '0' && *list <= '9')
			seat = seat * 10 + (*list++ - '0');
		if (seat >= 0 && seat < SEATS)
			shown[seat] = true;
		if (*list == ',')
			list++;
		else if (*list)
			break;
	}
}

/* The seat an object speaks of, or -1. */
static int object_seat(struct json_object *o)
{
	static const char *const keys[] = { "seatId", "seat_id", "seat" };
	struct json_object *v;

	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (json_object_object_get_ex(o, keys[i], &v) &&
		    json_object_is_type(v, json_type_int))
			return (int)json_object_get_int64(v);
	return -1;
}

/*
 * Null the hole cards of seats not in shown, wherever they are: an
 * object with a seat (seatId, seat_id or seat) and cards (holeCards,
 * hole_cards or cards) holds that seat's hole cards. Board cards never
 * sit beside a seat number.
 */
static void redact(struct json_object *v, const bool shown[SEATS], int depth)
{
	static const char *const card_keys[CARD_KEYS] = {
		"holeCards", "hole_cards", "cards",
	};
	int seat;

	if (v == NULL || depth > JSON_DEFAULT_DEPTH * 4)
		return;
	if (json_object_is_type(v, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(v); i++)
			redact(json_object_array_get_idx(v, i), shown, depth + 1);
		return;
	}
	if (!json_object_is_type(v, json_type_object))
		return;
	seat = object_seat(v);
	/* Nulled rather than removed: the event keeps its shape. */
	if (seat != -1 && !(seat >= 0 && seat < SEATS && shown[seat]))
		for (size_t i = 0; i < CARD_KEYS; i++)
			if (json_object_object_get_ex(v, card_keys[i], NULL))
				json_object_object_add(v, card_keys[i], NULL);
	json_object_object_foreach(v, key, child) {
		(void)key;
		redact(child, shown, depth + 1);
	}
}

/* One event of row i as the API shows it. */
static struct json_object *event_json(const PGresult *r, int i)
{
	struct json_object *e = json_object_new_object(), *payload = NULL;
	const char *text = PQgetvalue(r, i, E_PAYLOAD);
	bool shown[SEATS];
	int64_t seq = 0;

	db_value_int64(r, i, E_SEQ, &seq);
	if (json_parse(text, strlen(text), JSON_MAX_DEPTH, &payload, NULL, 0) !=
	    JSON_OK || payload == NULL)
		payload = json_object_new_object();
	parse_shown(PQgetvalue(r, i, E_SHOWN), shown);
	redact(payload, shown, 0);
	json_object_object_add(e, "seq", json_object_new_int64(seq));
	json_object_object_add(e, "type",
			       json_object_new_string(PQgetvalue(r, i, E_TYPE)));
	json_object_object_add(e, "payload", payload);
	json_object_object_add(e, "created_at", json_object_new_string(
		PQgetvalue(r, i, E_CREATED)));
	return e;
}

/* Is row i an event of a hand that has not committed yet? */
static bool uncommitted(const PGresult *r, int i)
{
	int64_t hand = 0, committed = 0;

	if (PQgetisnull(r, i, E_HAND))
		return false;
	db_value_int64(r, i, E_HAND, &hand);
	db_value_int64(r, i, E_COMMITTED, &committed);
	return hand > committed;
}

int v1_table_events(struct handler_ctx *ctx, struct request *req,
		    struct response *res)
{
	const char *id = request_param(req, "id");
	struct json_object *o, *list;
	char from_s[24], limit_s[24];
	long long from, limit;
	const char *params[3];
	bool more = false;
	PGresult *r;
	PGconn *c;
	int i, n;

	if (!v1_uuid_ok(id))
		return v1_table_not_found(req, res);
	if (handler_query_int(req, res, "fromSeq", 0, 0, SEQ_MAX, &from) != 0 ||
	    handler_query_int(req, res, "limit", EVENTS_LIMIT_DEFAULT, 1,
			      EVENTS_LIMIT_MAX, &limit) != 0)
		return -1;
	c = handler_db(ctx, req, res);
	if (c == NULL)
		return -1;
	snprintf(from_s, sizeof from_s, "%lld", from);
	snprintf(limit_s, sizeof limit_s, "%lld", limit);
	params[0] = id;
	params[1] = from_s;
	params[2] = limit_s;
	r = db_exec_prepared(c, QUERIES_V1_EVENTS, 3, params, NULL);
	if (r == NULL)
		return caller_db_failed(c, req, res);
	n = PQntuples(r);
	if (n == 0) {
		PQclear(r);
		return v1_table_not_found(req, res);
	}
	list = json_object_new_array();
	for (i = 0; i < n && !PQgetisnull(r, i, E_SEQ); i++) {
		/* The rest of the stream waits for the hand to commit. */
		if (uncommitted(r, i))
			break;
		if (i == limit) {
			more = true;
			break;
		}
		json_object_array_add(list, event_json(r, i));
	}
	PQclear(r);
	o = json_object_new_object();
	json_object_object_add(o, "events", list);
	json_object_object_add(o, "hasMore", json_object_new_boolean(more));
	return response_json(res, 200, o);
}
