/*
 * apiconf.c — felt-api's environment variables and their defaults.
 */
#include "apiconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct config_var apiconf_vars[] = {
	{ "FELT_API_SOCKET", "/tmp/felt-api.sock",
	  "FastCGI listen address: a unix socket path (made mode 0666 so nginx "
	  "workers can connect) or host:port" },
	{ "FELT_API_PROBE_SOCKET", "", "FastCGI address of /health/live and "
	  "/health/ready, answered by their own threads even when every worker "
	  "is busy (empty: FELT_API_SOCKET + \".probe\"; must be set when "
	  "FELT_API_SOCKET is host:port)" },
	{ "FELT_API_READY_TIMEOUT_MS", "1000", "the database watcher pings every "
	  "half of this and gives up on a ping after it; /health/ready answers "
	  "503 once no ping succeeded for 1.5 times this (100-10000)" },
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
	{ "FELT_SEAL_INTERVAL_S", "2", "seconds between two steps of the ledger's "
	  "sealer (hash chain, sql/032); 0: this instance never seals (0-3600)" },
	{ "FELT_PUBLIC_URL", "http://127.0.0.1:8080", "public base URL, "
	  "substituted for {BASE_URL} in /skill.md" },
	{ "FELT_SKILL_MD", FELT_PKGDATADIR "/skill.md", "the skill document "
	  "served at GET /skill.md" },
	{ "FELT_V1_SMALL_BLIND", "1", "/v1 tables auto-join creates (any "
	  "bucket_key not of the form sb{S}_bb{B}_seats{N}_timeout{MS}): small "
	  "blind, chips" },
	{ "FELT_V1_BIG_BLIND", "2", "their big blind, chips" },
	{ "FELT_V1_MAX_SEATS", "6", "their seats (2-10)" },
	{ "FELT_V1_INITIAL_STACK", "100", "the stack every player starts with, "
	  "chips (every auto-joined table, whatever its bucket_key)" },
	{ "FELT_V1_ACTION_TIMEOUT_MS", "30000", "time to act before the safety "
	  "default (check, else fold), ms (1000-3600000)" },
	{ "FELT_V1_MIN_PLAYERS", "2", "players a table needs to start (it "
	  "starts at once when full)" },
	{ "FELT_V1_START_DELAY_MS", "3000", "once enough players sit, wait this "
	  "long for more before starting, ms" },
	{ "FELT_V1_SESSION_TTL_S", "3600", "lifetime of a /v1 session token "
	  "(join, auto-join), seconds; joining again issues a fresh one" },
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

/* The variable behind each field of the /v1 table defaults. */
static const char *v1_var(enum v1_conf_field f)
{
	switch (f) {
	case V1_FIELD_SMALL_BLIND: return "FELT_V1_SMALL_BLIND";
	case V1_FIELD_BIG_BLIND: return "FELT_V1_BIG_BLIND";
	case V1_FIELD_MAX_SEATS: return "FELT_V1_MAX_SEATS";
	case V1_FIELD_INITIAL_STACK: return "FELT_V1_INITIAL_STACK";
	case V1_FIELD_ACTION_TIMEOUT: return "FELT_V1_ACTION_TIMEOUT_MS";
	case V1_FIELD_MIN_PLAYERS: return "FELT_V1_MIN_PLAYERS";
	case V1_FIELD_START_DELAY: return "FELT_V1_START_DELAY_MS";
	}
	return "FELT_V1_*";
}

/* The defaults of the tables auto-join creates, checked together. */
static int load_v1(struct apiconf *cfg, const char **bad)
{
	struct v1_table_config *t = &cfg->v1_table;
	int64_t sb, bb, seats, stack, timeout, min, delay, ttl;
	enum v1_conf_field field;
	char why[128];
	int rc;

	if ((rc = load_int("FELT_V1_SMALL_BLIND", 1, V1_CHIPS_MAX, &sb, bad)) ||
	    (rc = load_int("FELT_V1_BIG_BLIND", 1, V1_CHIPS_MAX, &bb, bad)) ||
	    (rc = load_int("FELT_V1_MAX_SEATS", V1_SEATS_MIN, V1_SEATS_MAX,
			   &seats, bad)) ||
	    (rc = load_int("FELT_V1_INITIAL_STACK", 1, V1_CHIPS_MAX, &stack,
			   bad)) ||
	    (rc = load_int("FELT_V1_ACTION_TIMEOUT_MS", V1_TIMEOUT_MIN_MS,
			   V1_TIMEOUT_MAX_MS, &timeout, bad)) ||
	    (rc = load_int("FELT_V1_MIN_PLAYERS", V1_SEATS_MIN, V1_SEATS_MAX,
			   &min, bad)) ||
	    (rc = load_int("FELT_V1_START_DELAY_MS", 0, V1_START_DELAY_MAX_MS,
			   &delay, bad)) ||
	    (rc = load_int("FELT_V1_SESSION_TTL_S", 60, 30 * 86400, &ttl, bad)))
		return rc;
	t->small_blind_chips = sb;
	t->big_blind_chips = bb;
	t->max_seats = (int)seats;
	t->initial_stack_chips = stack;
	t->action_timeout_ms = (int)timeout;
	t->min_players = (int)min;
	t->start_delay_ms = (int)delay;
	cfg->v1_session_ttl_s = (int)ttl;
	if (v1_conf_check(t, &field, why, sizeof why) != V1_CONF_OK) {
		if (bad)
			*bad = v1_var(field);
		return CONFIG_ERR_RANGE;
	}
	return CONFIG_OK;
}

int apiconf_load(struct apiconf *cfg, const char **bad)
{
	int64_t threads, max_body, drain, stop, hb, stale, ready, seal;
	const char *probe;
	int rc;

	if ((rc = load_int("FELT_API_THREADS", 1, 256, &threads, bad)) ||
	    (rc = load_int("FELT_API_MAX_BODY", 1, 16 << 20, &max_body, bad)) ||
	    (rc = load_int("FELT_API_DRAIN_S", 0, 600, &drain, bad)) ||
	    (rc = load_int("FELT_API_STOP_TIMEOUT_S", 0, 600, &stop, bad)) ||
	    (rc = load_int("FELT_API_HEARTBEAT_S", 1, 3600, &hb, bad)) ||
	    (rc = load_int("FELT_HEARTBEAT_STALE_S", 1, 86400, &stale, bad)) ||
	    (rc = load_int("FELT_API_READY_TIMEOUT_MS", 100, 10000, &ready, bad)) ||
	    (rc = load_int("FELT_SEAL_INTERVAL_S", 0, 3600, &seal, bad)) ||
	    (rc = load_v1(cfg, bad)))
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
	cfg->ready_timeout_ms = (int)ready;
	cfg->db_connect_ms = 0;
	cfg->db_timeout_ms = 0;
	probe = config_get(apiconf_vars, "FELT_API_PROBE_SOCKET");
	if (!*probe && strchr(cfg->socket, ':')) {
		if (bad)
			*bad = "FELT_API_PROBE_SOCKET";
		return CONFIG_ERR_SYNTAX;
	}
	if (!*probe) {
		snprintf(cfg->probe_buf, sizeof cfg->probe_buf, "%s.probe", cfg->socket);
		probe = cfg->probe_buf;
	}
	cfg->probe_socket = probe;
	cfg->seal_s = (int)seal;
	return CONFIG_OK;
}
