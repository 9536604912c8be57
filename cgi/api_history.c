/*
 * api_history.c — an agent's games: GET /api/me/active-game,
 * GET /api/me/hand-history (seed 000) and GET /api/hands/{id}.phh.
 *
 * The hands are the ones felt-wsd committed (hands, hand_seats; sql/008,
 * sql/020); what a caller may see of each is decided by history.c through
 * the engine's view (lib/poker/view), never here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_handlers.h"
#include "caller.h"
#include "core/db.h"
#include "history.h"
#include "poker/view.h"
#include "queries.h"

/* Columns of QUERIES_ACTIVE_GAME. */
enum { G_TABLE, G_SEAT, G_STACK, G_CHIP_UCENTS };

int api_active_game(struct handler_ctx *ctx, struct request *req,
		    struct response *res)
{
	struct auth_agent who;
	struct json_object *o;
	const char *params[1];
	int64_t seat = 0, stack = 0, chip_ucents = 0;
	PGresult *r;
	PGconn *c;

	if (caller_authenticate(ctx, req, res, &c, &who) != 0)
		return -1;
	params[0] = who.id;
	r = db_exec_prepared(c, QUERIES_ACTIVE_GAME, 1, params, NULL);
	if (r == NULL)
		return caller_db_failed(c, req, res);
	if (PQntuples(r) == 1 &&
	    (db_value_int64(r, 0, G_SEAT, &seat) != DB_OK ||
	     db_value_int64(r, 0, G_STACK, &stack) != DB_OK ||
	     db_value_int64(r, 0, G_CHIP_UCENTS, &chip_ucents) != DB_OK)) {
		PQclear(r);
		return caller_db_failed(c, req, res);
	}
	o = history_active_game_json(PQntuples(r) == 1 ? PQgetvalue(r, 0, G_TABLE) : NULL,
				     (int)seat, stack, chip_ucents);
	PQclear(r);
	return o ? response_json(res, 200, o) : -1;
}

/* Columns of QUERIES_HAND_HISTORY. */
enum {
	H_ID, H_TABLE, H_NUMBER, H_SEAT, H_START, H_END, H_CHIP_UCENTS,
	H_STARTED, H_ENDED, H_BUTTON, H_SB, H_BB, H_POT, H_RAKE, H_EVENTS,
	H_NAMES,
};

static void add_int_column(struct json_object *o, const char *name,
			   const PGresult *r, int row, int col)
{
	int64_t v = 0;

	db_value_int64(r, row, col, &v);
	json_object_object_add(o, name, json_object_new_int64(v));
}

/*
 * One hand of the page. A stored log that cannot be read (it never happens
 * to what felt-wsd wrote) leaves the hand listed with its stacks, no cards
 * and no actions rather than failing the whole history; felt-api's log
 * says which hand.
 */
static struct json_object *hand_json(const PGresult *r, int row, struct handlog *log)
{
	struct json_object *h = json_object_new_object(), *names;
	const char *events = PQgetvalue(r, row, H_EVENTS);
	int64_t seat = 0, start = 0, end = 0, chip_ucents = 0;
	char err[160];

	db_value_int64(r, row, H_SEAT, &seat);
	db_value_int64(r, row, H_START, &start);
	db_value_int64(r, row, H_END, &end);
	db_value_int64(r, row, H_CHIP_UCENTS, &chip_ucents);
	json_object_object_add(h, "hand_id",
			       json_object_new_string(PQgetvalue(r, row, H_ID)));
	json_object_object_add(h, "table_id",
			       json_object_new_string(PQgetvalue(r, row, H_TABLE)));
	add_int_column(h, "hand_number", r, row, H_NUMBER);
	json_object_object_add(h, "seat", json_object_new_int64(seat));
	history_add_amount(h, "stack_start", start, chip_ucents);
	history_add_amount(h, "stack_end", end, chip_ucents);
	history_add_amount(h, "profit", end - start, chip_ucents);
	json_object_object_add(h, "started_at",
			       json_object_new_string(PQgetvalue(r, row, H_STARTED)));
	json_object_object_add(h, "ended_at",
			       json_object_new_string(PQgetvalue(r, row, H_ENDED)));
	add_int_column(h, "dealer_seat", r, row, H_BUTTON);
	add_int_column(h, "small_blind_chips", r, row, H_SB);
	add_int_column(h, "big_blind_chips", r, row, H_BB);
	add_int_column(h, "pot_chips", r, row, H_POT);
	add_int_column(h, "rake_chips", r, row, H_RAKE);
	json_object_object_add(h, "chip_ucents", json_object_new_int64(chip_ucents));
	if (handlog_from_json(log, events, strlen(events), err, sizeof(err)) != 0) {
		fprintf(stderr, "felt-api: hand %s: stored log unreadable: %s\n",
			PQgetvalue(r, row, H_ID), err);
		json_object_object_add(h, "num_players", NULL);
		json_object_object_add(h, "actions", json_object_new_array());
		json_object_object_add(h, "board", json_object_new_array());
		json_object_object_add(h, "hole_cards", NULL);
		json_object_object_add(h, "shown_cards", json_object_new_object());
		json_object_object_add(h, "winners", json_object_new_array());
		return h;
	}
	names = json_tokener_parse(PQgetvalue(r, row, H_NAMES));
	if (history_hand_log_json(log, (int)seat, names, h) != HISTORY_OK) {
		json_object_put(names);
		json_object_put(h);
		return NULL;
	}
	json_object_put(names);
	return h;
}

