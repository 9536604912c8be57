/*
 * v1_agents.c — POST /v1/agents, MoltPoker registration (seed 004;
 * reference/moltpoker.md §3): {"name"?, "metadata"?} -> 201 {agent_id,
 * api_key ("mpk_" + 64 hex), name, protocol_version, skill_doc_url}.
 *
 * Names follow lib/core/name.h: trimmed, no control, format or invisible
 * characters, not blank, not shaped like an agent id, 1-50 characters;
 * they are unique by their confusable key (the same name, 'Bob', 'ｂｏｂ' or
 * Cyrillic 'bоb' count as one) across both surfaces. MoltPoker names are
 * not unique, and a bot registering twice under one name must keep
 * working, so a /v1 name whose key is taken is stored with a short random
 * suffix instead of a 409 a MoltPoker bot would not expect. The 201 says
 * so: its "name" is the name as stored (trimmed, NFC, suffixed), a field
 * MoltPoker's response lacks and its clients ignore. agent_id is the
 * identity on this surface; the name is only displayed.
 */
#include <stdio.h>
#include <string.h>

#include "api_handlers.h"
#include "caller.h"
#include "core/db.h"
#include "core/name.h"
#include "core/token.h"
#include "queries.h"

#define V1_PROTOCOL_VERSION "0.1"
#define V1_NAME_MAX 50         /* characters, as MoltPoker's schema */
#define V1_METADATA_MAX 4096   /* bytes of serialized metadata */
#define V1_METADATA_DEPTH 8    /* levels of nesting inside metadata */
#define V1_NAME_TRIES 4        /* suffixed names tried after a clash */

/* A 400 VALIDATION_ERROR, MoltPoker's answer to any bad body. */
static int invalid(struct request *req, struct response *res, const char *msg)
{
	response_error(res, req->path, 400, "VALIDATION_ERROR", msg, NULL);
	return -1;
}

/* Levels of nesting of v: 0 for a scalar, 1 for {} or [] of scalars. */
static int depth_of(struct json_object *v)
{
	int deepest = 0;

	if (json_object_is_type(v, json_type_object)) {
		json_object_object_foreach(v, key, child) {
			int d = depth_of(child);

			(void)key;
			if (d > deepest)
				deepest = d;
		}
		return deepest + 1;
	}
	if (json_object_is_type(v, json_type_array)) {
		size_t n = json_object_array_length(v);

		for (size_t i = 0; i < n; i++) {
			int d = depth_of(json_object_array_get_idx(v, i));

			if (d > deepest)
				deepest = d;
		}
		return deepest + 1;
	}
	return 0;
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

/* What a registration asks for. name->name[0] is '\0' when no name was
 * sent; metadata is NULL when absent. */
static int read_body(struct json_object *body, struct request *req,
		     struct response *res, struct name_checked *name,
		     const char **metadata)
{
	struct json_object *v;
	char msg[128];
	int rc;

	name->name[0] = '\0';
	*metadata = NULL;
	if (json_object_object_get_ex(body, "name", &v)) {
		if (v == NULL || !json_object_is_type(v, json_type_string))
			return invalid(req, res, "name: must be a string");
		rc = name_check(json_object_get_string(v),
				(size_t)json_object_get_string_len(v),
				V1_NAME_MAX, name);
		if (rc == NAME_ELENGTH)
			return invalid(req, res, "name: must be at most 50 characters");
		if (rc != NAME_OK) {
			snprintf(msg, sizeof msg, "name: %s", name_strerror(rc));
			return invalid(req, res, msg);
		}
	}
	if (json_object_object_get_ex(body, "metadata", &v)) {
		if (v == NULL || !json_object_is_type(v, json_type_object))
			return invalid(req, res, "metadata: must be an object");
		if (depth_of(v) > V1_METADATA_DEPTH)
			return invalid(req, res,
				       "metadata: at most 8 levels of nesting");
		*metadata = json_object_to_json_string_ext(
			v, JSON_C_TO_STRING_PLAIN);
		if (strlen(*metadata) > V1_METADATA_MAX)
			return invalid(req, res,
				       "metadata: at most 4096 bytes of JSON");
	}
	return 0;
}

static bool name_taken(const struct db_err *err)
{
	return err->code == DB_ERR_UNIQUE &&
	       (strcmp(err->constraint, "agents_name_key") == 0 ||
		strcmp(err->constraint, "agents_name_skeleton_key") == 0);
}

/*
 * Insert the agent under name, or under name + "_" + 8 hex digits when
 * the name (or one that looks like it) is taken: 32 random bits, so
 * nobody can pre-register every suffix of a name to lock others out of
 * it. name is updated to what was stored. Returns the insert result
 * (caller PQclears) or NULL with err filled.
 */
static PGresult *insert_agent(PGconn *c, struct name_checked *name,
			      const char *metadata,
			      const struct auth_new_key *key,
			      struct db_err *err)
{
	struct name_checked alt;
	const char *params[8];
	PGresult *r;

	params[0] = name->name;
	params[1] = NULL; /* email: MoltPoker agents have none */
	params[2] = NULL;
	params[3] = NULL;
	params[4] = key->hash;
	params[5] = key->prefix;
	params[6] = name->key;
	params[7] = metadata;
	for (int attempt = 0;; attempt++) {
		char suffix[9];

		r = db_exec_prepared(c, QUERIES_AGENT_INSERT_V1, 8, params, err);
		if (r != NULL) {
			if (attempt > 0)
				*name = alt;
			return r;
		}
		if (!name_taken(err) || attempt == V1_NAME_TRIES)
			return NULL;
		if (random_hex(suffix, 4) != 0)
			return NULL;
		snprintf(alt.name, sizeof alt.name, "%s_%s", name->name, suffix);
		if (name_key(alt.name, alt.key, sizeof alt.key) != NAME_OK) {
			*err = (struct db_err){ .code = DB_ERR_ARG };
			return NULL;
		}
		params[0] = alt.name;
		params[6] = alt.key;
	}
}

int v1_agents_create(struct handler_ctx *ctx, struct request *req,
		     struct response *res)
{
	struct json_object *body, *out;
	struct name_checked name;
	struct auth_new_key key;
	char url[512];
	const char *metadata;
	struct db_err err;
	PGresult *r;
	PGconn *c;

	if (handler_json_body(req, res, &body) != 0)
		return -1;
	if (read_body(body, req, res, &name, &metadata) != 0)
		goto refused;
	if (name.name[0] == '\0') {
		memcpy(name.name, "agent_", 6);
		if (random_hex(name.name + 6, 4) != 0 ||
		    name_key(name.name, name.key, sizeof name.key) != NAME_OK)
			goto failed;
	}
	c = handler_db(ctx, req, res);
	if (c == NULL)
		goto refused;
	if (auth_new_key(AUTH_KEY_MPK, &key) != AUTH_OK)
		goto failed;
	r = insert_agent(c, &name, metadata, &key, &err);
	if (r == NULL && name_taken(&err)) {
		/* Every suffixed name was taken too: astronomically unlikely,
		 * but the client's to fix, not a server error. */
		response_error(res, req->path, 409, "CONFLICT",
			       "name: taken, choose another", NULL);
		goto refused;
	}
	if (r == NULL && err.code == DB_ERR_CHECK &&
	    strcmp(err.constraint, "agents_metadata_size") == 0) {
		/* PostgreSQL writes numbers out in full: 1e300 takes 301
		 * bytes there, so a body within 4096 bytes can still be too
		 * large once stored. */
		invalid(req, res, "metadata: too large once stored (8192 bytes)");
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
	json_object_object_add(out, "name", json_object_new_string(name.name));
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
