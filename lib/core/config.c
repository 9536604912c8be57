/* config — FELT_* environment variables with documented defaults.  See config.h. */
#include "core/config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#ifndef FELT_PKGDATADIR
#define FELT_PKGDATADIR "/usr/local/share/felt"
#endif

const struct config_var config_common_vars[] = {
	{"FELT_DB", "dbname=felt",
	 "PostgreSQL connection string (libpq conninfo or postgresql:// URI) of every"
	 " program, as the application role felt_app"},
	{"FELT_DB_OWNER", NULL,
	 "connection of `feltctl migrate` only, as the role that owns felt's objects"
	 " (unset: FELT_DB)"},
	{"FELT_LOG_LEVEL", "info", "lowest level logged: debug, info, warn, error"},
	{"FELT_LOG_FORMAT", "kv", "log line format: kv (key=value) or json"},
	{"FELT_SQL_DIR", FELT_PKGDATADIR "/sql",
	 "directory holding the NNN_name.sql migrations"},
	{"FELT_DB_CONNECT_TIMEOUT_S", "5",
	 "give up a PostgreSQL connection attempt after this many seconds (2-600)"},
	{"FELT_DB_STATEMENT_TIMEOUT_MS", "5000",
	 "PostgreSQL cancels a statement running longer (0: never; migrations are never bounded)"},
	{"FELT_DB_KEEPALIVE_S", "5",
	 "TCP keepalive idle time and probe interval; 3 missed probes drop the connection (1-3600)"},
	{"FELT_DB_POOL_SIZE", "8",
	 "connections of a daemon's non-blocking pool (felt-wsd) (1-64)"},
	{NULL, NULL, NULL},
};

const char *config_strerror(int err)
{
	switch (err) {
	case CONFIG_OK: return "ok";
	case CONFIG_ERR_SYNTAX: return "malformed value";
	case CONFIG_ERR_RANGE: return "value out of range";
	}
	return "unknown config error";
}

const char *config_str(const char *name, const char *def)
{
	const char *v = getenv(name);

	return v && *v ? v : def;
}

int config_int(const char *name, int64_t def, int64_t min, int64_t max,
	       int64_t *out)
{
	const char *v = config_str(name, NULL);
	char *end;
	long long n;

	if (!v) {
		*out = def;
		return CONFIG_OK;
	}
	errno = 0;
	n = strtoll(v, &end, 10);
	/* strtoll skips leading blanks; a value with blanks is a typo. */
	if (errno == ERANGE || end == v || *end != '\0' || v[0] == ' ' ||
	    v[0] == '\t')
		return errno == ERANGE ? CONFIG_ERR_RANGE : CONFIG_ERR_SYNTAX;
	if (n < min || n > max)
		return CONFIG_ERR_RANGE;
	*out = n;
	return CONFIG_OK;
}

int config_bool(const char *name, bool def, bool *out)
{
	static const char *const yes[] = {"1", "true", "yes", "on"};
	static const char *const no[] = {"0", "false", "no", "off"};
	const char *v = config_str(name, NULL);

	if (!v) {
		*out = def;
		return CONFIG_OK;
	}
	for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
		if (strcasecmp(v, yes[i]) == 0) {
			*out = true;
			return CONFIG_OK;
		}
		if (strcasecmp(v, no[i]) == 0) {
			*out = false;
			return CONFIG_OK;
		}
	}
	return CONFIG_ERR_SYNTAX;
}

const char *config_default(const struct config_var *vars, const char *name)
{
	for (; vars && vars->name; vars++)
		if (strcmp(vars->name, name) == 0)
			return vars->def;
	return NULL;
}

const char *config_get(const struct config_var *vars, const char *name)
{
	return config_str(name, config_default(vars, name));
}

const char *config_explain(char *buf, size_t n, const struct config_var *vars,
			   const char *name, int err)
{
	const struct config_var *v = vars;

	while (v && v->name && strcmp(v->name, name) != 0)
		v++;
	snprintf(buf, n, "%s='%s' %s%s%s%s%s", name, config_str(name, ""),
		 err == CONFIG_ERR_RANGE ? "is out of range" : "is malformed",
		 v && v->name ? ": " : "", v && v->name ? v->help : "",
		 v && v->name && v->def ? "; default " : "",
		 v && v->name && v->def ? v->def : "");
	return buf;
}

const char *config_explain_int(char *buf, size_t n, const char *name, int64_t min,
			       int64_t max)
{
	snprintf(buf, n, "%s='%s': want a whole number from %" PRId64 " to %" PRId64, name,
		 config_str(name, ""), min, max);
	return buf;
}

const char *config_explain_bool(char *buf, size_t n, const char *name)
{
	snprintf(buf, n, "%s='%s': want 1/0, true/false, yes/no or on/off", name,
		 config_str(name, ""));
	return buf;
}

/* Values that may carry a credential are never echoed: `feltctl config`
 * output ends up pasted into tickets. */
static bool looks_secret(const char *name, const char *value)
{
	static const char *const words[] = {"KEY", "SECRET", "PASS", "TOKEN"};
	const char *scheme = strstr(value, "://");

	for (size_t i = 0; i < sizeof words / sizeof *words; i++)
		if (strstr(name, words[i]))
			return true;
	if (strcasestr(value, "password"))
		return true;
	if (scheme) {
		const char *at = strchr(scheme, '@');
		const char *colon = strchr(scheme + 3, ':');

		if (at && colon && colon < at)
			return true;
	}
	return false;
}

void config_print(FILE *f, const struct config_var *vars)
{
	for (; vars && vars->name; vars++) {
		const char *cur = config_str(vars->name, NULL);

		fprintf(f, "%s\n    default: %s\n", vars->name,
			vars->def ? vars->def : "(unset)");
		if (cur)
			fprintf(f, "    current: %s\n",
				looks_secret(vars->name, cur) ? "(set, hidden)" : cur);
		fprintf(f, "    %s\n", vars->help);
	}
}
