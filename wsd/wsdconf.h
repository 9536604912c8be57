/*
 * wsdconf.h — felt-wsd's settings, read once from FELT_* variables at start.
 *
 * wsdconf_vars lists every variable felt-wsd reads besides the common ones
 * (config_common_vars), with its default and a help line (--help prints
 * them).  The defaults live only in that table.
 */
#ifndef FELT_WSD_WSDCONF_H
#define FELT_WSD_WSDCONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/config.h"

#define WSDCONF_INSTANCE_MAX 32
#define WSDCONF_URL_MAX 512

/* The cash tables the /ws lobby opens (FELT_CASH_*). */
struct wsdconf_cash {
	int64_t chip_ucents;
	int64_t sb_chips, bb_chips;
	int64_t min_buy_in_chips, max_buy_in_chips;
	int seats;
	int rake_bp;
	int64_t rake_cap_chips;
	int action_timeout_ms;
	int grace_ms;               /* a disconnected player's seat is held */
	bool post_bb;               /* newcomers post a big blind to play */
};

struct wsdconf {
	const char *db_conninfo;      /* FELT_DB */
	char host[64];                /* FELT_WSD_ADDR, host part */
	int port;                     /* FELT_WSD_ADDR, port part */
	char instance[WSDCONF_INSTANCE_MAX + 1]; /* FELT_WSD_INSTANCE */
	char ws_url[WSDCONF_URL_MAX]; /* FELT_WSD_WS_URL or derived */
	char public_url[WSDCONF_URL_MAX]; /* FELT_PUBLIC_URL, no trailing '/' */
	int max_connections;          /* FELT_WSD_MAX_CONNECTIONS */
	size_t max_message;           /* FELT_WSD_MAX_MESSAGE, bytes */
	size_t max_queue;             /* FELT_WSD_MAX_QUEUE, bytes per socket */
	int rate_per_s;               /* FELT_WSD_RATE */
	int rate_burst;               /* FELT_WSD_RATE_BURST */
	int ping_s;                   /* FELT_WSD_PING_S */
	int dead_s;                   /* FELT_WSD_DEAD_S (> ping_s) */
	int heartbeat_s;              /* FELT_WSD_HEARTBEAT_S */
	int heartbeat_stale_s;        /* FELT_HEARTBEAT_STALE_S */
	int lease_s;                  /* FELT_WSD_LEASE_S */
	int abandon_ms;               /* FELT_WSD_ABANDON_MS */
	int next_hand_ms;             /* FELT_WSD_NEXT_HAND_MS */
	int stop_timeout_s;           /* FELT_WSD_STOP_TIMEOUT_S */
	int max_tables;               /* FELT_WSD_MAX_TABLES */
	struct wsdconf_cash cash;     /* FELT_CASH_* */
};

/* The variables of felt-wsd (NULL-name terminated). */
extern const struct config_var wsdconf_vars[];

/*
 * wsdconf_load — fill cfg from the environment.  db_conninfo points into the
 * environment or the defaults table (not to be freed); the rest is copied.
 * Returns CONFIG_OK or the config_error of the first malformed variable,
 * whose name is stored in *bad (when bad is not NULL).  A ws_url that is
 * not ws:// or wss://, or has a query string, is CONFIG_ERR_SYNTAX.
 */
int wsdconf_load(struct wsdconf *cfg, const char **bad);

#endif
