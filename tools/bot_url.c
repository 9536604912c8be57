/* bot_url — URL splitting for felt-bot.  See bot_url.h. */
#include "bot_url.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *bot_url_strerror(int err)
{
	switch (err) {
	case BOT_URL_OK: return "ok";
	case BOT_URL_ESCHEME: return "URL must start with http://, https://, ws:// or wss://";
	case BOT_URL_EHOST: return "URL has no host (or a host too long)";
	case BOT_URL_EPORT: return "URL port must be 1..65535";
	case BOT_URL_ELONG: return "URL path too long";
	}
	return "unknown error";
}

int bot_url_parse(const char *s, struct bot_url *u)
{
	static const struct { const char *prefix; bool tls, ws; int port; } schemes[] = {
		{"http://", false, false, 80}, {"https://", true, false, 443},
		{"ws://", false, true, 80}, {"wss://", true, true, 443},
	};
	const char *host, *end, *colon = NULL, *path;
	size_t hlen;

	memset(u, 0, sizeof *u);
	host = NULL;
	for (size_t i = 0; i < sizeof schemes / sizeof *schemes; i++)
		if (strncasecmp(s, schemes[i].prefix, strlen(schemes[i].prefix)) == 0) {
			host = s + strlen(schemes[i].prefix);
			u->tls = schemes[i].tls;
			u->ws = schemes[i].ws;
			u->port = schemes[i].port;
			break;
		}
	if (!host)
		return BOT_URL_ESCHEME;
	path = host + strcspn(host, "/?#");
	end = path;
	if (*host == '[') { /* IPv6 literal */
		const char *close = memchr(host, ']', (size_t)(end - host));

		if (!close)
			return BOT_URL_EHOST;
		hlen = (size_t)(close - host - 1);
		if (hlen == 0 || hlen >= sizeof u->host)
			return BOT_URL_EHOST;
		memcpy(u->host, host + 1, hlen);
		if (close + 1 < end) {
			if (close[1] != ':')
				return BOT_URL_EHOST;
			colon = close + 1;
		}
	} else {
		colon = memchr(host, ':', (size_t)(end - host));
		hlen = (size_t)((colon ? colon : end) - host);
		if (hlen == 0 || hlen >= sizeof u->host)
			return BOT_URL_EHOST;
		memcpy(u->host, host, hlen);
	}
	if (colon) {
		char digits[8];
		size_t n = (size_t)(end - colon - 1);
		char *stop;
		long port;

		if (n == 0 || n >= sizeof digits)
			return BOT_URL_EPORT;
		memcpy(digits, colon + 1, n);
		digits[n] = '\0';
		port = strtol(digits, &stop, 10);
		if (*stop || port < 1 || port > 65535)
			return BOT_URL_EPORT;
		u->port = (int)port;
	}
	if (*path == '#')
		path = "";
	if (strlen(path) + 2 > sizeof u->path)
		return BOT_URL_ELONG;
	snprintf(u->path, sizeof u->path, "%s%s", *path == '/' ? "" : "/", path);
	u->path[strcspn(u->path, "#")] = '\0';
	return BOT_URL_OK;
}

int bot_url_join(const struct bot_url *base, const char *rel, char *out, size_t len)
{
	size_t b = strcspn(base->path, "?");
	int n;

	while (b > 0 && base->path[b - 1] == '/')
		b--;
	while (*rel == '/')
		rel++;
	n = snprintf(out, len, "%.*s/%s", (int)b, base->path, rel);
	return n >= 0 && (size_t)n < len ? 0 : -1;
}

int bot_url_query_escape(const char *s, char *out, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = 0;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
			     (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';

		if (o + (plain ? 1 : 3) >= len)
			return -1;
		if (plain) {
			out[o++] = (char)c;
		} else {
			out[o++] = '%';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		}
	}
	if (o >= len)
		return -1;
	out[o] = '\0';
	return 0;
}
