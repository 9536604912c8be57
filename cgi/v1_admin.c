/*
 * v1_admin.c — the platform's /v1 table administration (reference/
 * moltpoker.md §4; DESIGN §7: the platform agent's key only, 401 without a
 * key, 403 for any other agent): create a table, start it, stop it, kick
 * an agent.
 *
 * Start, stop and kick change a live table, so they are table_commands
 * for the felt-wsd that runs it (sql/010_v1_tables.sql); the answer says
 * the request is filed, and GET /v1/tables/:id shows when it took effect.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caller.h"
#include "core/json.h"
#include "queries.h"
#include "v1_common.h"
#include "v1_handlers.h"
#include "v1_tableconf.h"

/* 400 VALIDATION_ERROR for the problems in details (taken). */
static int invalid_config(struct request *req, struct response *res,
			  struct json_object *details)
{
	struct json_object *first = json_object_array_get_idx(details, 0);
	struct json_object *path, *msg;
	char text[320] = "Invalid request body";
	size_t used;

	if (first && json_object_object_get_ex(first, "path", &path) &&
	    json_object_object_get_ex(first, "message", &msg)) {
		text[0] = '\0';
		for (size_t i = 0; i < json_object_array_length(path); i++) {
			used = strlen(text);
			snprintf(text + used, sizeof text - used, "%s%s",
				 i ? "." : "",
				 json_object_get_string(
					 json_object_array_get_idx(path, i)));
		}
		used = strlen(text);
		snprintf(text + used, sizeof text - used, ": %s",
			 json_object_get_string(msg));
	}
	response_error(res, req->path, 400, "VALIDATION_ERROR", text, details);
	return -1;
}

/*
 * The table POST /v1/admin/tables asks for: bucket_key (optional; its
 * sb_bb_seats_timeout form sets those values), then config over it, then
 * seed (top level or in config). *stored gets what the table keeps of the
 * request (its seed), caller puts. Returns 0, or -1 after answering.
 */
static int read_create(struct handler_ctx *ctx, struct request *req,
		       struct response *res, struct json_object *body,
		       const char **bucket, struct v1_table_config *cfg,
		       struct json_object **stored)
{
	struct json_object *config = NULL, *details;
	struct v1_conf_extras extras;
	const char *seed = NULL;
	int rc;

	*stored = NULL;
	if (v1_read_bucket(ctx, req, res, body, bucket, cfg) != 0)
		return -1;
	json_object_object_get_ex(body, "config", &config);
	details = json_object_new_array();
	if (v1_conf_from_json(config, "config", cfg, &extras, details) > 0)
		return invalid_config(req, res, details);
	json_object_put(details);
	if (extras.real_money)
		return v1_fail(req, res, 400, "REAL_MONEY_DISABLED",
			       "Real money tables are not enabled on this "
			       "server: /v1 tables play for chips");
	rc = json_get_string(body, "seed", &seed);
	if (rc == JSON_ERR_TYPE ||
	    (rc == JSON_OK && strlen(seed) > V1_SEED_MAX_BYTES))
		return v1_invalid(req, res, "seed",
				  "must be a string of at most 256 bytes");
	if (rc != JSON_OK)
		seed = extras.seed;
	*stored = json_object_new_object();
	if (seed)
		json_object_object_add(*stored, "seed",
				       json_object_new_string(seed));
	return 0;
}

int v1_admin_table_create(struct handler_ctx *ctx, struct request *req,
			  struct response *res)
{
	struct json_object *body, *stored;
	struct v1_table_config cfg;
	struct v1_conf_text conf;
	char stale_s[12];
	struct auth_agent who;
	const char *bucket, *params[11];
	char id[40];
	PGresult *r;
	PGconn *c;
	int rc;

	if (caller_platform(ctx, req, res, &c, &who) != 0)
		return -1;
	if (v1_body(req, res, &body) != 0)
		return -1;
	if (read_create(ctx, req, res, body, &bucket, &cfg, &stored) != 0) {
		json_object_put(body);
		return -1;
	}
	snprintf(stale_s, sizeof stale_s, "%d", ctx->cfg->heartbeat_stale_s);
	params[0] = bucket;
	v1_conf_params(&cfg, &conf, params + 1);
	params[8] = json_object_to_json_string_ext(stored,
						   JSON_C_TO_STRING_PLAIN);
	params[9] = who.id;
	params[10] = stale_s;
	r = db_exec_prepared(c, QUERIES_V1_TABLE_CREATE, 11, params, NULL);
	json_object_put(stored);
	json_object_put(body);
	if (r == NULL || PQntuples(r) != 1) {
		PQclear(r);
		return caller_db_failed(c, req, res);
	}
	snprintf(id, sizeof id, "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	params[0] = id;
	r = db_exec_prepared(c, QUERIES_V1_TABLE_GET, 1, params, NULL);
	if (r == NULL || PQntuples(r) != 1) {
		PQclear(r);
		return caller_db_failed(c, req, res);
	}
	rc = response_body(res, 201, "application/json", PQgetvalue(r, 0, 0),
			   (size_t)PQgetlength(r, 0, 0));
	PQclear(r);
	return rc;
}

/*
 * Run stmt (start or stop) for the table in the path as the platform.
 * Returns the result row (caller PQclears) or NULL after answering.
 */
static PGresult *table_request(struct handler_ctx *ctx, struct request *req,
			       struct response *res, const char *stmt)
{
	const char *id = request_param(req, "id"), *params[2];
	struct auth_agent who;
	struct db_err err;
	PGresult *r;
	PGconn *c;

