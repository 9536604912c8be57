/*
 * apiconf.h — felt-api's settings, read once from FELT_* variables at start.
 *
 * apiconf_vars lists every variable felt-api reads besides the common ones
 * (config_common_vars): name, default and a help line, printed by --help.
 * The defaults live only in that table.
 */
#ifndef FELT_CGI_APICONF_H
#define FELT_CGI_APICONF_H

#include <stddef.h>
#include <stdint.h>

#include "core/config.h"
#include "v1_tableconf.h"

struct apiconf {
	const char *db_conninfo;   /* FELT_DB */
	const char *socket;        /* FELT_API_SOCKET: unix path or host:port */
	const char *probe_socket;  /* FELT_API_PROBE_SOCKET, or socket + ".probe" */
	int threads;               /* FELT_API_THREADS */
	size_t max_body;           /* FELT_API_MAX_BODY, bytes */
	int drain_s;               /* FELT_API_DRAIN_S */
	int stop_timeout_s;        /* FELT_API_STOP_TIMEOUT_S */
	int heartbeat_s;           /* FELT_API_HEARTBEAT_S */
	int heartbeat_stale_s;     /* FELT_HEARTBEAT_STALE_S */
	int seal_s;                /* FELT_SEAL_INTERVAL_S, 0: never */
	const char *public_url;    /* FELT_PUBLIC_URL, no trailing '/' kept */
	const char *skill_md;      /* FELT_SKILL_MD: path of the skill document */
	struct v1_table_config v1_table; /* FELT_V1_*: tables auto-join creates */
	int v1_session_ttl_s;      /* FELT_V1_SESSION_TTL_S */
	int ready_timeout_ms;      /* FELT_API_READY_TIMEOUT_MS: the watcher's bound */
	/* From the FELT_DB_* settings (main.c): */
	int db_connect_ms;         /* a connection attempt gives up after this */
	int db_timeout_ms;         /* a statement's answer is awaited this long */
	char probe_buf[300];       /* probe_socket when derived from socket */
};

/* The variables of felt-api (NULL-name terminated). */
extern const struct config_var apiconf_vars[];

/*
 * apiconf_load: fill cfg from the environment. Strings point into the
 * environment, the defaults table or cfg itself (not to be freed); the
 * db_* fields are left for main to fill from the FELT_DB_* settings.
 * A host:port FELT_API_SOCKET needs an explicit FELT_API_PROBE_SOCKET
 * (else CONFIG_ERR_SYNTAX naming it). Returns CONFIG_OK or
 * the config_error of the first malformed variable, whose name is stored
 * in *bad (when bad is not NULL). FELT_V1_* values that contradict each
 * other (small blind not below the big blind, more players to start than
 * seats...) are CONFIG_ERR_RANGE naming the variable that breaks the rule.
 */
int apiconf_load(struct apiconf *cfg, const char **bad);

#endif
