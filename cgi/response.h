/*
 * response.h — the HTTP response a handler builds, and felt's two error
 * dialects.
 *
 * Handlers never write to the FastCGI stream: they fill a struct response,
 * and response_write() turns it into CGI output once the handler returns.
 * That keeps handlers testable and guarantees every answer has a status line,
 * a Content-Type and a complete body.
 *
 * Error shapes are chosen by path (DESIGN §8 "Errors"):
 *   /v1 and below        {"error":{"code":"...","message":"...","details"?:...}}
 *   everything else      {"detail":"..."}   (/api, /health, unknown paths)
 */
#ifndef FELT_CGI_RESPONSE_H
#define FELT_CGI_RESPONSE_H

#include <stddef.h>
#include <sys/types.h>

#include <json-c/json.h>

enum response_error {
	RESPONSE_OK = 0,
	RESPONSE_ENOMEM = -1,
	RESPONSE_EWRITE = -2,      /* the writer failed (client went away) */
	RESPONSE_EHEADER = -3,     /* header name/value refused (CR/LF, size) */
};

enum response_dialect {
	RESPONSE_DIALECT_DETAIL,   /* Open Poker / health: {"detail": ...} */
	RESPONSE_DIALECT_V1,       /* MoltPoker: {"error": {...}} */
};

#define RESPONSE_MAX_HEADERS 8

struct response {
	int status;                 /* 0 until a handler sets one */
	char content_type[64];
	char *headers[RESPONSE_MAX_HEADERS]; /* extra "Name: value" lines */
	size_t n_headers;
	char *body;                 /* owned */
	size_t body_len;
};

/* Writes n bytes somewhere; returns 0 or -1. */
typedef int (*response_writer_fn)(void *ctx, const char *buf, size_t n);

/* response_init: an empty response (status 0, no body). */
void response_init(struct response *res);

/* response_free: release what res owns; res may be reused after init. */
void response_free(struct response *res);

/*
 * response_json: answer `status` with obj serialised as the body
 * (application/json). Takes ownership of obj (always put, even on error).
 * Replaces any earlier body. Returns RESPONSE_OK or RESPONSE_ENOMEM.
 */
int response_json(struct response *res, int status, struct json_object *obj);

/*
 * response_body: answer `status` with a copy of body[0..len) and the given
 * Content-Type. Returns RESPONSE_OK or RESPONSE_ENOMEM.
 */
int response_body(struct response *res, int status, const char *content_type,
		  const char *body, size_t len);

/*
 * response_header: add "name: value" (copied). Refuses values with CR or LF
 * (header injection) and more than RESPONSE_MAX_HEADERS lines.
 */
int response_header(struct response *res, const char *name,
		    const char *value);

/* response_dialect_for_path: which error shape a path uses. */
enum response_dialect response_dialect_for_path(const char *path);

/*
 * response_error: answer an error in the dialect of `path`. `code` is the
 * machine code for /v1 (NULL: derived from the status, e.g. 404 ->
 * "NOT_FOUND"); `message` is the human text (the "detail" for /api).
 * `details` (may be NULL) is attached as "details" on /v1 and dropped
 * otherwise; ownership of it passes to this function.
 */
int response_error(struct response *res, const char *path, int status,
		   const char *code, const char *message,
		   struct json_object *details);

/* response_default_code: the /v1 code felt uses for a bare status. */
const char *response_default_code(int status);

/* response_reason: the HTTP reason phrase for a status ("Not Found"). */
const char *response_reason(int status);

/*
 * response_write: emit res as CGI output ("Status:", headers, blank line,
 * body) through `write`. A response with status 0 is written as a 500 (a
 * handler that forgot to answer is a bug, not a crash). When head_only, the
 * body is left out but Content-Length still describes it.
 */
int response_write(const struct response *res, int head_only,
		   response_writer_fn write, void *ctx);

/* response_strerror: a static English description of a response_error. */
const char *response_strerror(int err);

#endif
