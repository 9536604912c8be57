/*
 * caller.h — who is calling felt-api: the authentication step every
 * authenticated handler starts with.
 *
 * A handler asks for the caller (and gets the thread's connection with it);
 * when there is no valid key the response has already been answered: 401
 * in the path's dialect (/api {"detail"}, /v1 {"error":{"code":
 * "UNAUTHORIZED"}}), 403 for a platform-only endpoint called by anyone
 * else, 503 when PostgreSQL is unreachable.
 */
#ifndef FELT_CGI_CALLER_H
#define FELT_CGI_CALLER_H

#include <libpq-fe.h>

#include "core/auth.h"
#include "handler.h"

/*
 * caller_authenticate: the agent behind req's Authorization key
 * ("Bearer <key>", scheme case-insensitive, or the bare key), into *who,
 * and this thread's connection into *conn (owned by ctx). Returns 0, or -1
 * after answering res (401/503).
 */
int caller_authenticate(struct handler_ctx *ctx, struct request *req,
			struct response *res, PGconn **conn,
			struct auth_agent *who);

/*
 * caller_unauthorized: answer 401 for an auth_error (AUTH_EMISSING,
 * AUTH_EMALFORMED, AUTH_EUNKNOWN) in the path's dialect, with a
 * WWW-Authenticate header. Always returns -1.
 */
int caller_unauthorized(struct request *req, struct response *res, int err);

/*
 * caller_platform: caller_authenticate, then 403 unless the caller is the
 * platform agent (DESIGN §7). Returns 0, or -1 after answering res.
 */
int caller_platform(struct handler_ctx *ctx, struct request *req,
		    struct response *res, PGconn **conn,
		    struct auth_agent *who);

/*
 * caller_db_failed: answer a failed query in the path's dialect: 503 when
 * the connection is gone (PostgreSQL restarting), 500 otherwise, without
 * the server's message (which may describe the schema). Always returns -1
 * so handlers can `return caller_db_failed(...)`.
 */
int caller_db_failed(PGconn *conn, struct request *req, struct response *res);

#endif
