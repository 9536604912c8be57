/*
 * bot_url — the few URLs felt-bot meets: the server base (--base), the
 * ws_url a join returns, and paths below them.  Pure string work.
 */
#ifndef FELT_BOT_URL_H
#define FELT_BOT_URL_H

#include <stdbool.h>
#include <stddef.h>

#define BOT_URL_HOST_MAX 256
#define BOT_URL_PATH_MAX 1024

struct bot_url {
	bool tls;                     /* https:// or wss:// */
	bool ws;                      /* ws:// or wss:// */
	char host[BOT_URL_HOST_MAX];  /* without brackets for an IPv6 literal */
	int port;                     /* explicit, or 80 / 443 by scheme */
	char path[BOT_URL_PATH_MAX];  /* "/..." (at least "/"), query included */
};

enum bot_url_error {
	BOT_URL_OK = 0,
	BOT_URL_ESCHEME = -1, /* not http, https, ws or wss */
	BOT_URL_EHOST = -2,   /* empty or too long host */
	BOT_URL_EPORT = -3,   /* port not 1..65535 */
	BOT_URL_ELONG = -4,   /* path too long */
};

/* bot_url_strerror — static English text for a bot_url_error code. */
const char *bot_url_strerror(int err);

/*
 * bot_url_parse — split s ("http://127.0.0.1:8080", "ws://h/v1/ws?x=1")
 * into *u.  The scheme is case-insensitive; a trailing "/" of the base is
 * kept as the path "/".  Returns BOT_URL_OK or a negative bot_url_error
 * (then *u is unspecified).
 */
int bot_url_parse(const char *s, struct bot_url *u);

/*
 * bot_url_join — the path of base followed by rel ("/v1/agents"), without
 * a doubled slash, into out (size len).  Returns 0, or -1 if it did not fit.
 */
int bot_url_join(const struct bot_url *base, const char *rel, char *out, size_t len);

/*
 * bot_url_query_escape — s with everything but unreserved characters
 * (RFC 3986: ALPHA DIGIT - . _ ~) percent-encoded, into out (size len).
 * Returns 0, or -1 if it did not fit.
 */
int bot_url_query_escape(const char *s, char *out, size_t len);

#endif
