/*
 * api_agents.c — Open Poker accounts: register, me, patch me, regenerate
 * key (seed 000 "Registration"; reference/openpoker.md §10.1).
 *
 * Uniqueness of name, email and wallet is decided by the database's unique
 * indexes at INSERT/UPDATE time (23505 + index name -> which field), never
 * by a look-up first: two registrations racing for one name cannot both
 * win.
 */
#include <stdbool.h>
#include <string.h>

#include "api_handlers.h"
#include "caller.h"
#include "core/db.h"
#include "money/money.h"
#include "profile.h"
#include "queries.h"

/* Column order of QUERIES_AGENT_PROFILE / QUERIES_AGENT_UPDATE. */
enum { P_ID, P_EMAIL, P_NAME, P_WALLET, P_AVATAR, P_BALANCE, P_CREATED };

static struct json_object *text_or_null(const PGresult *r, int row, int col)
{
	if (PQgetisnull(r, row, col))
		return NULL;
	return json_object_new_string(PQgetvalue(r, row, col));
}

/* The GET /api/me body from one profile row. */
static struct json_object *profile_json(const PGresult *r)
{
	struct json_object *o = json_object_new_object();
	int64_t balance_ucents = 0;

	db_value_int64(r, 0, P_BALANCE, &balance_ucents);
	json_object_object_add(o, "agent_id", text_or_null(r, 0, P_ID));
	json_object_object_add(o, "email", text_or_null(r, 0, P_EMAIL));
	json_object_object_add(o, "name", text_or_null(r, 0, P_NAME));
	json_object_object_add(o, "wallet_address", text_or_null(r, 0, P_WALLET));
	json_object_object_add(o, "avatar_url", text_or_null(r, 0, P_AVATAR));
	json_object_object_add(o, "balance", money_json_dollars(balance_ucents));
	json_object_object_add(o, "balance_ucents",
			       json_object_new_int64(balance_ucents));
	json_object_object_add(o, "created_at", text_or_null(r, 0, P_CREATED));
	return o;
}

/* 200 with the profile row of r (which it PQclears), or 404 when the
 * agent was deleted between authentication and the query. */
static int answer_profile(PGresult *r, struct request *req,
			  struct response *res)
{
	int rc;

	if (PQntuples(r) != 1) {
		PQclear(r);
		response_error(res, req->path, 404, NULL, "Agent not found", NULL);
		return -1;
	}
	rc = response_json(res, 200, profile_json(r));
	PQclear(r);
	return rc;
}

/* 409 naming the taken field, or the generic database failure. */
static int write_failed(PGconn *c, struct request *req, struct response *res,
			const struct db_err *err)
{
	const char *taken = profile_conflict(err);

	if (taken != NULL) {
		response_error(res, req->path, 409, "CONFLICT", taken, NULL);
		return -1;
	}
	return caller_db_failed(c, req, res);
}

/*
 * terms_accepted is optional; when sent it must be the boolean true.
 * Open Poker answers a refusal with 400 and this wording.
 */
static int check_terms(struct json_object *body, struct request *req,
		       struct response *res)
{
	struct json_object *v;

	if (!json_object_object_get_ex(body, "terms_accepted", &v))
		return 0;
	if (v == NULL || !json_object_is_type(v, json_type_boolean)) {
		response_error(res, req->path, 422, NULL,
			       "terms_accepted: must be a boolean", NULL);
		return -1;
	}
	if (!json_object_get_boolean(v)) {
		response_error(res, req->path, 400, NULL,
			       "You must accept the Terms of Service", NULL);
		return -1;
	}
	return 0;
}

int api_register(struct handler_ctx *ctx, struct request *req,
		 struct response *res)
{
	struct json_object *body, *out;
	struct profile_input in;
	struct auth_new_key key;
	struct db_err err;
	char msg[PROFILE_MSG_SIZE];
	const char *params[7];
	PGresult *r;
	PGconn *c;

