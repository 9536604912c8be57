/*
 * router.c — matching paths against route patterns.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* strndup */
#endif
#include "router.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Length of the segment starting at s (up to the next '/' or the end). */
static size_t seg_len(const char *s)
{
	return strcspn(s, "/");
}

static void drop_params(struct request *req)
{
	size_t i;

	for (i = 0; i < req->n_params; i++) {
		free(req->params[i].name);
		free(req->params[i].value);
	}
	req->n_params = 0;
}

static int add_param(struct request *req, const char *name, size_t nlen,
		     const char *raw, size_t vlen)
{
	struct request_pair *p;
	char *value;

	if (req->n_params == REQUEST_MAX_PARAMS)
		return ROUTER_NOT_FOUND;
	value = malloc(vlen + 1);
	if (!value)
		return ROUTER_ENOMEM;
	/* In a path '+' is a plain character, not a space. */
	if (request_percent_decode(value, raw, vlen, 0) < 0) {
		free(value);
		return ROUTER_NOT_FOUND;
	}
	p = &req->params[req->n_params];
	p->name = strndup(name, nlen);
	if (!p->name) {
		free(value);
		return ROUTER_ENOMEM;
	}
	p->value = value;
	req->n_params++;
	return ROUTER_MATCH;
}

/* Are the percent-escapes of a path segment decodable? */
static bool segment_decodes(const char *s, size_t len)
{
	char buf[REQUEST_MAX_PATH + 1];

	return len <= REQUEST_MAX_PATH &&
	       request_percent_decode(buf, s, len, 0) >= 0;
}

/*
 * Does path fit pattern? With capture, the {name} values are stored in
 * req->params (cleared first). Returns ROUTER_MATCH, ROUTER_NOT_FOUND or
 * ROUTER_ENOMEM.
 */
static int match_path(const char *pattern, const char *path,
		      struct request *req, bool capture)
{
	const char *pp = pattern, *sp = path;
	int rc;

	if (capture)
		drop_params(req);
	while (*pp && *sp) {
		size_t plen, slen;

		if (*pp != '/' || *sp != '/')
			return ROUTER_NOT_FOUND;
		pp++;
		sp++;
		plen = seg_len(pp);
		slen = seg_len(sp);
		if (plen >= 2 && pp[0] == '{' && pp[plen - 1] == '}') {
			/* A parameter that cannot be decoded matches
			 * nothing: the path is unknown, not 405. */
			if (slen == 0 || !segment_decodes(sp, slen))
				return ROUTER_NOT_FOUND;
			if (capture) {
				rc = add_param(req, pp + 1, plen - 2, sp, slen);
				if (rc)
					return rc;
			}
		} else if (plen != slen || memcmp(pp, sp, plen) != 0) {
			return ROUTER_NOT_FOUND;
		}
		pp += plen;
		sp += slen;
	}
	return (*pp || *sp) ? ROUTER_NOT_FOUND : ROUTER_MATCH;
}

static bool method_fits(const char *route_method, const char *method)
{
	return strcmp(route_method, method) == 0 ||
	       (strcmp(method, "HEAD") == 0 && strcmp(route_method, "GET") == 0);
}

/* Append m to the Allow list unless it is there already. */
static void allow_add(char *allow, size_t len, const char *m)
{
	size_t used = strlen(allow), mlen = strlen(m);
	const char *p = allow;

	while ((p = strstr(p, m)) != NULL) {
		if ((p == allow || p[-1] == ' ') &&
		    (p[mlen] == ',' || p[mlen] == '\0'))
			return;
		p += mlen;
	}
	snprintf(allow + used, len - used, "%s%s", used ? ", " : "", m);
}

int router_match(const struct route *routes, size_t n, struct request *req,
		 const struct route **found, char *allow, size_t allow_len)
{
	bool path_known = false;
	size_t i;
	int rc;

	*found = NULL;
	if (allow_len)
		allow[0] = '\0';
	for (i = 0; i < n; i++) {
		if (match_path(routes[i].pattern, req->path, req, false))
			continue;
		if (!method_fits(routes[i].method, req->method)) {
			path_known = true;
			if (allow_len)
				allow_add(allow, allow_len, routes[i].method);
			continue;
		}
		rc = match_path(routes[i].pattern, req->path, req, true);
		if (rc != ROUTER_MATCH) {
			drop_params(req);
			return rc;
		}
		*found = &routes[i];
		return ROUTER_MATCH;
	}
	return path_known ? ROUTER_METHOD_NOT_ALLOWED : ROUTER_NOT_FOUND;
}

int router_dispatch(const struct route *routes, size_t n,
		    struct handler_ctx *ctx, struct request *req,
		    struct response *res)
{
	const struct route *route;
	char allow[128];
	int rc = router_match(routes, n, req, &route, allow, sizeof(allow));

	switch (rc) {
	case ROUTER_MATCH:
		/* A handler that failed or forgot to answer still gets a
		 * well-formed 500 in its dialect. */
		route->handler(ctx, req, res);
		if (res->status == 0)
			response_error(res, req->path, 500, NULL,
				       "Internal server error", NULL);
		break;
	case ROUTER_METHOD_NOT_ALLOWED:
		response_error(res, req->path, 405, NULL, "Method Not Allowed",
			       NULL);
		response_header(res, "Allow", allow);
		break;
	case ROUTER_NOT_FOUND:
		response_error(res, req->path, 404, NULL, "Not Found", NULL);
		break;
	default:
		response_error(res, req->path, 500, NULL,
			       "Internal server error", NULL);
		break;
	}
	return rc;
}

const char *router_strerror(int err)
{
	switch (err) {
	case ROUTER_MATCH: return "matched";
	case ROUTER_ENOMEM: return "out of memory";
	case ROUTER_NOT_FOUND: return "no route for this path";
	case ROUTER_METHOD_NOT_ALLOWED: return "method not allowed for this path";
	}
	return "unknown router error";
}
