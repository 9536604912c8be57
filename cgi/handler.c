/*
 * handler.c — helpers shared by felt-api handlers.
 */
#include "handler.h"

#include <stdio.h>

int handler_json_body(struct request *req, struct response *res,
		      struct json_object **out)
{
	bool v1 = response_dialect_for_path(req->path) == RESPONSE_DIALECT_V1;
	int status = v1 ? 400 : 422;
	char perr[160], msg[256];
	int rc;

	*out = NULL;
	rc = request_json_body(req, 0, out, perr, sizeof(perr));
	if (rc == REQUEST_OK && !json_object_is_type(*out, json_type_object)) {
		json_object_put(*out);
		*out = NULL;
		response_error(res, req->path, status, "VALIDATION_ERROR",
			       "Request body must be a JSON object", NULL);
		return -1;
	}
	if (rc == REQUEST_OK)
		return 0;
	if (rc == REQUEST_EEMPTY)
		snprintf(msg, sizeof(msg), "Request body is required");
	else if (rc == REQUEST_EDEPTH)
		snprintf(msg, sizeof(msg), "Request body is nested too deeply");
	else
		snprintf(msg, sizeof(msg), "Invalid JSON: %s",
			 perr[0] ? perr : request_strerror(rc));
	response_error(res, req->path, status, "VALIDATION_ERROR", msg, NULL);
	return -1;
}

PGconn *handler_db(struct handler_ctx *ctx, struct request *req,
		   struct response *res)
{
	PGconn *c = apidb_get(ctx->db);

	if (!c)
		response_error(res, req->path, 503, "SERVICE_UNAVAILABLE",
			       "Database unavailable", NULL);
	return c;
}

int handler_query_int(struct request *req, struct response *res,
		      const char *name, long long def, long long min,
		      long long max, long long *out)
{
	bool v1 = response_dialect_for_path(req->path) == RESPONSE_DIALECT_V1;
	const char *s = request_query_get(req, name);
	char msg[128];
	long long v = 0;
	size_t i;

	if (s == NULL) {
		*out = def;
		return 0;
	}
	/* 18 digits always fit in a long long: longer is out of range. */
	for (i = 0; s[i] >= '0' && s[i] <= '9' && i < 18; i++)
		v = v * 10 + (s[i] - '0');
	if (i == 0 || s[i] != '\0' || v < min || v > max) {
		snprintf(msg, sizeof msg,
			 "%s: must be an integer between %lld and %lld", name,
			 min, max);
		response_error(res, req->path, v1 ? 400 : 422,
			       "VALIDATION_ERROR", msg, NULL);
		return -1;
	}
	*out = v;
	return 0;
}

/* Seed 000's bounds; the offset's only bounds what the database may skip. */
#define PAGE_LIMIT_DEFAULT 50
#define PAGE_LIMIT_MAX 200
#define PAGE_OFFSET_MAX 1000000000LL

int handler_page(struct request *req, struct response *res,
		 struct handler_page *out)
{
	if (handler_query_int(req, res, "limit", PAGE_LIMIT_DEFAULT, 1,
			      PAGE_LIMIT_MAX, &out->limit) != 0 ||
	    handler_query_int(req, res, "offset", 0, 0, PAGE_OFFSET_MAX,
			      &out->offset) != 0)
		return -1;
	snprintf(out->limit_s, sizeof out->limit_s, "%lld", out->limit);
	snprintf(out->offset_s, sizeof out->offset_s, "%lld", out->offset);
	return 0;
}

int64_t handler_uptime_ms(const struct api_state *state)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (int64_t)(now.tv_sec - state->started.tv_sec) * 1000 +
	       (now.tv_nsec - state->started.tv_nsec) / 1000000;
}
