/*
 * v1_common.h — what the /v1 table endpoints share: MoltPoker's error
 * answers, ids, session tokens, the JoinResponse and the WebSocket URL.
 *
 * Error answers follow reference/moltpoker.md §3: {"error": {"code",
 * "message", "details"?}}, 400 for every refusal of a well-formed request
 * (VALIDATION_ERROR, TABLE_FULL, NOT_SEATED, ...), 404 TABLE_NOT_FOUND.
 * Each answering helper returns -1 so a handler can `return v1_...(...)`.
 */
#ifndef FELT_CGI_V1_COMMON_H
#define FELT_CGI_V1_COMMON_H

#include <stdbool.h>
#include <stddef.h>

#include <libpq-fe.h>

#include "core/db.h"
#include "core/token.h"
#include "handler.h"
#include "v1_tableconf.h"

#define V1_URL_MAX 512

/* v1_fail: answer status with code and message. Returns -1. */
int v1_fail(struct request *req, struct response *res, int status,
	    const char *code, const char *message);

/*
 * v1_invalid: 400 VALIDATION_ERROR, message "<field>: <why>" and details
 * [{"path": [field], "message": why}] (zod's issue shape). Returns -1.
 */
int v1_invalid(struct request *req, struct response *res, const char *field,
	       const char *why);

/* v1_success: 200 {"success": true, "message": message}. Returns 0. */
int v1_success(struct response *res, const char *message);

/* v1_table_not_found: 404 TABLE_NOT_FOUND. Returns -1. */
int v1_table_not_found(struct request *req, struct response *res);

/*
 * v1_body: the request body as a JSON object into *out (caller puts); an
 * empty body counts as {} (curl -X POST without -d). Returns 0, or -1
 * after answering 400 VALIDATION_ERROR.
 */
int v1_body(struct request *req, struct response *res,
	    struct json_object **out);

/*
 * v1_check_version: the body's client_protocol_version (a string, default
 * "0.1") against the oldest version felt supports, numerically. Returns 0
 * when supported; otherwise answers 400 VALIDATION_ERROR (not a version)
 * or OUTDATED_CLIENT (with min_supported_protocol_version and
 * skill_doc_url inside the error, as MoltPoker) and returns -1.
 */
int v1_check_version(struct handler_ctx *ctx, struct request *req,
		     struct response *res, struct json_object *body);

/*
 * v1_preferred_seat: the body's optional preferred_seat (an integer 0-9;
 * absent or null: -1) into *seat. Returns 0, or -1 after answering 400.
 */
int v1_preferred_seat(struct request *req, struct response *res,
		      struct json_object *body, int *seat);

/*
 * v1_read_bucket: the body's optional bucket_key (1-64 characters without
 * control characters; absent, null or "": *key = NULL) and the config of
 * the tables it stands for into *cfg: FELT_V1_* defaults, with the values
 * of the sb{S}_bb{B}_seats{N}_timeout{MS} form when it has it. *key points
 * into body. Returns 0, or -1 after answering 400 VALIDATION_ERROR.
 */
int v1_read_bucket(struct handler_ctx *ctx, struct request *req,
		   struct response *res, struct json_object *body,
		   const char **key, struct v1_table_config *cfg);

/*
 * v1_uuid_ok: s is a canonical uuid (8-4-4-4-12 hex digits). Ids in paths
 * are checked before any query: a malformed one is simply not found.
 */
bool v1_uuid_ok(const char *s);

/* A new session token and the hash the database keeps of it. */
struct v1_session {
	char token[TOKEN_SESSION_SIZE];
	char hash[TOKEN_HASH_SIZE];
};

/* v1_session_new: random token (token.h) and its hex SHA-256. 0 or -1. */
int v1_session_new(struct v1_session *s);

/*
 * v1_ws_url_default: the WebSocket URL of a table nobody owns yet:
 * FELT_PUBLIC_URL with http→ws, https→wss, and "/v1/ws" appended (felt-wsd
 * behind the same nginx). Into out (len bytes).
 */
void v1_ws_url_default(const char *public_url, char *out, size_t len);

/* v1_skill_url: "<FELT_PUBLIC_URL>/skill.md" into out (len bytes). */
void v1_skill_url(const struct handler_ctx *ctx, char *out, size_t len);

/*
 * v1_join_answer: 200 JoinResponse {table_id, seat_id, session_token,
 * ws_url, protocol_version, min_supported_protocol_version, skill_doc_url,
 * action_timeout_ms}; ws_url NULL or empty means the default. Returns 0.
 */
int v1_join_answer(struct handler_ctx *ctx, struct response *res,
		   const char *table_id, int seat, const char *token,
		   int action_timeout_ms, const char *ws_url);

/* A table config as the text parameters of the sql/010 functions. */
struct v1_conf_text {
	char sb[24], bb[24], seats[12], stack[24], timeout[12], min[12],
		delay[12];
};

/*
 * v1_conf_params: c as text into t, and pointers to it into params[0..6]
 * in the order of v1_table_create and v1_auto_join: small blind, big
 * blind, seats, stack, action timeout, min players, start delay.
 */
void v1_conf_params(const struct v1_table_config *c, struct v1_conf_text *t,
		    const char *params[7]);

/*
 * v1_call: db_exec_prepared of the statement called name (queries.h), run
 * again (up to 3 times) when PostgreSQL aborted it as a deadlock or
 * serialization failure. For the single-statement functions of
 * sql/010_v1_tables.sql, whose failed attempt left nothing behind.
 * Returns the result (caller PQclears) or NULL with err filled.
 */
PGresult *v1_call(PGconn *c, const char *name, int n,
		  const char *const *params, struct db_err *err);

#endif
