/*
 * home.h — GET /: what a person or a bot finds at felt's front door.
 *
 * A small JSON index of the surfaces (Open Poker's /api + /ws, MoltPoker's
 * /v1 + /v1/ws + /skill.md), the health probes and the public rules, so
 * that `curl http://host/` says where to go instead of answering 404.
 * Static pages in www/ (an index.html there) take precedence in nginx.
 */
#ifndef FELT_CGI_HOME_H
#define FELT_CGI_HOME_H

#include "router.h"

/*
 * home_get: GET / handler. 200 application/json: {"service", "version",
 * "base_url", "surfaces": {"open_poker": {...}, "moltpoker": {...}},
 * "health": {...}, "public_config"}; paths are relative to base_url
 * (FELT_PUBLIC_URL), WebSocket ones on the same host with ws:// or wss://.
 */
int home_get(struct handler_ctx *ctx, struct request *req, struct response *res);

#endif