	if (caller_platform(ctx, req, res, &c, &who) != 0)
		return NULL;
	if (!v1_uuid_ok(id)) {
		v1_table_not_found(req, res);
		return NULL;
	}
	params[0] = id;
	params[1] = who.id;
	r = v1_call(c, stmt, 2, params, &err);
	if (r == NULL || PQntuples(r) != 1) {
		PQclear(r);
		caller_db_failed(c, req, res);
		return NULL;
	}
	return r;
}

int v1_admin_table_start(struct handler_ctx *ctx, struct request *req,
			 struct response *res)
{
	PGresult *r = table_request(ctx, req, res, QUERIES_V1_ADMIN_START);
	struct json_object *o;
	const char *result;
	char msg[64];
	int rc;

	if (r == NULL)
		return -1;
	result = PQgetvalue(r, 0, 0);
	if (strcmp(result, "ok") == 0) {
		o = json_object_new_object();
		json_object_object_add(o, "success", json_object_new_boolean(1));
		json_object_object_add(o, "message", json_object_new_string(
			"Table start requested"));
		/* A waiting table has dealt nothing: its first hand is 1. */
		json_object_object_add(o, "hand_number", json_object_new_int(1));
		rc = response_json(res, 200, o);
	} else if (strcmp(result, "not_found") == 0) {
		rc = v1_table_not_found(req, res);
	} else if (strcmp(result, "too_few") == 0) {
		rc = v1_fail(req, res, 400, "INVALID_TABLE_STATE",
			     "At least 2 players required to start");
	} else {
		snprintf(msg, sizeof msg, "Table is already %s", result);
		rc = v1_fail(req, res, 400, "INVALID_TABLE_STATE", msg);
	}
	PQclear(r);
	return rc;
}

int v1_admin_table_stop(struct handler_ctx *ctx, struct request *req,
			struct response *res)
{
	PGresult *r = table_request(ctx, req, res, QUERIES_V1_ADMIN_STOP);
	const char *result;
	int rc;

	if (r == NULL)
		return -1;
	result = PQgetvalue(r, 0, 0);
	if (strcmp(result, "not_found") == 0)
		rc = v1_table_not_found(req, res);
	else if (strcmp(result, "ended") == 0)
		rc = v1_success(res, "Table already ended; stop is a no-op");
	else
		rc = v1_success(res, "Table stop requested");
	PQclear(r);
	return rc;
}

/* Column order of QUERIES_V1_KICK. */
enum { K_RESULT, K_TABLE, K_SEAT };

int v1_admin_agent_kick(struct handler_ctx *ctx, struct request *req,
			struct response *res)
{
	const char *id = request_param(req, "id"), *params[2];
	struct json_object *o, *list, *one;
	struct auth_agent who;
	struct db_err err;
	const char *result;
	PGresult *r;
	PGconn *c;

	if (caller_platform(ctx, req, res, &c, &who) != 0)
		return -1;
	if (!v1_uuid_ok(id))
		return v1_fail(req, res, 404, "TABLE_NOT_FOUND",
			       "Agent is not seated at any table");
	params[0] = id;
	params[1] = who.id;
	r = v1_call(c, QUERIES_V1_KICK, 2, params, &err);
	if (r == NULL || PQntuples(r) < 1) {
		PQclear(r);
		return caller_db_failed(c, req, res);
	}
	result = PQgetvalue(r, 0, K_RESULT);
	if (strcmp(result, "not_seated") == 0) {
		PQclear(r);
		return v1_fail(req, res, 404, "TABLE_NOT_FOUND",
			       "Agent is not seated at any table");
	}
	o = json_object_new_object();
	json_object_object_add(o, "success", json_object_new_boolean(1));
	json_object_object_add(o, "message", json_object_new_string(
		strcmp(result, "ended") == 0
			? "Table already ended; kick is a no-op"
			: "Agent kicked"));
	/* MoltPoker names one table; felt kicks from every live one. */
	json_object_object_add(o, "table_id", json_object_new_string(
		PQgetvalue(r, 0, K_TABLE)));
	json_object_object_add(o, "seat_id", json_object_new_int(
		atoi(PQgetvalue(r, 0, K_SEAT))));
	list = json_object_new_array();
	for (int i = 0; strcmp(result, "kicked") == 0 && i < PQntuples(r); i++) {
		one = json_object_new_object();
		json_object_object_add(one, "table_id", json_object_new_string(
			PQgetvalue(r, i, K_TABLE)));
		json_object_object_add(one, "seat_id", json_object_new_int(
			atoi(PQgetvalue(r, i, K_SEAT))));
		json_object_array_add(list, one);
	}
	json_object_object_add(o, "kicked", list);
	PQclear(r);
	return response_json(res, 200, o);
}