	if (handler_json_body(req, res, &body) != 0)
		return -1;
	if (check_terms(body, req, res) != 0)
		goto refused;
	if (profile_parse(body,
			  PROFILE_NAME | PROFILE_EMAIL | PROFILE_WALLET |
				  PROFILE_AVATAR,
			  PROFILE_NAME | PROFILE_EMAIL, &in, msg) != 0) {
		response_error(res, req->path, 422, NULL, msg, NULL);
		goto refused;
	}
	c = handler_db(ctx, req, res);
	if (c == NULL)
		goto refused;
	if (auth_new_key(AUTH_KEY_OP, &key) != AUTH_OK) {
		caller_db_failed(c, req, res);
		goto refused;
	}
	params[0] = in.name;
	params[1] = in.email;
	params[2] = in.wallet;
	params[3] = in.avatar_url;
	params[4] = key.hash;
	params[5] = key.prefix;
	params[6] = in.name_key;
	r = db_exec_prepared(c, QUERIES_AGENT_INSERT, 7, params, &err);
	if (r == NULL) {
		write_failed(c, req, res, &err);
		goto refused;
	}
	out = json_object_new_object();
	json_object_object_add(out, "agent_id",
			       json_object_new_string(PQgetvalue(r, 0, 0)));
	json_object_object_add(out, "api_key", json_object_new_string(key.key));
	json_object_object_add(out, "email", json_object_new_string(in.email));
	json_object_object_add(out, "name", json_object_new_string(in.name));
	json_object_object_add(out, "wallet_address",
			       in.wallet ? json_object_new_string(in.wallet)
					 : NULL);
	PQclear(r);
	json_object_put(body);
	memset(&key, 0, sizeof key);
	return response_json(res, 201, out);

refused:
	json_object_put(body);
	return -1;
}

int api_me_get(struct handler_ctx *ctx, struct request *req,
	       struct response *res)
{
	struct auth_agent who;
	const char *params[1];
	struct db_err err;
	PGresult *r;
	PGconn *c;

	if (caller_authenticate(ctx, req, res, &c, &who) != 0)
		return -1;
	params[0] = who.id;
	r = db_exec_prepared(c, QUERIES_AGENT_PROFILE, 1, params, &err);
	if (r == NULL)
		return caller_db_failed(c, req, res);
	return answer_profile(r, req, res);
}

int api_me_patch(struct handler_ctx *ctx, struct request *req,
		 struct response *res)
{
	struct json_object *body;
	struct profile_input in;
	struct auth_agent who;
	struct db_err err;
	char msg[PROFILE_MSG_SIZE];
	const char *params[7];
	PGresult *r;
	PGconn *c;

	if (caller_authenticate(ctx, req, res, &c, &who) != 0)
		return -1;
	if (handler_json_body(req, res, &body) != 0)
		return -1;
	/* The seed's PATCH /me takes name, wallet_address and avatar_url; the
	 * email is fixed at registration.  Ignoring it would answer 200 to a
	 * client that believes it changed. */
	if (json_object_object_get_ex(body, "email", NULL)) {
		response_error(res, req->path, 422, NULL,
			       "email: cannot be changed", NULL);
		json_object_put(body);
		return -1;
	}
	if (profile_parse(body, PROFILE_NAME | PROFILE_WALLET | PROFILE_AVATAR,
			  0, &in, msg) != 0) {
		response_error(res, req->path, 422, NULL, msg, NULL);
		json_object_put(body);
		return -1;
	}
	params[0] = who.id;
	params[1] = in.name;
	params[2] = (in.present & PROFILE_WALLET) ? "true" : "false";
	params[3] = in.wallet;
	params[4] = (in.present & PROFILE_AVATAR) ? "true" : "false";
	params[5] = in.avatar_url;
	params[6] = in.name_key;
	r = db_exec_prepared(c, QUERIES_AGENT_UPDATE, 7, params, &err);
	json_object_put(body);
	if (r == NULL)
		return write_failed(c, req, res, &err);
	return answer_profile(r, req, res);
}

int api_me_regenerate_key(struct handler_ctx *ctx, struct request *req,
			  struct response *res)
{
	char old_hash[TOKEN_HASH_SIZE];
	struct auth_agent who;
	struct auth_new_key key;
	struct json_object *out;
	const char *params[4];
	struct db_err err;
	PGresult *r;
	PGconn *c;

	if (caller_authenticate(ctx, req, res, &c, &who) != 0)
		return -1;
	if (auth_key_hash(request_bearer(req), old_hash) != AUTH_OK ||
	    auth_new_key(AUTH_KEY_OP, &key) != AUTH_OK)
		return caller_db_failed(c, req, res);
	params[0] = who.id;
	params[1] = key.hash;
	params[2] = key.prefix;
	params[3] = old_hash;
	r = db_exec_prepared(c, QUERIES_AGENT_REKEY, 4, params, &err);
	if (r == NULL)
		return caller_db_failed(c, req, res);
	/* Another request rotated this key between our look-up and the
	 * update: the key we were called with is no longer valid, and the
	 * key we made was never stored, so it must not be handed out. */
	if (PQntuples(r) != 1) {
		PQclear(r);
		memset(&key, 0, sizeof key);
		return caller_unauthorized(req, res, AUTH_EUNKNOWN);
	}
	PQclear(r);
	out = json_object_new_object();
	json_object_object_add(out, "api_key", json_object_new_string(key.key));
	memset(&key, 0, sizeof key);
	return response_json(res, 200, out);
}
