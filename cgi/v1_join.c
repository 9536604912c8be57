/*
 * v1_join.c — an agent takes and gives up seats: POST /v1/tables/auto-join,
 * POST /v1/tables/:id/join, POST /v1/tables/:id/leave (seed 004;
 * reference/moltpoker.md §3).
 *
 * felt's decisions over the reference (DESIGN §4, §8): auto-join honours
 * the sb{S}_bb{B}_seats{N}_timeout{MS} form of bucket_key; joining again
 * while seated (auto-join in the same bucket, or join on the same table,
 * running or not) answers a fresh session for the same seat instead of
 * ALREADY_SEATED, which is how an agent whose session expired comes back;
 * protocol versions compare numerically. Each request is one call of a
 * function of sql/010_v1_tables.sql (one transaction under the table's row
 * lock), and the session token is only ever stored as its SHA-256.
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

/*
 * Answer the result of v1_seat / v1_auto_join: the JoinResponse when the
 * agent has a seat (its seat, action timeout and ws_url as text), else the
 * refusal.
 */
static int answer(struct handler_ctx *ctx, struct request *req,
		  struct response *res, const char *result,
		  const char *table_id, const char *seat, const char *timeout,
		  const char *ws_url, const char *token)
{
	if (strcmp(result, "seated") == 0 || strcmp(result, "reissued") == 0)
		return v1_join_answer(ctx, res, table_id, atoi(seat), token,
				      atoi(timeout), ws_url);
	if (strcmp(result, "not_found") == 0)
		return v1_table_not_found(req, res);
	if (strcmp(result, "ended") == 0)
		return v1_fail(req, res, 400, "TABLE_ENDED",
			       "Cannot join a table that has ended");
	if (strcmp(result, "running") == 0)
		return v1_fail(req, res, 400, "INVALID_TABLE_STATE",
			       "Cannot join a table that is running: its "
			       "players are fixed once it starts");
	if (strcmp(result, "leaving") == 0)
		return v1_fail(req, res, 400, "INVALID_TABLE_STATE",
			       "You are leaving this table");
	return v1_fail(req, res, 400, "TABLE_FULL",
		       "No available seats at this table");
}

/*
 * Everything join and auto-join read before touching a table: the caller,
 * its body, the protocol version, the preferred seat. Returns 0 with *body
 * (caller puts) or -1 after answering.
 */
static int join_prelude(struct handler_ctx *ctx, struct request *req,
			struct response *res, PGconn **c,
			struct auth_agent *who, struct json_object **body,
			int *preferred)
{
	if (caller_authenticate(ctx, req, res, c, who) != 0)
		return -1;
	if (v1_body(req, res, body) != 0)
		return -1;
	if (v1_check_version(ctx, req, res, *body) == 0 &&
	    v1_preferred_seat(req, res, *body, preferred) == 0)
		return 0;
	json_object_put(*body);
	return -1;
}

int v1_tables_auto_join(struct handler_ctx *ctx, struct request *req,
			struct response *res)
{
	char pref_s[12], ttl_s[12], stale_s[12];
	struct v1_table_config cfg;
	struct v1_conf_text conf;
	struct json_object *body;
	struct v1_session session;
	struct auth_agent who;
	const char *bucket, *params[13];
	struct db_err err;
	int preferred, rc;
	PGresult *r;
	PGconn *c;

