/*
 * wsdconf.c — felt-wsd's environment variables and their defaults.
 */
#include "wsdconf.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct config_var wsdconf_vars[] = {
	{ "FELT_WSD_ADDR", "127.0.0.1:8081", "host:port the WebSocket server "
	  "listens on (nginx proxies /v1/ws and /ws to it)" },
	{ "FELT_WSD_INSTANCE", "main", "this instance's name (letters, digits, "
	  "'_', '-'; at most 32), stable across restarts: it owns tables by it" },
	{ "FELT_WSD_WS_URL", NULL, "public WebSocket URL of this instance, "
	  "returned by joins (default: FELT_PUBLIC_URL as ws(s):// + /v1/ws for "
	  "instance main, + /wsd/<instance>/v1/ws for the others)" },
	{ "FELT_PUBLIC_URL", "http://127.0.0.1:8080", "public base URL "
	  "(skill_doc_url, the default ws_url)" },
	{ "FELT_WSD_MAX_CONNECTIONS", "20000", "open WebSocket connections at "
	  "most; more are refused" },
	{ "FELT_WSD_MAX_MESSAGE", "16384", "largest message a client may send, "
	  "bytes (a longer one closes the connection 1009)" },
	{ "FELT_WSD_MAX_QUEUE", "1048576", "bytes queued for a client that does "
	  "not read before it is disconnected" },
	{ "FELT_WSD_RATE", "100", "messages per second a connection may send "
	  "(on average; excess is refused, a flood closes it)" },
	{ "FELT_WSD_RATE_BURST", "100", "messages a connection may send at once "
	  "above the rate" },
	{ "FELT_WSD_PING_S", "30", "a connection silent this long gets a "
	  "WebSocket ping" },
	{ "FELT_WSD_DEAD_S", "75", "a connection silent this long (no pong "
	  "either) is dropped" },
	{ "FELT_WSD_HEARTBEAT_S", "5", "seconds between heartbeat rows (and "
	  "lease renewals)" },
	{ "FELT_HEARTBEAT_STALE_S", "15", "a felt-wsd whose heartbeat is older "
	  "than this is dead: its tables may be taken over" },
	{ "FELT_WSD_LEASE_S", "15", "table lease length, seconds; a dead "
	  "instance's tables are taken over after it" },
	{ "FELT_WSD_ABANDON_MS", "60000", "a running table with no player "
	  "connected for this long ends (reason abandoned)" },
	{ "FELT_WSD_NEXT_HAND_MS", "0", "pause between hands, ms (a table's "
	  "config.next_hand_delay_ms overrides it)" },
	{ "FELT_WSD_STOP_TIMEOUT_S", "10", "after SIGTERM, seconds to let hands "
	  "in progress finish before they are void" },
	{ "FELT_WSD_MAX_TABLES", "10000", "tables this instance runs at most" },
	{ "FELT_CASH_CHIP_UCENTS", "10", "cash tables (/ws lobby): value of one "
	  "chip in ucents (10 = $0.001)" },
	{ "FELT_CASH_BLINDS", "10/20", "cash tables: small/big blind, chips" },
	{ "FELT_CASH_BUY_IN", "1000-5000", "cash tables: smallest-largest buy-in "
	  "and rebuy, chips" },
	{ "FELT_CASH_SEATS", "6", "cash tables: seats per table" },
	{ "FELT_CASH_RAKE_BP", "500", "cash tables: rake, basis points of each "
	  "pot (no flop, no drop; 0 = none)" },
	{ "FELT_CASH_RAKE_CAP_BB", "3", "cash tables: rake cap per hand, big "
	  "blinds (0 = no cap)" },
	{ "FELT_CASH_ACTION_TIMEOUT_MS", "30000", "cash tables: time to act "
	  "before the safety default (check, else fold), ms" },
	{ "FELT_CASH_GRACE_MS", "30000", "cash tables: a player without a "
	  "connection keeps the seat this long, then leaves (chips to the "
	  "balance), ms" },
	{ "FELT_CASH_POST_BB", "0", "cash tables: 1 = a new player posts a big "
	  "blind to be dealt in at once, 0 = it waits for the big blind (TDA "
	  "dead button)" },
	{ NULL, NULL, NULL },
};

static int load_int(const char *name, int64_t min, int64_t max, int *out,
		    const char **bad)
{
	const char *def = config_default(wsdconf_vars, name);
	int64_t v;
	int rc = config_int(name, strtoll(def, NULL, 10), min, max, &v);

	if (rc) {
		if (bad)
			*bad = name;
		return rc;
	}
	*out = (int)v;
	return CONFIG_OK;
}

