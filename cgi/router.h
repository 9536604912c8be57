/*
 * router.h — method + path dispatch for felt-api.
 *
 * A route is a method, a pattern and a handler. Patterns are literal
 * segments and "{name}" segments that match one non-empty path segment
 * (percent-decoded into the request's params): "/api/withdrawal/{id}".
 * The table of routes lives in routes.c; adding an endpoint is one line
 * there plus a handler.
 *
 * A path that matches some route but not with this method gets 405 with an
 * Allow header; a path that matches nothing gets 404. Both answer in the
 * error dialect of the path (response.h). HEAD is served by GET routes.
 */
#ifndef FELT_CGI_ROUTER_H
#define FELT_CGI_ROUTER_H

#include <stddef.h>

#include "request.h"
#include "response.h"

struct handler_ctx;

/*
 * A handler fills res and returns 0, or returns a negative code after an
 * unexpected failure: when it did not set a status, the router answers 500
 * INTERNAL_ERROR in the path's dialect (never a crash, never no answer).
 */
typedef int (*router_handler_fn)(struct handler_ctx *ctx,
				 struct request *req, struct response *res);

struct route {
	const char *method;       /* "GET", "POST", ... */
	const char *pattern;      /* "/v1/tables/{id}/join" */
	router_handler_fn handler;
};

enum router_result {
	ROUTER_MATCH = 0,
	ROUTER_ENOMEM = -1,
	ROUTER_NOT_FOUND = -2,
	ROUTER_METHOD_NOT_ALLOWED = -3,
};

/* The route table of felt-api (routes.c), and its length. */
extern const struct route routes_table[];
extern const size_t routes_count;

/* /health/live and /health/ready alone, for the probe listener (routes.c). */
extern const struct route probe_routes_table[];
extern const size_t probe_routes_count;

/*
 * router_match: find the route for req->method and req->path among routes.
 * On ROUTER_MATCH *found is set and req->params holds the decoded {name}
 * values (owned by req). On ROUTER_METHOD_NOT_ALLOWED, allow (allow_len
 * bytes) receives the comma-separated methods the path accepts, e.g.
 * "GET, POST". A {name} segment whose percent-escapes are malformed does
 * not match.
 */
int router_match(const struct route *routes, size_t n, struct request *req,
		 const struct route **found, char *allow, size_t allow_len);

/*
 * router_dispatch: match and run the handler, or answer 404/405 in the
 * path's dialect. Always leaves res with a status. Returns the router_result
 * of the match (ROUTER_MATCH when a handler ran, whatever it answered).
 */
int router_dispatch(const struct route *routes, size_t n,
		    struct handler_ctx *ctx, struct request *req,
		    struct response *res);

/* router_strerror: a static English description of a router_result. */
const char *router_strerror(int err);

#endif
