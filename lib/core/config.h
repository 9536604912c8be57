/*
 * config — configuration from environment variables.
 *
 * Every felt program is configured only through FELT_* environment
 * variables.  Each program lists the variables it reads in one table of
 * struct config_var (name, default, help) so that `--help` and
 * `feltctl config` can print them; config_common_vars holds the ones every
 * program shares (database, logging, SQL directory).
 *
 * Getters read getenv() each time: no cache, no global state.  A variable
 * that is set but malformed is an error, never silently replaced by the
 * default: a typo in production config must stop the program at start-up.
 * An empty value counts as unset.
 */
#ifndef FELT_CONFIG_H
#define FELT_CONFIG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* One documented variable.  Tables end with an entry whose name is NULL. */
struct config_var {
	const char *name; /* e.g. "FELT_DB" */
	const char *def;  /* default as text; NULL means "no default (unset)" */
	const char *help; /* one line for humans */
};

enum config_error {
	CONFIG_OK = 0,
	CONFIG_ERR_SYNTAX = -1, /* value is not a number / boolean */
	CONFIG_ERR_RANGE = -2,  /* number outside [min, max] */
};

/* The variables shared by every program: FELT_DB, FELT_DB_OWNER (feltctl
 * migrate), FELT_LOG_LEVEL, FELT_LOG_FORMAT, FELT_SQL_DIR and the
 * connection settings FELT_DB_* (db_settings_load).  NULL-name terminated. */
extern const struct config_var config_common_vars[];

/* config_strerror — static English text for a config_error code. */
const char *config_strerror(int err);

/*
 * config_str — the value of environment variable name, or def when it is
 * unset or empty.  The returned pointer is owned by the environment (or is
 * def) and stays valid until the variable is changed; do not free it.
 */
const char *config_str(const char *name, const char *def);

/*
 * config_int — parse name as a base-10 integer in [min, max] into *out.
 * Unset/empty: *out = def and CONFIG_OK.  Not an integer (trailing junk,
 * overflow): CONFIG_ERR_SYNTAX.  Out of range: CONFIG_ERR_RANGE.  *out is
 * only written on success.
 */
int config_int(const char *name, int64_t def, int64_t min, int64_t max,
	       int64_t *out);

/*
 * config_bool — parse name as a boolean (1/0, true/false, yes/no, on/off,
 * case-insensitive) into *out.  Unset/empty: *out = def.  Anything else:
 * CONFIG_ERR_SYNTAX.
 */
int config_bool(const char *name, bool def, bool *out);

/*
 * config_default — the default text recorded for name in vars (a NULL-name
 * terminated table), or NULL if name is not listed or has no default.
 * Lets a program keep each default in exactly one place, its table.
 */
const char *config_default(const struct config_var *vars, const char *name);

/*
 * config_get — config_str(name, config_default(vars, name)).
 */
const char *config_get(const struct config_var *vars, const char *name);

/*
 * config_explain — one line for an operator about variable name (listed in
 * vars), refused with err: its value, what is wrong and the variable's help
 * line and default, e.g. "FELT_API_THREADS='abc' is malformed: worker
 * threads, each with its own PostgreSQL connection (1-256); default 8".
 * For loaders that only report which variable failed; those that know the
 * exact form say it with config_explain_int/_bool.  Written into buf (size
 * n, always NUL-terminated); returns buf.
 */
const char *config_explain(char *buf, size_t n, const struct config_var *vars,
			   const char *name, int err);

/*
 * config_explain_int — one line for an operator about variable name,
 * which config_int(name, def, min, max, ...) refused: its value and the
 * form wanted, "FELT_RAKE_BPS='abc': want a whole number from 0 to 10000".
 * Written into buf (size n, always NUL-terminated); returns buf.
 */
const char *config_explain_int(char *buf, size_t n, const char *name, int64_t min,
			       int64_t max);

/*
 * config_explain_bool — the same for a variable config_bool refused:
 * "FELT_X='maybe': want 1/0, true/false, yes/no or on/off".
 */
const char *config_explain_bool(char *buf, size_t n, const char *name);

/*
 * config_print — write one block per variable of vars to f: name, default,
 * current value when set, and the help line.  For --help and `feltctl
 * config`.
 */
void config_print(FILE *f, const struct config_var *vars);

#endif
