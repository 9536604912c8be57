/*
 * caller.c — API key authentication for handlers (see caller.h).
 */
#include "caller.h"

#include "core/db.h"

int caller_authenticate(struct handler_ctx *ctx, struct request *req,
			struct response *res, PGconn **conn,
			struct auth_agent *who)
{
	int rc;

	*conn = handler_db(ctx, req, res);
	if (*conn == NULL)
		return -1;
	rc = auth_lookup(*conn, request_bearer(req), who);
	if (rc == AUTH_OK)
		return 0;
	if (rc == AUTH_EDB)
		return caller_db_failed(*conn, req, res);
	return caller_unauthorized(req, res, rc);
}

int caller_unauthorized(struct request *req, struct response *res, int err)
{
	response_error(res, req->path, 401, "UNAUTHORIZED", auth_strerror(err),
		       NULL);
	response_header(res, "WWW-Authenticate", "Bearer");
	return -1;
}

int caller_platform(struct handler_ctx *ctx, struct request *req,
		    struct response *res, PGconn **conn,
		    struct auth_agent *who)
{
	if (caller_authenticate(ctx, req, res, conn, who) != 0)
		return -1;
	if (who->is_platform)
		return 0;
	response_error(res, req->path, 403, "FORBIDDEN",
		       "Only the platform agent may do this", NULL);
	return -1;
}

int caller_db_failed(PGconn *conn, struct request *req, struct response *res)
{
	if (!db_ok(conn)) {
		response_error(res, req->path, 503, "SERVICE_UNAVAILABLE",
			       "Database unavailable", NULL);
		return -1;
	}
	response_error(res, req->path, 500, "INTERNAL_ERROR",
		       "Internal server error", NULL);
	return -1;
}