	if (join_prelude(ctx, req, res, &c, &who, &body, &preferred) != 0)
		return -1;
	if (v1_read_bucket(ctx, req, res, body, &bucket, &cfg) != 0 ||
	    v1_session_new(&session) != 0) {
		json_object_put(body);
		return res->status ? -1 : v1_fail(req, res, 500, "INTERNAL_ERROR",
						  "Internal server error");
	}
	snprintf(pref_s, sizeof pref_s, "%d", preferred);
	snprintf(ttl_s, sizeof ttl_s, "%d", ctx->cfg->v1_session_ttl_s);
	snprintf(stale_s, sizeof stale_s, "%d", ctx->cfg->heartbeat_stale_s);
	params[0] = bucket ? bucket : V1_BUCKET_DEFAULT;
	params[1] = who.id;
	params[2] = preferred >= 0 ? pref_s : NULL;
	params[3] = session.hash;
	params[4] = ttl_s;
	params[5] = stale_s;
	v1_conf_params(&cfg, &conf, params + 6);
	r = v1_call(c, QUERIES_V1_AUTO_JOIN, 13, params, &err);
	json_object_put(body);
	if (r == NULL || PQntuples(r) != 1) {
		PQclear(r);
		return caller_db_failed(c, req, res);
	}
	rc = answer(ctx, req, res, PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 1),
		    PQgetvalue(r, 0, 2), PQgetvalue(r, 0, 3), PQgetvalue(r, 0, 4),
		    session.token);
	PQclear(r);
	memset(&session, 0, sizeof session);
	return rc;
}

int v1_table_join(struct handler_ctx *ctx, struct request *req,
		  struct response *res)
{
	const char *id = request_param(req, "id"), *params[6];
	char pref_s[12], ttl_s[12], stale_s[12];
	struct json_object *body;
	struct v1_session session;
	struct auth_agent who;
	struct db_err err;
	int preferred, rc;
	PGresult *r;
	PGconn *c;

	if (join_prelude(ctx, req, res, &c, &who, &body, &preferred) != 0)
		return -1;
	json_object_put(body);
	if (!v1_uuid_ok(id))
		return v1_table_not_found(req, res);
	if (v1_session_new(&session) != 0)
		return v1_fail(req, res, 500, "INTERNAL_ERROR",
			       "Internal server error");
	snprintf(pref_s, sizeof pref_s, "%d", preferred);
	snprintf(ttl_s, sizeof ttl_s, "%d", ctx->cfg->v1_session_ttl_s);
	snprintf(stale_s, sizeof stale_s, "%d", ctx->cfg->heartbeat_stale_s);
	params[0] = id;
	params[1] = who.id;
	params[2] = preferred >= 0 ? pref_s : NULL;
	params[3] = session.hash;
	params[4] = ttl_s;
	params[5] = stale_s;
	r = v1_call(c, QUERIES_V1_JOIN, 6, params, &err);
	if (r == NULL || PQntuples(r) != 1) {
		PQclear(r);
		return caller_db_failed(c, req, res);
	}
	rc = answer(ctx, req, res, PQgetvalue(r, 0, 0), id, PQgetvalue(r, 0, 1),
		    PQgetvalue(r, 0, 2), PQgetvalue(r, 0, 3), session.token);
	PQclear(r);
	memset(&session, 0, sizeof session);
	return rc;
}

int v1_table_leave(struct handler_ctx *ctx, struct request *req,
		   struct response *res)
{
	const char *id = request_param(req, "id"), *params[2];
	struct auth_agent who;
	struct db_err err;
	const char *result;
	PGresult *r;
	PGconn *c;
	int rc;

	/* The body is ignored: MoltPoker clients send {} or nothing. */
	if (caller_authenticate(ctx, req, res, &c, &who) != 0)
		return -1;
	if (!v1_uuid_ok(id))
		return v1_table_not_found(req, res);
	params[0] = id;
	params[1] = who.id;
	r = v1_call(c, QUERIES_V1_LEAVE, 2, params, &err);
	if (r == NULL || PQntuples(r) != 1) {
		PQclear(r);
		return caller_db_failed(c, req, res);
	}
	result = PQgetvalue(r, 0, 0);
	if (strcmp(result, "not_found") == 0)
		rc = v1_table_not_found(req, res);
	else if (strcmp(result, "not_seated") == 0)
		rc = v1_fail(req, res, 400, "NOT_SEATED",
			     "You are not seated at this table");
	else if (strcmp(result, "ended") == 0)
		rc = v1_success(res, "Table already ended; leave is a no-op");
	else
		rc = v1_success(res, "Successfully left the table");
	PQclear(r);
	return rc;
}
