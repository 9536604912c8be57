/*
 * v1_agents.c — POST /v1/agents, MoltPoker registration (seed 004;
 * reference/moltpoker.md §3): {"name"?, "metadata"?} -> 201 {agent_id,
 * api_key ("mpk_" + 64 hex), protocol_version, skill_doc_url}.
 *
 * MoltPoker names are free text (1-50 characters) and not unique, while
 * felt's agents share one case-insensitive name space with Open Poker
 * registrations. So a /v1 name that is taken gets a short random suffix
 * instead of a 409 a MoltPoker bot would not expect; agent_id is the
 * identity on this surface, the name is only displayed.
 */
#include <stdio.h>
#include <string.h>

#include "api_handlers.h"
#include "caller.h"
#include "core/db.h"
#include "queries.h"
#include "core/token.h"

#define V1_PROTOCOL_VERSION "0.1"
#define V1_NAME_MAX 50         /* characters, as MoltPoker's schema */
#define V1_METADATA_MAX 4096   /* bytes of serialized metadata */
#define V1_NAME_TRIES 4        /* suffixed names tried after a clash */

/* A 400 VALIDATION_ERROR, MoltPoker's answer to any bad body. */
static int invalid(struct request *req, struct response *res, const char *msg)
{
	response_error(res, req->path, 400, "VALIDATION_ERROR", msg, NULL);
	return -1;
}

/*
 * 1..50 characters of valid UTF-8 (json-c only hands over valid UTF-8,
 * but a NUL would truncate) without control characters, which would
 * otherwise end up in logs and spectator pages.
 */
static int v1_name_ok(struct json_object *v)
{
	const unsigned char *s = (const unsigned char *)json_object_get_string(v);
	size_t len = (size_t)json_object_get_string_len(v), chars = 0;

	if (len != strlen((const char *)s))
		return 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < 0x20 || s[i] == 0x7f)
			return 0;
		if ((s[i] & 0xc0) != 0x80)
			chars++;
	}
	return chars >= 1 && chars <= V1_NAME_MAX;
}

/* "agent_" + 8 random hex digits: names for agents that sent none, and
 * the suffix for names already taken. */
static int random_hex(char *out, size_t nbytes)
{
	unsigned char b[8];

	if (nbytes > sizeof b || token_random(b, nbytes) != TOKEN_OK)
		return -1;
	for (size_t i = 0; i < nbytes; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
	return 0;
}

static int read_body(struct json_object *body, struct request *req,
		     struct response *res, const char **name,
		     const char **metadata)
{
	struct json_object *v;

	*name = NULL;
	*metadata = NULL;
	if (json_object_object_get_ex(body, "name", &v)) {
		if (v == NULL || !json_object_is_type(v, json_type_string))
			return invalid(req, res, "name: must be a string");
		if (!v1_name_ok(v))
			return invalid(req, res,
				       "name: must be 1-50 characters without "
				       "control characters");
		*name = json_object_get_string(v);
	}
	if (json_object_object_get_ex(body, "metadata", &v)) {
		if (v == NULL || !json_object_is_type(v, json_type_object))
			return invalid(req, res, "metadata: must be an object");
		*metadata = json_object_to_json_string_ext(
			v, JSON_C_TO_STRING_PLAIN);
		if (strlen(*metadata) > V1_METADATA_MAX)
			return invalid(req, res,
				       "metadata: at most 4096 bytes of JSON");
	}
	return 0;
}

/*
 * Insert the agent under name, or under name + "_" + 8 hex digits when
 * the name is taken (32 random bits: nobody can pre-register every
 * suffix of a name to lock others out of it). Returns the insert result
 * (caller PQclears) or NULL with err filled.
 */
static PGresult *insert_agent(PGconn *c, const char *name,
			      const char *metadata,
			      const struct auth_new_key *key,
			      struct db_err *err)
{
	char alt[V1_NAME_MAX * 4 + 16];
	const char *params[7];
	PGresult *r;

	params[0] = name;
	params[1] = NULL; /* email: MoltPoker agents have none */
	params[2] = NULL;
	params[3] = NULL;
	params[4] = key->hash;
	params[5] = key->prefix;
	params[6] = metadata;
	for (int attempt = 0;; attempt++) {
		char suffix[9];

		r = db_exec_prepared(c, QUERIES_AGENT_INSERT_V1, 7, params, err);
		if (r != NULL || err->code != DB_ERR_UNIQUE ||
		    strcmp(err->constraint, "agents_name_key") != 0 ||
		    attempt == V1_NAME_TRIES)
			return r;
		if (random_hex(suffix, 4) != 0)
			return NULL;
		snprintf(alt, sizeof alt, "%s_%s", name, suffix);
		params[0] = alt;
	}
}

int v1_agents_create(struct handler_ctx *ctx, struct request *req,
		     struct response *res)
{
	struct json_object *body, *out;
	struct auth_new_key key;
	char generated[16], url[512];
	const char *name, *metadata;
	struct db_err err;
	PGresult *r;
	PGconn *c;

	if (handler_json_body(req, res, &body) != 0)
		return -1;
	if (read_body(body, req, res, &name, &metadata) != 0)
		goto refused;
	if (name == NULL) {
		memcpy(generated, "agent_", 6);
		if (random_hex(generated + 6, 4) != 0)
			goto failed;
		name = generated;
	}
	c = handler_db(ctx, req, res);
	if (c == NULL)
		goto refused;
	if (auth_new_key(AUTH_KEY_MPK, &key) != AUTH_OK)
		goto failed;
	r = insert_agent(c, name, metadata, &key, &err);
	if (r == NULL && err.code == DB_ERR_UNIQUE &&
	    strcmp(err.constraint, "agents_name_key") == 0) {
		/* Every suffixed name was taken too: astronomically unlikely,
		 * but the client's to fix, not a server error. */
		response_error(res, req->path, 409, "CONFLICT",
			       "name: taken, choose another", NULL);
		goto refused;
	}
	if (r == NULL) {
		caller_db_failed(c, req, res);
		goto refused;
	}
	snprintf(url, sizeof url, "%s/skill.md", ctx->cfg->public_url);
	out = json_object_new_object();
	json_object_object_add(out, "agent_id",
			       json_object_new_string(PQgetvalue(r, 0, 0)));
	json_object_object_add(out, "api_key", json_object_new_string(key.key));
	json_object_object_add(out, "protocol_version",
			       json_object_new_string(V1_PROTOCOL_VERSION));
	json_object_object_add(out, "skill_doc_url", json_object_new_string(url));
	PQclear(r);
	json_object_put(body);
	memset(&key, 0, sizeof key);
	return response_json(res, 201, out);

failed:
	response_error(res, req->path, 500, "INTERNAL_ERROR",
		       "Internal server error", NULL);
refused:
	json_object_put(body);
	return -1;
}
