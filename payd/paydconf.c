/*
 * paydconf.c — felt-payd's environment variables and their defaults.
 */
#include "paydconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const struct config_var paydconf_vars[] = {
	{ "FELT_PAYD_POLL_MS", "2000", "look at the chain this often, ms (new "
	  "deposits and withdrawals also wake felt-payd at once)" },
	{ "FELT_PAYD_BACKOFF_MAX_MS", "30000", "while the node or the database "
	  "is down, retry after a pause doubling up to this, ms" },
	{ "FELT_PAYD_PASS_BUDGET_MS", "10000", "node time one pass over deposits "
	  "and withdrawals may use, ms (keep it below FELT_HEARTBEAT_S)" },
	{ "FELT_PAYD_HEARTBEAT_S", "5", "seconds between felt-payd's heartbeat "
	  "rows (read by /health)" },
	{ "FELT_PAYD_BATCH", "100", "deposits and withdrawals looked at per pass" },
	{ "FELT_PAYD_SCAN_BLOCKS", "5000", "after a crash, how many blocks to "
	  "search for the transaction that used a withdrawal's nonce" },
	{ "FELT_PAYD_INSTANCE", NULL, "name in the heartbeat row; default the "
	  "host name" },
	{ "FELT_PAYD_TEST_CRASH", NULL, "tests only: after_send makes felt-payd "
	  "kill itself (SIGKILL) right after a send, before recording it" },
	{ NULL, NULL, NULL },
};

static int load_int(const char *name, int64_t min, int64_t max, int64_t *out,
		    const char **bad)
{
	const char *def = config_default(paydconf_vars, name);
	int rc = config_int(name, strtoll(def, NULL, 10), min, max, out);

	if (rc)
		*bad = name;
	return rc;
}

int paydconf_load(struct paydconf *cfg, const char **bad)
{
	const char *crash, *instance;
	int rc;

	memset(cfg, 0, sizeof *cfg);
	if ((rc = load_int("FELT_PAYD_POLL_MS", 10, 3600000, &cfg->poll_ms, bad)) ||
	    (rc = load_int("FELT_PAYD_BACKOFF_MAX_MS", 10, 3600000, &cfg->backoff_max_ms, bad)) ||
	    (rc = load_int("FELT_PAYD_PASS_BUDGET_MS", 100, 3600000, &cfg->pass_budget_ms, bad)) ||
	    (rc = load_int("FELT_PAYD_HEARTBEAT_S", 1, 3600, &cfg->heartbeat_s, bad)) ||
	    (rc = load_int("FELT_PAYD_BATCH", 1, 10000, &cfg->batch, bad)) ||
	    (rc = load_int("FELT_PAYD_SCAN_BLOCKS", 1, 10000000, &cfg->scan_blocks, bad)))
		return rc;
	crash = config_get(paydconf_vars, "FELT_PAYD_TEST_CRASH");
	if (crash && strcmp(crash, "after_send") != 0) {
		*bad = "FELT_PAYD_TEST_CRASH";
		return CONFIG_ERR_SYNTAX;
	}
	cfg->crash_after_send = crash != NULL;
	instance = config_get(paydconf_vars, "FELT_PAYD_INSTANCE");
	if (instance == NULL) {
		char host[PAYDCONF_INSTANCE_SIZE] = "localhost";

		gethostname(host, sizeof host - 1);
		host[sizeof host - 1] = '\0';
		snprintf(cfg->instance, sizeof cfg->instance, "%s", host);
	} else if (strlen(instance) >= sizeof cfg->instance) {
		*bad = "FELT_PAYD_INSTANCE";
		return CONFIG_ERR_SYNTAX;
	} else {
		snprintf(cfg->instance, sizeof cfg->instance, "%s", instance);
	}
	cfg->db_conninfo = config_get(config_common_vars, "FELT_DB");
	return CONFIG_OK;
}