int api_hand_history(struct handler_ctx *ctx, struct request *req,
		     struct response *res)
{
	struct auth_agent who;
	struct json_object *o, *list;
	struct handler_page page;
	struct handlog log;
	const char *params[3];
	PGresult *r;
	PGconn *c;

	if (caller_authenticate(ctx, req, res, &c, &who) != 0 ||
	    handler_page(req, res, &page) != 0)
		return -1;
	params[0] = who.id;
	params[1] = page.limit_s;
	params[2] = page.offset_s;
	r = db_exec_prepared(c, QUERIES_HAND_HISTORY, 3, params, NULL);
	if (r == NULL)
		return caller_db_failed(c, req, res);
	list = json_object_new_array();
	handlog_init(&log);
	for (int i = 0; i < PQntuples(r); i++) {
		struct json_object *h = hand_json(r, i, &log);

		if (!h) {
			handlog_free(&log);
			json_object_put(list);
			PQclear(r);
			return -1;
		}
		json_object_array_add(list, h);
	}
	handlog_free(&log);
	PQclear(r);
	o = json_object_new_object();
	json_object_object_add(o, "hands", list);
	json_object_object_add(o, "limit", json_object_new_int64(page.limit));
	json_object_object_add(o, "offset", json_object_new_int64(page.offset));
	return response_json(res, 200, o);
}

/* Columns of QUERIES_HAND_LOG. */
enum { L_EVENTS, L_TABLE, L_NUMBER, L_SEAT };

static int hand_not_found(struct request *req, struct response *res)
{
	response_error(res, req->path, 404, NULL, "Hand not found", NULL);
	return -1;
}

/*
 * The platform gets every hand with every card; an agent only the hands it
 * was dealt into, with its own cards and the shown ones. Any other hand is
 * 404, exactly as a hand that does not exist.
 */
int api_hand_phh(struct handler_ctx *ctx, struct request *req,
		 struct response *res)
{
	struct auth_agent who;
	struct handlog log;
	char id[HISTORY_ID_SIZE], comment[160], err[160];
	const char *params[2];
	const char *events, *file = request_param(req, "file");
	char *text;
	size_t len;
	int64_t seat = -1;
	int viewer, rc;
	PGresult *r;
	PGconn *c;

	if (caller_authenticate(ctx, req, res, &c, &who) != 0)
		return -1;
	if (!file || !history_phh_file_id(file, id))
		return hand_not_found(req, res);
	params[0] = id;
	params[1] = who.id;
	r = db_exec_prepared(c, QUERIES_HAND_LOG, 2, params, NULL);
	if (r == NULL)
		return caller_db_failed(c, req, res);
	if (PQntuples(r) != 1 ||
	    (!who.is_platform && (PQgetisnull(r, 0, L_SEAT) ||
				  db_value_int64(r, 0, L_SEAT, &seat) != DB_OK))) {
		PQclear(r);
		return hand_not_found(req, res);
	}
	viewer = who.is_platform ? VIEW_PLATFORM : (int)seat;
	events = PQgetvalue(r, 0, L_EVENTS);
	handlog_init(&log);
	if (handlog_from_json(&log, events, strlen(events), err, sizeof(err)) != 0) {
		fprintf(stderr, "felt-api: hand %s: stored log unreadable: %s\n", id, err);
		handlog_free(&log);
		PQclear(r);
		return -1;
	}
	snprintf(comment, sizeof(comment), "felt hand %s: table %s, hand %s", id,
		 PQgetvalue(r, 0, L_TABLE), PQgetvalue(r, 0, L_NUMBER));
	PQclear(r);
	rc = history_phh_text(&log, viewer, comment, &text, &len);
	handlog_free(&log);
	if (rc != HISTORY_OK)
		return -1;
	rc = response_body(res, 200, "text/plain; charset=utf-8", text, len);
	free(text);
	if (rc == 0) {
		snprintf(comment, sizeof(comment), "inline; filename=\"%s.phh\"", id);
		response_header(res, "Content-Disposition", comment);
	}
	return rc;
}
