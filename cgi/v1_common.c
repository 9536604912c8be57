/*
 * v1_common.c — shared pieces of the /v1 table endpoints (see v1_common.h).
 */
#include "v1_common.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/hash.h"
#include "core/json.h"
#include "v1_tableconf.h"

#define V1_CALL_TRIES 3

int v1_fail(struct request *req, struct response *res, int status,
	    const char *code, const char *message)
{
	response_error(res, req->path, status, code, message, NULL);
	return -1;
}

int v1_invalid(struct request *req, struct response *res, const char *field,
	       const char *why)
{
	struct json_object *details = json_object_new_array();
	struct json_object *issue = json_object_new_object();
	struct json_object *path = json_object_new_array();
	char msg[256];

	json_object_array_add(path, json_object_new_string(field));
	json_object_object_add(issue, "path", path);
	json_object_object_add(issue, "message", json_object_new_string(why));
	json_object_array_add(details, issue);
	snprintf(msg, sizeof msg, "%s: %s", field, why);
	response_error(res, req->path, 400, "VALIDATION_ERROR", msg, details);
	return -1;
}

int v1_success(struct response *res, const char *message)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "success", json_object_new_boolean(1));
	json_object_object_add(o, "message", json_object_new_string(message));
	return response_json(res, 200, o);
}

int v1_table_not_found(struct request *req, struct response *res)
{
	return v1_fail(req, res, 404, "TABLE_NOT_FOUND", "Table not found");
}

int v1_body(struct request *req, struct response *res,
	    struct json_object **out)
{
	size_t i;

	for (i = 0; req->body && i < req->body_len; i++)
		if (strchr(" \t\r\n", req->body[i]) == NULL)
			break;
	if (req->body == NULL || i == req->body_len) {
		*out = json_object_new_object();
		return 0;
	}
	return handler_json_body(req, res, out);
}

int v1_check_version(struct handler_ctx *ctx, struct request *req,
		     struct response *res, struct json_object *body)
{
	struct json_object *root, *err;
	const char *version = NULL;
	char url[V1_URL_MAX];
	int rc = json_get_string(body, "client_protocol_version", &version);
	int cmp;

	if (rc == JSON_ERR_MISSING || rc == JSON_ERR_NULL ||
	    (rc == JSON_OK && version[0] == '\0'))
		return 0; /* MoltPoker's default: the current version */
	if (rc != JSON_OK)
		return v1_invalid(req, res, "client_protocol_version",
				  "must be a string");
	if (v1_version_cmp(version, V1_MIN_PROTOCOL_VERSION, &cmp) != V1_CONF_OK)
		return v1_invalid(req, res, "client_protocol_version",
				  "must be a version number such as \"0.1\"");
	if (cmp >= 0)
		return 0;
	v1_skill_url(ctx, url, sizeof url);
	err = json_object_new_object();
	json_object_object_add(err, "code",
			       json_object_new_string("OUTDATED_CLIENT"));
	json_object_object_add(err, "message", json_object_new_string(
		"Your client protocol version is outdated; read the skill "
		"document for the current protocol"));
	json_object_object_add(err, "min_supported_protocol_version",
			       json_object_new_string(V1_MIN_PROTOCOL_VERSION));
	json_object_object_add(err, "skill_doc_url", json_object_new_string(url));
	root = json_object_new_object();
	json_object_object_add(root, "error", err);
	response_json(res, 400, root);
	return -1;
}

int v1_preferred_seat(struct request *req, struct response *res,
		      struct json_object *body, int *seat)
{
	int64_t v;
	int rc = json_get_int64(body, "preferred_seat", &v);

	*seat = -1;
	if (rc == JSON_ERR_MISSING || rc == JSON_ERR_NULL)
		return 0;
	if (rc != JSON_OK || v < 0 || v > 9)
		return v1_invalid(req, res, "preferred_seat",
				  "must be an integer between 0 and 9");
	*seat = (int)v;
	return 0;
}

int v1_read_bucket(struct handler_ctx *ctx, struct request *req,
		   struct response *res, struct json_object *body,
		   const char **key, struct v1_table_config *cfg)
{
	int rc = json_get_string(body, "bucket_key", key);
	char msg[256];

	*cfg = ctx->cfg->v1_table;
	if (rc == JSON_ERR_MISSING || rc == JSON_ERR_NULL ||
	    (rc == JSON_OK && (*key)[0] == '\0')) {
		*key = NULL;
		return 0;
	}
	if (rc != JSON_OK || !v1_bucket_key_ok(*key, strlen(*key)))
		return v1_invalid(req, res, "bucket_key",
				  "must be a string of 1-64 characters "
				  "without control characters");
	if (v1_bucket_parse(*key, &ctx->cfg->v1_table, cfg, msg, sizeof msg) < 0)
		return v1_invalid(req, res, "bucket_key",
				  msg + strlen("bucket_key: "));
	return 0;
}

