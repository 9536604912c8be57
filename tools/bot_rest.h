/*
 * bot_rest — the REST bodies felt-bot sends and the answers it reads:
 * registration (/v1/agents, /api/register), auto-join (/v1/tables/auto-join)
 * and the error bodies of both surfaces.  Pure: strings in, strings out.
 */
#ifndef FELT_BOT_REST_H
#define FELT_BOT_REST_H

#include <stddef.h>

#define BOT_REST_KEY_MAX 160
#define BOT_REST_ID_MAX 80
#define BOT_REST_TOKEN_MAX 512
#define BOT_REST_URL_MAX 512

struct bot_join {
	char table_id[BOT_REST_ID_MAX];
	int seat_id;
	char session_token[BOT_REST_TOKEN_MAX];
	char ws_url[BOT_REST_URL_MAX];
};

/*
 * bot_rest_register_body — the registration body for agent name into buf:
 * {"name": name} for /v1/agents (email NULL), or {"name", "email",
 * "terms_accepted": true} for /api/register.  Returns 0, or -1 if it did
 * not fit.
 */
int bot_rest_register_body(const char *name, const char *email, char *buf, size_t len);

/*
 * bot_rest_parse_register — agent_id and api_key of a registration answer
 * (both surfaces answer {agent_id, api_key, ...}).  Returns 0, or -1 if the
 * body is not JSON or lacks them (or they are too long).
 */
int bot_rest_parse_register(const char *body, size_t len, char agent_id[BOT_REST_ID_MAX],
			    char api_key[BOT_REST_KEY_MAX]);

/* bot_rest_join_body — {"client_protocol_version":"0.1","bucket_key":bucket} into buf;
 * 0 or -1. */
int bot_rest_join_body(const char *bucket, char *buf, size_t len);

/*
 * bot_rest_parse_join — the JoinResponse fields felt-bot needs (seed 004:
 * table_id, seat_id, session_token, ws_url).  Returns 0, or -1 if the body
 * is not JSON, lacks one of them, or one is too long.
 */
int bot_rest_parse_join(const char *body, size_t len, struct bot_join *out);

/*
 * bot_rest_error_code — a short name for an error answer into code (size
 * len): error.code of a /v1 body, "detail" text of an /api body (cut at
 * len), else "HTTP_<status>".  Always fills code.
 */
void bot_rest_error_code(int status, const char *body, size_t blen, char *code, size_t len);

#endif
