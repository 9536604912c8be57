/*
 * paydconf.h — felt-payd's own settings, read once from FELT_PAYD_*
 * variables at start (the chain and the published rules are
 * lib/money/chain's and lib/money/settings' variables).
 *
 * paydconf_vars lists them with their defaults (printed by --help); the
 * defaults live only in that table.
 */
#ifndef FELT_PAYD_PAYDCONF_H
#define FELT_PAYD_PAYDCONF_H

#include <stdbool.h>
#include <stdint.h>

#include "core/config.h"

#define PAYDCONF_INSTANCE_SIZE 128

struct paydconf {
	const char *db_conninfo;       /* FELT_DB */
	int64_t poll_ms;               /* FELT_PAYD_POLL_MS: look at the chain this often */
	int64_t backoff_max_ms;        /* FELT_PAYD_BACKOFF_MAX_MS: longest pause when down */
	int64_t pass_budget_ms;        /* FELT_PAYD_PASS_BUDGET_MS: node time per pass */
	int64_t heartbeat_s;           /* FELT_PAYD_HEARTBEAT_S */
	int64_t batch;                 /* FELT_PAYD_BATCH: rows looked at per pass */
	int64_t scan_blocks;           /* FELT_PAYD_SCAN_BLOCKS: how far to search for a nonce */
	char instance[PAYDCONF_INSTANCE_SIZE]; /* FELT_PAYD_INSTANCE, default the host name */
	bool crash_after_send;         /* FELT_PAYD_TEST_CRASH=after_send (crash tests only) */
};

/* The variables of felt-payd (NULL-name terminated). */
extern const struct config_var paydconf_vars[];

/*
 * paydconf_load: fill cfg from the environment.  Returns CONFIG_OK or the
 * config_error of the first malformed variable, whose name is stored in
 * *bad.
 */
int paydconf_load(struct paydconf *cfg, const char **bad);

#endif
