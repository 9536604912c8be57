/*
 * server.h — felt-wsd's WebSocket server: the lws context, its listening
 * socket, and the routing of upgrade requests by path to a dialect.
 *
 * Paths: a dialect is registered for a path ("/v1/ws", "/ws"); a request for
 * that path or below it ("/v1/ws/observe/<table>") goes to that dialect,
 * with what follows the path as path_arg.  A leading "/wsd/<instance>" is
 * ignored: nginx routes such paths to one instance (scale-out, DESIGN §1)
 * and passes them through unchanged.  Plain HTTP requests get a JSON 404,
 * except GET /health/live (200).
 */
#ifndef FELT_WSD_SERVER_H
#define FELT_WSD_SERVER_H

#include <stdbool.h>
#include <stdint.h>

#include "codec.h"
#include "conn.h"
#include "loop.h"
#include "wsdconf.h"

#define SERVER_MAX_ROUTES 8

struct server_route {
	const char *path;
	const struct codec *codec;
};

struct tables;

struct server {
	struct loop *loop;
	struct tables *tables;     /* the runtime the dialects talk to */
	const struct wsdconf *cfg;
	struct server_route routes[SERVER_MAX_ROUTES];
	int nroutes;
	uint64_t next_id;
	int active;                /* open WebSocket connections */
	int64_t frames_in, frames_out;
	bool stopping;             /* refuse new connections */
	struct conn *all;          /* every open connection (conn.vnext is the
				      table's list; this uses all_next) */
	struct loop_timer sweep;   /* pings idle connections, drops dead ones */
};

/*
 * server_start — create the lws context listening on cfg's address (IPv4
 * only when the host is an IPv4 address), with the WebSocket protocol and
 * the raw-descriptor protocol of loop.h; fills l->ctx and l->vhost.
 * Returns 0, or -1 (logged) when lws cannot start (port taken...).
 */
int server_start(struct server *s, struct loop *l, const struct wsdconf *cfg);

/* server_route — send upgrades for path (and below it) to codec. */
void server_route(struct server *s, const char *path, const struct codec *codec);

/* server_close_all — close every connection with code and reason (a clean
 * stop: 1001) and refuse new ones. */
void server_close_all(struct server *s, int code, const char *reason);

/* server_stop — destroy the context (closes what is left). */
void server_stop(struct server *s);

#endif