/* host:port with a port 1..65535 and a host that fits. */
static int parse_addr(const char *s, struct wsdconf *cfg)
{
	const char *colon = strrchr(s, ':');
	char *end;
	long port;

	if (!colon || colon == s || (size_t)(colon - s) >= sizeof(cfg->host))
		return CONFIG_ERR_SYNTAX;
	port = strtol(colon + 1, &end, 10);
	if (*end || end == colon + 1)
		return CONFIG_ERR_SYNTAX;
	if (port < 1 || port > 65535)
		return CONFIG_ERR_RANGE;
	memcpy(cfg->host, s, (size_t)(colon - s));
	cfg->host[colon - s] = '\0';
	cfg->port = (int)port;
	return CONFIG_OK;
}

static bool instance_ok(const char *s)
{
	size_t n = strlen(s);

	if (n < 1 || n > WSDCONF_INSTANCE_MAX)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-')
			return false;
	return true;
}

/* The default ws_url: the public URL's scheme made ws(s), its host, the
 * instance's path. */
static int derive_ws_url(struct wsdconf *cfg)
{
	const char *u = cfg->public_url, *rest;
	const char *scheme;
	int n;

	if (strncmp(u, "https://", 8) == 0)
		scheme = "wss://", rest = u + 8;
	else if (strncmp(u, "http://", 7) == 0)
		scheme = "ws://", rest = u + 7;
	else
		return CONFIG_ERR_SYNTAX;
	if (strcmp(cfg->instance, "main") == 0)
		n = snprintf(cfg->ws_url, sizeof(cfg->ws_url), "%s%s/v1/ws",
			     scheme, rest);
	else
		n = snprintf(cfg->ws_url, sizeof(cfg->ws_url),
			     "%s%s/wsd/%s/v1/ws", scheme, rest, cfg->instance);
	return n > 0 && (size_t)n < sizeof(cfg->ws_url) ? CONFIG_OK
							: CONFIG_ERR_RANGE;
}

static bool ws_url_ok(const char *u)
{
	return (strncmp(u, "ws://", 5) == 0 || strncmp(u, "wss://", 6) == 0) &&
	       !strchr(u, '?') && !strchr(u, '#') && !strchr(u, ' ');
}

static int copy_str(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);

	if (n >= size)
		return CONFIG_ERR_RANGE;
	memcpy(dst, src, n + 1);
	return CONFIG_OK;
}

static int load_strings(struct wsdconf *cfg, const char **bad)
{
	const char *name, *v;
	size_t n;
	int rc;

	name = "FELT_WSD_ADDR";
	if ((rc = parse_addr(config_get(wsdconf_vars, name), cfg)))
		goto fail;
	name = "FELT_WSD_INSTANCE";
	v = config_get(wsdconf_vars, name);
	if (!instance_ok(v)) {
		rc = CONFIG_ERR_SYNTAX;
		goto fail;
	}
	copy_str(cfg->instance, sizeof(cfg->instance), v);
	name = "FELT_PUBLIC_URL";
	if ((rc = copy_str(cfg->public_url, sizeof(cfg->public_url),
			   config_get(wsdconf_vars, name))))
		goto fail;
	n = strlen(cfg->public_url);
	while (n > 0 && cfg->public_url[n - 1] == '/')
		cfg->public_url[--n] = '\0';
	name = "FELT_WSD_WS_URL";
	v = config_get(wsdconf_vars, name);
	if (v) {
		if ((rc = copy_str(cfg->ws_url, sizeof(cfg->ws_url), v)))
			goto fail;
	} else if ((rc = derive_ws_url(cfg))) {
		name = "FELT_PUBLIC_URL";
		goto fail;
	}
	if (!ws_url_ok(cfg->ws_url)) {
		rc = CONFIG_ERR_SYNTAX;
		goto fail;
	}
	return CONFIG_OK;
fail:
	if (bad)
		*bad = name;
	return rc;
}

/* "a/b" or "a-b": two positive integers, a <= b (a < b when strict). */
static int load_pair(const char *name, char sep, bool strict, int64_t *a, int64_t *b,
		     const char **bad)
{
	const char *v = config_get(wsdconf_vars, name);
	char *end;

	*a = strtoll(v, &end, 10);
	if (end == v || *end != sep)
		goto fail;
	v = end + 1;
	*b = strtoll(v, &end, 10);
	if (end == v || *end || *a <= 0 || *b < *a || (strict && *b == *a) ||
	    *b > 1000000000)
		goto fail;
	return CONFIG_OK;
fail:
	if (bad)
		*bad = name;
	return CONFIG_ERR_SYNTAX;
}