bool v1_uuid_ok(const char *s)
{
	static const char shape[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
	size_t i;

	if (s == NULL || strlen(s) != sizeof shape - 1)
		return false;
	for (i = 0; shape[i]; i++)
		if (shape[i] == '-' ? s[i] != '-'
				    : !isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

int v1_session_new(struct v1_session *s)
{
	if (token_session(s->token) != TOKEN_OK)
		return -1;
	hash_sha256_hex(s->token, strlen(s->token), s->hash);
	return 0;
}

void v1_ws_url_default(const char *public_url, char *out, size_t len)
{
	const char *rest = public_url, *scheme = "ws://";
	size_t n;

	if (strncmp(public_url, "https://", 8) == 0) {
		scheme = "wss://";
		rest = public_url + 8;
	} else if (strncmp(public_url, "http://", 7) == 0) {
		rest = public_url + 7;
	}
	n = strlen(rest);
	while (n > 0 && rest[n - 1] == '/')
		n--;
	snprintf(out, len, "%s%.*s/v1/ws", scheme, (int)n, rest);
}

void v1_skill_url(const struct handler_ctx *ctx, char *out, size_t len)
{
	const char *base = ctx->cfg->public_url;
	size_t n = strlen(base);

	while (n > 0 && base[n - 1] == '/')
		n--;
	snprintf(out, len, "%.*s/skill.md", (int)n, base);
}

int v1_join_answer(struct handler_ctx *ctx, struct response *res,
		   const char *table_id, int seat, const char *token,
		   int action_timeout_ms, const char *ws_url)
{
	struct json_object *o = json_object_new_object();
	char url[V1_URL_MAX], skill[V1_URL_MAX];

	if (ws_url == NULL || ws_url[0] == '\0') {
		v1_ws_url_default(ctx->cfg->public_url, url, sizeof url);
		ws_url = url;
	}
	v1_skill_url(ctx, skill, sizeof skill);
	json_object_object_add(o, "table_id", json_object_new_string(table_id));
	json_object_object_add(o, "seat_id", json_object_new_int(seat));
	json_object_object_add(o, "session_token", json_object_new_string(token));
	json_object_object_add(o, "ws_url", json_object_new_string(ws_url));
	json_object_object_add(o, "protocol_version",
			       json_object_new_string(V1_PROTOCOL_VERSION));
	json_object_object_add(o, "min_supported_protocol_version",
			       json_object_new_string(V1_MIN_PROTOCOL_VERSION));
	json_object_object_add(o, "skill_doc_url", json_object_new_string(skill));
	json_object_object_add(o, "action_timeout_ms",
			       json_object_new_int(action_timeout_ms));
	return response_json(res, 200, o);
}

void v1_conf_params(const struct v1_table_config *c, struct v1_conf_text *t,
		    const char *params[7])
{
	snprintf(t->sb, sizeof t->sb, "%lld", (long long)c->small_blind_chips);
	snprintf(t->bb, sizeof t->bb, "%lld", (long long)c->big_blind_chips);
	snprintf(t->seats, sizeof t->seats, "%d", c->max_seats);
	snprintf(t->stack, sizeof t->stack, "%lld",
		 (long long)c->initial_stack_chips);
	snprintf(t->timeout, sizeof t->timeout, "%d", c->action_timeout_ms);
	snprintf(t->min, sizeof t->min, "%d", c->min_players);
	snprintf(t->delay, sizeof t->delay, "%d", c->start_delay_ms);
	params[0] = t->sb;
	params[1] = t->bb;
	params[2] = t->seats;
	params[3] = t->stack;
	params[4] = t->timeout;
	params[5] = t->min;
	params[6] = t->delay;
}

PGresult *v1_call(PGconn *c, const char *name, int n,
		  const char *const *params, struct db_err *err)
{
	PGresult *r = NULL;

	for (int i = 0; i < V1_CALL_TRIES; i++) {
		r = db_exec_prepared(c, name, n, params, err);
		if (r != NULL || err->code != DB_ERR_RETRY)
			break;
	}
	return r;
}
