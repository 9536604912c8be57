/*
 * apiconf.c — felt-api's environment variables and their defaults.
 */
#include "apiconf.h"

#include <stdlib.h>

const struct config_var apiconf_vars[] = {
	{ "FELT_API_SOCKET", "/tmp/felt-api.sock",
	  "FastCGI listen address: a unix socket path (made mode 0666 so nginx "
	  "workers can connect) or host:port" },
	{ "FELT_API_THREADS", "8", "worker threads, each with its own "
	  "PostgreSQL connection (1-256)" },
	{ "FELT_API_MAX_BODY", "65536", "largest request body in bytes; larger "
	  "bodies get 413 (keep nginx client_max_body_size the same)" },
	{ "FELT_API_DRAIN_S", "0", "after SIGTERM, seconds to keep serving with "
	  "/health/ready answering 503 before closing the socket" },
	{ "FELT_API_STOP_TIMEOUT_S", "10", "after closing the socket, seconds "
	  "to wait for requests in progress before exiting anyway" },
	{ "FELT_API_HEARTBEAT_S", "5", "seconds between felt-api's own "
	  "heartbeat rows" },
	{ "FELT_HEARTBEAT_STALE_S", "15", "a component whose heartbeat is older "
	  "than this is reported as not running by /health" },
	{ "FELT_PUBLIC_URL", "http://127.0.0.1:8080", "public base URL, "
	  "substituted for {BASE_URL} in /skill.md" },
	{ "FELT_SKILL_MD", FELT_PKGDATADIR "/skill.md", "the skill document "
	  "served at GET /skill.md" },
	{ NULL, NULL, NULL },
};

static int load_int(const char *name, int64_t min, int64_t max,
		    int64_t *out, const char **bad)
{
	const char *def = config_default(apiconf_vars, name);
	int rc = config_int(name, strtoll(def, NULL, 10), min, max, out);

	if (rc && bad)
		*bad = name;
	return rc;
}

int apiconf_load(struct apiconf *cfg, const char **bad)
{
	int64_t threads, max_body, drain, stop, hb, stale;
	int rc;

	if ((rc = load_int("FELT_API_THREADS", 1, 256, &threads, bad)) ||
	    (rc = load_int("FELT_API_MAX_BODY", 1, 16 << 20, &max_body, bad)) ||
	    (rc = load_int("FELT_API_DRAIN_S", 0, 600, &drain, bad)) ||
	    (rc = load_int("FELT_API_STOP_TIMEOUT_S", 0, 600, &stop, bad)) ||
	    (rc = load_int("FELT_API_HEARTBEAT_S", 1, 3600, &hb, bad)) ||
	    (rc = load_int("FELT_HEARTBEAT_STALE_S", 1, 86400, &stale, bad)))
		return rc;
	cfg->db_conninfo = config_get(config_common_vars, "FELT_DB");
	cfg->socket = config_get(apiconf_vars, "FELT_API_SOCKET");
	cfg->public_url = config_get(apiconf_vars, "FELT_PUBLIC_URL");
	cfg->skill_md = config_get(apiconf_vars, "FELT_SKILL_MD");
	cfg->threads = (int)threads;
	cfg->max_body = (size_t)max_body;
	cfg->drain_s = (int)drain;
	cfg->stop_timeout_s = (int)stop;
	cfg->heartbeat_s = (int)hb;
	cfg->heartbeat_stale_s = (int)stale;
	return CONFIG_OK;
}
