/*
 * bot_http — one HTTP request on felt-bot's libwebsockets context, without
 * blocking: the answer (or the failure) arrives through a callback from
 * the event loop.  Only what felt-bot needs: GET/POST with an optional JSON
 * body and bearer key, a bounded response body, Retry-After.
 *
 * The context must list bot_http_protocol among its protocols.
 */
#ifndef FELT_BOT_HTTP_H
#define FELT_BOT_HTTP_H

#include <libwebsockets.h>
#include <stddef.h>

#include "bot_url.h"

#define BOT_HTTP_MAX_BODY 65536   /* a longer response is cut (and fails to parse) */
#define BOT_HTTP_TIMEOUT_S 30     /* a request not answered by then fails */

/*
 * The answer: status is the HTTP status, or 0 when no response came
 * (connection refused or reset, timeout); body is the response body
 * (NUL-terminated, owned by bot_http and valid only during the call);
 * retry_after_s is the Retry-After header in seconds (0 if absent).
 * The callback is called exactly once per started request.
 */
typedef void (*bot_http_cb)(void *user, int status, const char *body, size_t len,
			    int retry_after_s);

/*
 * bot_no_validity — the retry and idle policy of every felt-bot connection:
 * no lws validity timer.  lws 4.1 keeps its timers in one sorted list and
 * re-inserts a connection's validity timer on every frame it receives, a
 * walk of the whole list: with thousands of connections that walk was most
 * of felt-bot's CPU.  felt-wsd pings idle clients itself and a dead server
 * closes the TCP connection.
 */
extern const lws_retry_bo_t bot_no_validity;

/* The protocol entry for the context's protocol list (name "felt-bot-http"). */
extern const struct lws_protocols bot_http_protocol;

/*
 * bot_http_start — send method (GET or POST) to base's host and path
 * (already joined with base's path), with "Authorization: Bearer <bearer>"
 * when bearer is not NULL and body (JSON) when not NULL.  Returns 0 when
 * the request is under way (cb will be called), -1 when it could not be
 * started (out of memory or an immediate connect failure; cb is not called).
 */
int bot_http_start(struct lws_context *cx, const struct bot_url *base, const char *method,
		   const char *path, const char *bearer, const char *body, bot_http_cb cb,
		   void *user);

#endif
