/*
 * serve.c — the request pipeline of felt-api (see serve.h).
 */
#include "serve.h"

#include <string.h>
#include <time.h>

#include "core/log.h"

static int64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Answer a request we could not even parse or read. */
static void answer_bad_input(struct request *req, struct response *res,
			     int rc)
{
	const char *path = req->path ? req->path : "/";

	switch (rc) {
	case REQUEST_ETOOLARGE:
		response_error(res, path, 413, "PAYLOAD_TOO_LARGE",
			       "Request body too large", NULL);
		break;
	case REQUEST_EURI:
		response_error(res, path, 414, "URI_TOO_LONG",
			       "Request path too long", NULL);
		break;
	case REQUEST_ENOMEM:
		response_error(res, path, 503, "SERVICE_UNAVAILABLE",
			       "Server overloaded", NULL);
		break;
	default:
		response_error(res, path, 400, "BAD_REQUEST",
			       request_strerror(rc), NULL);
		break;
	}
}

static void log_request(const struct request *req, int status,
			int64_t elapsed_us)
{
	char qpath[512];

	if (!log_enabled(LOG_INFO))
		return;
	log_event(LOG_INFO, "request",
		  "method=%s path=%s status=%d ms=%lld.%03lld",
		  req->method[0] ? req->method : "-",
		  log_quote(req->path ? req->path : "-", qpath, sizeof(qpath)),
		  status, (long long)(elapsed_us / 1000),
		  (long long)(elapsed_us % 1000));
}

int serve_request(const struct route *routes, size_t n_routes,
		  struct handler_ctx *ctx, char *const *envp,
		  request_reader_fn read, void *rctx,
		  response_writer_fn write, void *wctx)
{
	int64_t t0 = now_us();
	struct request req;
	struct response res;
	int rc, status;

	response_init(&res);
	rc = request_parse_env(&req, envp);
	if (rc == REQUEST_OK)
		rc = request_read_body(&req, read, rctx, ctx->cfg->max_body,
				       SERVE_DISCARD_LIMIT);
	else
		/* Unparseable request: still drain what the server sends. */
		request_read_body(&req, read, rctx, 0, SERVE_DISCARD_LIMIT);
	if (rc == REQUEST_OK)
		router_dispatch(routes, n_routes, ctx, &req, &res);
	else
		answer_bad_input(&req, &res, rc);

	status = res.status ? res.status : 500;
	rc = response_write(&res, strcmp(req.method, "HEAD") == 0, write,
			    wctx);
	atomic_fetch_add(&ctx->state->requests, 1);
	if (status >= 500)
		atomic_fetch_add(&ctx->state->errors_5xx, 1);
	log_request(&req, status, now_us() - t0);
	request_free(&req);
	response_free(&res);
	return rc ? rc : status;
}