static int load_cash(struct wsdconf *cfg, const char **bad)
{
	struct wsdconf_cash *c = &cfg->cash;
	int cu, cap_bb, post_bb, rc;

	if ((rc = load_int("FELT_CASH_CHIP_UCENTS", 1, 1000000000, &cu, bad)) ||
	    (rc = load_pair("FELT_CASH_BLINDS", '/', true, &c->sb_chips, &c->bb_chips, bad)) ||
	    (rc = load_pair("FELT_CASH_BUY_IN", '-', false, &c->min_buy_in_chips,
			    &c->max_buy_in_chips, bad)) ||
	    (rc = load_int("FELT_CASH_SEATS", 2, 10, &c->seats, bad)) ||
	    (rc = load_int("FELT_CASH_RAKE_BP", 0, 10000, &c->rake_bp, bad)) ||
	    (rc = load_int("FELT_CASH_RAKE_CAP_BB", 0, 1000, &cap_bb, bad)) ||
	    (rc = load_int("FELT_CASH_ACTION_TIMEOUT_MS", 1000, 3600000,
			   &c->action_timeout_ms, bad)) ||
	    (rc = load_int("FELT_CASH_GRACE_MS", 0, 86400000, &c->grace_ms, bad)) ||
	    (rc = load_int("FELT_CASH_POST_BB", 0, 1, &post_bb, bad)))
		return rc;
	c->post_bb = post_bb == 1;
	c->chip_ucents = cu;
	c->rake_cap_chips = cap_bb * c->bb_chips;
	return CONFIG_OK;
}

int wsdconf_load(struct wsdconf *cfg, const char **bad)
{
	int max_message, max_queue, rc;

	memset(cfg, 0, sizeof(*cfg));
	if ((rc = load_int("FELT_WSD_MAX_CONNECTIONS", 1, 1000000,
			   &cfg->max_connections, bad)) ||
	    (rc = load_int("FELT_WSD_MAX_MESSAGE", 1024, 1 << 20, &max_message,
			   bad)) ||
	    (rc = load_int("FELT_WSD_MAX_QUEUE", 65536, 1 << 28, &max_queue,
			   bad)) ||
	    (rc = load_int("FELT_WSD_RATE", 1, 100000, &cfg->rate_per_s, bad)) ||
	    (rc = load_int("FELT_WSD_RATE_BURST", 1, 100000, &cfg->rate_burst,
			   bad)) ||
	    (rc = load_int("FELT_WSD_PING_S", 1, 3600, &cfg->ping_s, bad)) ||
	    (rc = load_int("FELT_WSD_DEAD_S", 2, 7200, &cfg->dead_s, bad)) ||
	    (rc = load_int("FELT_WSD_HEARTBEAT_S", 1, 3600, &cfg->heartbeat_s,
			   bad)) ||
	    (rc = load_int("FELT_HEARTBEAT_STALE_S", 1, 86400,
			   &cfg->heartbeat_stale_s, bad)) ||
	    (rc = load_int("FELT_WSD_LEASE_S", 2, 86400, &cfg->lease_s, bad)) ||
	    (rc = load_int("FELT_WSD_ABANDON_MS", 100, 86400000,
			   &cfg->abandon_ms, bad)) ||
	    (rc = load_int("FELT_WSD_NEXT_HAND_MS", 0, 600000,
			   &cfg->next_hand_ms, bad)) ||
	    (rc = load_int("FELT_WSD_STOP_TIMEOUT_S", 0, 600,
			   &cfg->stop_timeout_s, bad)) ||
	    (rc = load_int("FELT_WSD_MAX_TABLES", 1, 1000000, &cfg->max_tables,
			   bad)))
		return rc;
	/* A ping must have time to be answered before the connection counts
	 * as dead. */
	if (cfg->dead_s <= cfg->ping_s) {
		if (bad)
			*bad = "FELT_WSD_DEAD_S";
		return CONFIG_ERR_RANGE;
	}
	if ((rc = load_cash(cfg, bad)))
		return rc;
	cfg->max_message = (size_t)max_message;
	cfg->max_queue = (size_t)max_queue;
	cfg->db_conninfo = config_get(config_common_vars, "FELT_DB");
	return load_strings(cfg, bad);
}
