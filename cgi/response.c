/*
 * response.c — building responses and writing them as CGI output.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* strndup, asprintf, strcasecmp */
#endif
#include "response.h"

#include "core/json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void response_init(struct response *res)
{
	memset(res, 0, sizeof(*res));
}

void response_free(struct response *res)
{
	size_t i;

	for (i = 0; i < res->n_headers; i++)
		free(res->headers[i]);
	free(res->body);
	response_init(res);
}

static int set_body(struct response *res, int status, const char *ctype,
		    const char *body, size_t len)
{
	char *copy = malloc(len + 1);

	if (!copy)
		return RESPONSE_ENOMEM;
	memcpy(copy, body, len);
	copy[len] = '\0';
	free(res->body);
	res->body = copy;
	res->body_len = len;
	res->status = status;
	snprintf(res->content_type, sizeof(res->content_type), "%s", ctype);
	return RESPONSE_OK;
}

int response_body(struct response *res, int status, const char *content_type,
		  const char *body, size_t len)
{
	return set_body(res, status, content_type, body, len);
}

int response_json(struct response *res, int status, struct json_object *obj)
{
	size_t len;
	const char *text;
	int rc;

	if (!obj)
		return RESPONSE_ENOMEM;
	text = json_to_string_len(obj, &len);
	rc = text ? set_body(res, status, "application/json", text, len)
		  : RESPONSE_ENOMEM;
	json_object_put(obj);
	return rc;
}

int response_header(struct response *res, const char *name, const char *value)
{
	char *line;

	if (res->n_headers == RESPONSE_MAX_HEADERS ||
	    strpbrk(name, "\r\n:") || strpbrk(value, "\r\n"))
		return RESPONSE_EHEADER;
	if (asprintf(&line, "%s: %s", name, value) < 0)
		return RESPONSE_ENOMEM;
	res->headers[res->n_headers++] = line;
	return RESPONSE_OK;
}

enum response_dialect response_dialect_for_path(const char *path)
{
	if (path && strncmp(path, "/v1", 3) == 0 &&
	    (path[3] == '/' || path[3] == '\0'))
		return RESPONSE_DIALECT_V1;
	return RESPONSE_DIALECT_DETAIL;
}

const char *response_default_code(int status)
{
	switch (status) {
	case 400: return "VALIDATION_ERROR";
	case 401: return "UNAUTHORIZED";
	case 402: return "INSUFFICIENT_FUNDS";
	case 403: return "FORBIDDEN";
	case 404: return "NOT_FOUND";
	case 405: return "METHOD_NOT_ALLOWED";
	case 409: return "CONFLICT";
	case 413: return "PAYLOAD_TOO_LARGE";
	case 414: return "URI_TOO_LONG";
	case 422: return "VALIDATION_ERROR";
	case 429: return "RATE_LIMITED";
	case 503: return "SERVICE_UNAVAILABLE";
	}
	return status >= 500 ? "INTERNAL_ERROR" : "BAD_REQUEST";
}

const char *response_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 202: return "Accepted";
	case 204: return "No Content";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 402: return "Payment Required";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Payload Too Large";
	case 414: return "URI Too Long";
	case 422: return "Unprocessable Entity";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 502: return "Bad Gateway";
	case 503: return "Service Unavailable";
	}
	return "Unknown";
}

int response_error(struct response *res, const char *path, int status,
		   const char *code, const char *message,
		   struct json_object *details)
{
	struct json_object *root = json_object_new_object();
	struct json_object *err;

	if (!message)
		message = response_reason(status);
	if (response_dialect_for_path(path) == RESPONSE_DIALECT_DETAIL) {
		json_object_put(details);
		json_object_object_add(root, "detail",
				       json_object_new_string(message));
		return response_json(res, status, root);
	}
	err = json_object_new_object();
	json_object_object_add(err, "code", json_object_new_string(
				       code ? code
					    : response_default_code(status)));
	json_object_object_add(err, "message", json_object_new_string(message));
	if (details)
		json_object_object_add(err, "details", details);
	json_object_object_add(root, "error", err);
	return response_json(res, status, root);
}

int response_write(const struct response *res, int head_only,
		   response_writer_fn write, void *ctx)
{
	static const char fallback[] = "{\"detail\":\"Internal Server Error\"}";
	const char *body = res->body;
	size_t body_len = res->body_len, i;
	int status = res->status;
	const char *ctype = res->content_type;
	char head[256];
	int n;

	if (status == 0) {
		status = 500;
		body = fallback;
		body_len = sizeof(fallback) - 1;
		ctype = "application/json";
	}
	if (!body)
		body = "";
	n = snprintf(head, sizeof(head),
		     "Status: %d %s\r\nContent-Type: %s\r\n"
		     "Content-Length: %zu\r\nCache-Control: no-store\r\n",
		     status, response_reason(status),
		     *ctype ? ctype : "application/json", body_len);
	if (n < 0 || (size_t)n >= sizeof(head) || write(ctx, head, (size_t)n))
		return RESPONSE_EWRITE;
	for (i = 0; i < res->n_headers; i++)
		if (write(ctx, res->headers[i], strlen(res->headers[i])) ||
		    write(ctx, "\r\n", 2))
			return RESPONSE_EWRITE;
	if (write(ctx, "\r\n", 2))
		return RESPONSE_EWRITE;
	if (!head_only && body_len && write(ctx, body, body_len))
		return RESPONSE_EWRITE;
	return RESPONSE_OK;
}

const char *response_strerror(int err)
{
	switch (err) {
	case RESPONSE_OK: return "success";
	case RESPONSE_ENOMEM: return "out of memory";
	case RESPONSE_EWRITE: return "could not write the response";
	case RESPONSE_EHEADER: return "invalid or too many response headers";
	}
	return "unknown response error";
}
