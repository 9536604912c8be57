/*
 * bot_opts — felt-bot's command line: every option, its default, the
 * --help text, and the checks that refuse a bad value with a one-line
 * reason.  Pure: parsing never prints or exits; felt-bot's main does.
 */
#ifndef FELT_BOT_OPTS_H
#define FELT_BOT_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bot_strategy.h"
#include "bot_url.h"

#define BOT_MAX_AGENTS 20000
#define BOT_BUCKET_LANES 16 /* default buckets that fill side by side */

enum bot_protocol {
	BOT_PROTOCOL_MOLTPOKER, /* /v1 REST + /v1/ws?format=agent */
	BOT_PROTOCOL_OPENPOKER, /* /api/register + /ws */
};

struct bot_opts {
	const char *base;         /* --base URL */
	struct bot_url base_url;  /* parsed */
	int agents;               /* --agents N */
	int tables;               /* --tables T (moltpoker) */
	int64_t hands;            /* --hands H: stop after H hands per table; 0 = until the tables end */
	enum bot_strategy strategy;
	enum bot_protocol protocol;
	const char *bucket;       /* --bucket KEY; NULL: see bot_opts_bucket */
	int64_t action_timeout_ms; /* --action-timeout-ms, in the default bucket key */
	int64_t buy_in;           /* --buy-in CHIPS (openpoker) */
	bool rejoin;              /* --rejoin: play on at a new table when one ends */
	int think_ms;             /* --think-ms: wait before each action */
	bool idle;                /* --idle: never act (connection benchmarks) */
	int duration_s;           /* --duration S: stop after S seconds; 0 = no limit */
	const char *keys_file;    /* --keys FILE */
	bool register_only;       /* --register-only: register (into --keys), do not play */
	const char *name;         /* --name PREFIX */
	uint64_t seed;            /* --seed N; 0 = from the clock */
	bool seed_set;
	int retries;              /* --retries N: per request / connection, then the agent fails */
	int rate;                 /* --rate N: REST requests started per second; 0 = no limit */
	int verbose;              /* -v, --verbose (repeatable) */
};

enum bot_opts_result {
	BOT_OPTS_RUN = 0,
	BOT_OPTS_HELP = 1,
	BOT_OPTS_VERSION = 2,
	BOT_OPTS_EUSAGE = -1,   /* err holds "unknown option 'X'" or what is wrong */
};

/* bot_opts_defaults — every option at its default. */
void bot_opts_defaults(struct bot_opts *o);

/*
 * bot_opts_parse — argv[1..argc-1] into *o (which holds the defaults).
 * Returns BOT_OPTS_RUN, BOT_OPTS_HELP (--help/-h), BOT_OPTS_VERSION
 * (--version) or BOT_OPTS_EUSAGE with a one-line message in err (size
 * errlen): "unknown option '--x'", "--agents needs a value", "--agents
 * must be an integer 1..20000"... Values may be given as "--opt V" or
 * "--opt=V".  Pointers in *o point into argv.
 */
int bot_opts_parse(int argc, char **argv, struct bot_opts *o, char *err, size_t errlen);

/* bot_opts_help — the --help text (static). */
const char *bot_opts_help(void);

/* bot_protocol_name — "moltpoker" or "openpoker". */
const char *bot_protocol_name(enum bot_protocol p);

/*
 * bot_opts_bucket — the bucket_key agent i (0-based) of the run uses to
 * auto-join, into buf: --bucket if given, else
 * sb1_bb2_seats{S}_timeout{ms - t mod BOT_BUCKET_LANES}, S being the size
 * of table t that agent i belongs to (agents are dealt to --tables tables
 * in order, as evenly as possible).
 * Returns 0, or -1 if it did not fit.
 */
int bot_opts_bucket(const struct bot_opts *o, int i, char *buf, size_t len);

#endif
