/* bot_opts — felt-bot's command line.  See bot_opts.h. */
#include "bot_opts.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
	"usage: felt-bot [options]\n"
	"\n"
	"Registers agents on a felt server and plays No-Limit Hold'em with them over\n"
	"WebSocket until the hands are played or the tables end, then prints one\n"
	"summary line (hands, actions, errors by code, action->next-state latency).\n"
	"One process, one event loop, any number of connections.\n"
	"\n"
	"  --base URL            server base URL (default http://127.0.0.1:8080)\n"
	"  --agents N            agents to register and seat (default 6)\n"
	"  --tables T            moltpoker: tables the agents form, N/T each (default 1)\n"
	"  --hands H             stop once every table played H hands (default 0: until\n"
	"                        the tables end)\n"
	"  --strategy S          random | call | tight (default random)\n"
	"                          random: random legal actions, raises and all-ins\n"
	"                          call:   check if free, else call\n"
	"                          tight:  raise good hands, call fair ones, fold junk\n"
	"  --protocol P          moltpoker (/v1 REST, /v1/ws?format=agent) or\n"
	"                        openpoker (/api/register, /ws) (default moltpoker)\n"
	"  --bucket KEY          moltpoker: auto-join bucket_key for every agent (default\n"
	"                        sb1_bb2_seats<N/T>_timeout<ms - table mod 16>: tables\n"
	"                        start full, 16 of them fill at once)\n"
	"  --action-timeout-ms MS  moltpoker: the timeout in the default bucket (default 30000)\n"
	"  --buy-in CHIPS        openpoker: join_lobby buy-in (default 2000); the agents\n"
	"                        must be funded (see --keys)\n"
	"  --rejoin              when a table ends (or closes), join a new one\n"
	"  --think-ms MS         wait MS before each action, to watch (default 0)\n"
	"  --idle                connect and never act (for connection benchmarks; the\n"
	"                        server's action timeout plays for the agents)\n"
	"  --duration S          stop after S seconds (default 0: no limit)\n"
	"  --keys FILE           reuse the agents listed in FILE (one line \"api_key\n"
	"                        agent_id [name]\" each) and append those registered now\n"
	"  --register-only       register the agents (appending them to --keys) and exit,\n"
	"                        so they can be funded before they play\n"
	"  --name PREFIX         agent names PREFIX_<run>_<i> (default feltbot)\n"
	"  --seed N              seed for the random strategy (default: clock and pid)\n"
	"  --retries N           attempts per request or connection before an agent\n"
	"                        gives up (default 6, with backoff)\n"
	"  --rate N              start at most N REST requests a second (registrations,\n"
	"                        joins), for a server that must not be flooded (default\n"
	"                        0: as fast as 16 at a time allow)\n"
	"  -v, --verbose         log each agent's steps on stderr (twice: every frame)\n"
	"  -h, --help            this text\n"
	"  --version             print the version\n"
	"\n"
	"Exit status: 0 done and clean; 1 an agent failed (registration, join or\n"
	"connection gave up, or the server refused it for good); 2 usage; 3 done, but\n"
	"the server sent error frames or frames that broke the protocol (see summary).\n"
	"SIGINT/SIGTERM stop the run (openpoker agents leave their tables first) and\n"
	"still print the summary; SIGUSR1 prints a snapshot line (counters so far,\n"
	"latency since the previous snapshot) and goes on.\n";

const char *bot_opts_help(void)
{
	return help;
}

const char *bot_protocol_name(enum bot_protocol p)
{
	return p == BOT_PROTOCOL_OPENPOKER ? "openpoker" : "moltpoker";
}

void bot_opts_defaults(struct bot_opts *o)
{
	memset(o, 0, sizeof *o);
	o->base = "http://127.0.0.1:8080";
	bot_url_parse(o->base, &o->base_url);
	o->agents = 6;
	o->tables = 1;
	o->strategy = BOT_STRATEGY_RANDOM;
	o->protocol = BOT_PROTOCOL_MOLTPOKER;
	o->action_timeout_ms = 30000;
	o->buy_in = 2000;
	o->name = "feltbot";
	o->retries = 6;
}

static int fail(char *err, size_t errlen, const char *fmt, const char *a, const char *b)
{
	snprintf(err, errlen, fmt, a, b);
	return BOT_OPTS_EUSAGE;
}

/* An integer option value within [lo, hi]. */
static int int_value(const char *opt, const char *v, int64_t lo, int64_t hi, int64_t *out,
		     char *err, size_t errlen)
{
	char *end;
	long long n;
	char range[64];

	errno = 0;
	n = strtoll(v, &end, 10);
	if (errno || end == v || *end || n < lo || n > hi) {
		snprintf(range, sizeof range, "%" PRId64 "..%" PRId64, lo, hi);
		return fail(err, errlen, "%s must be an integer %s", opt, range);
	}
	*out = n;
	return BOT_OPTS_RUN;
}

enum opt_id {
	O_BASE, O_AGENTS, O_TABLES, O_HANDS, O_STRATEGY, O_PROTOCOL, O_BUCKET, O_ATIMEOUT,
	O_BUYIN, O_REJOIN, O_THINK, O_DURATION, O_KEYS, O_NAME, O_SEED, O_RETRIES,
	O_VERBOSE, O_HELP, O_VERSION, O_REGONLY, O_IDLE, O_RATE,
};

static const struct { const char *name; enum opt_id id; bool value; } table[] = {
	{"--base", O_BASE, true}, {"--agents", O_AGENTS, true}, {"--tables", O_TABLES, true},
	{"--hands", O_HANDS, true}, {"--strategy", O_STRATEGY, true},
	{"--protocol", O_PROTOCOL, true}, {"--bucket", O_BUCKET, true},
	{"--action-timeout-ms", O_ATIMEOUT, true}, {"--buy-in", O_BUYIN, true},
	{"--rejoin", O_REJOIN, false}, {"--register-only", O_REGONLY, false},
	{"--idle", O_IDLE, false}, {"--think-ms", O_THINK, true},
	{"--duration", O_DURATION, true}, {"--keys", O_KEYS, true}, {"--name", O_NAME, true},
	{"--seed", O_SEED, true}, {"--retries", O_RETRIES, true}, {"--rate", O_RATE, true},
	{"--verbose", O_VERBOSE, false}, {"-v", O_VERBOSE, false}, {"--help", O_HELP, false},
	{"-h", O_HELP, false}, {"--version", O_VERSION, false},
};

/* The value of one option into *o; BOT_OPTS_RUN or BOT_OPTS_EUSAGE. */
static int apply(struct bot_opts *o, enum opt_id id, const char *opt, const char *v,
		 char *err, size_t errlen)
{
	int64_t n = 0;
	int r = BOT_OPTS_RUN;

	switch (id) {
	case O_BASE:
		if ((r = bot_url_parse(v, &o->base_url)) != BOT_URL_OK || o->base_url.ws)
			return fail(err, errlen, "--base: %s", r ? bot_url_strerror(r) :
				    "the base URL is http:// or https://", "");
		o->base = v;
		return BOT_OPTS_RUN;
	case O_AGENTS:
		r = int_value(opt, v, 1, BOT_MAX_AGENTS, &n, err, errlen);
		o->agents = (int)n;
		break;
	case O_TABLES:
		r = int_value(opt, v, 1, BOT_MAX_AGENTS, &n, err, errlen);
		o->tables = (int)n;
		break;
	case O_HANDS:
		r = int_value(opt, v, 0, INT64_C(1) << 40, &o->hands, err, errlen);
		break;
	case O_STRATEGY:
		if (bot_strategy_parse(v, &o->strategy) != BOT_STRATEGY_OK)
			return fail(err, errlen, "--strategy must be random, call or tight (not '%s')",
				    v, "");
		break;
	case O_PROTOCOL:
		if (strcmp(v, "moltpoker") == 0)
			o->protocol = BOT_PROTOCOL_MOLTPOKER;
		else if (strcmp(v, "openpoker") == 0)
			o->protocol = BOT_PROTOCOL_OPENPOKER;
		else
			return fail(err, errlen, "--protocol must be moltpoker or openpoker (not '%s')",
				    v, "");
		break;
	case O_BUCKET:
		if (!*v || strlen(v) > 64)
			return fail(err, errlen, "--bucket must be 1..64 characters", "", "");
		o->bucket = v;
		break;
	case O_ATIMEOUT:
		r = int_value(opt, v, 1000 + BOT_BUCKET_LANES, 3600000, &o->action_timeout_ms, err,
			      errlen);
		break;
	case O_BUYIN:
		r = int_value(opt, v, 1, INT64_C(1) << 40, &o->buy_in, err, errlen);
		break;
	case O_THINK:
		r = int_value(opt, v, 0, 600000, &n, err, errlen);
		o->think_ms = (int)n;
		break;
	case O_DURATION:
		r = int_value(opt, v, 0, 30 * 86400, &n, err, errlen);
		o->duration_s = (int)n;
		break;
	case O_KEYS:
		if (!*v)
			return fail(err, errlen, "--keys needs a file name", "", "");
		o->keys_file = v;
		break;
	case O_NAME:
		if (!*v || strlen(v) > 12 || strspn(v, "abcdefghijklmnopqrstuvwxyz"
					"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != strlen(v))
			return fail(err, errlen, "--name must be 1..12 letters, digits or _", "", "");
		o->name = v;
		break;
	case O_SEED:
		r = int_value(opt, v, 1, INT64_MAX, &n, err, errlen);
		o->seed = (uint64_t)n;
		o->seed_set = true;
		break;
	case O_RETRIES:
		r = int_value(opt, v, 1, 100, &n, err, errlen);
		o->retries = (int)n;
		break;
	case O_RATE:
		r = int_value(opt, v, 0, 100000, &n, err, errlen);
		o->rate = (int)n;
		break;
	case O_REJOIN:
		o->rejoin = true;
		break;
	case O_REGONLY:
		o->register_only = true;
		break;
	case O_IDLE:
		o->idle = true;
		break;
	case O_VERBOSE:
		o->verbose++;
		break;
	case O_HELP:
	case O_VERSION:
		break;
	}
	return r;
}

/* Checks across options, once all are read. */
static int check(struct bot_opts *o, char *err, size_t errlen)
{
	char a[24], b[24];

	if (o->register_only && !o->keys_file)
		return fail(err, errlen, "--register-only needs --keys FILE to keep the keys in", "",
			    "");

	if (o->protocol == BOT_PROTOCOL_MOLTPOKER && !o->bucket) {
		int big = (o->agents + o->tables - 1) / o->tables;

		snprintf(a, sizeof a, "%d", o->agents);
		snprintf(b, sizeof b, "%d", o->tables);
		if (o->agents / o->tables < 2)
			return fail(err, errlen, "--agents %s on --tables %s: a table needs at least 2",
				    a, b);
		if (big > 10)
			return fail(err, errlen, "--agents %s on --tables %s: a table seats at most 10",
				    a, b);
	}
	return BOT_OPTS_RUN;
}

int bot_opts_parse(int argc, char **argv, struct bot_opts *o, char *err, size_t errlen)
{
	bool help_asked = false, version_asked = false;

	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i], *eq = strchr(arg, '='), *v = NULL;
		size_t nlen = eq && arg[0] == '-' && arg[1] == '-' ? (size_t)(eq - arg) : strlen(arg);
		size_t k;
		int r;

		for (k = 0; k < sizeof table / sizeof *table; k++)
			if (strlen(table[k].name) == nlen && strncmp(table[k].name, arg, nlen) == 0)
				break;
		/* -vv, -vvv: verbose that many times */
		if (k == sizeof table / sizeof *table && arg[0] == '-' && arg[1] == 'v' &&
		    strspn(arg + 1, "v") == strlen(arg + 1)) {
			o->verbose += (int)strlen(arg + 1);
			continue;
		}
		if (k == sizeof table / sizeof *table) {
			if (arg[0] == '-') {
				snprintf(err, errlen, "unknown option '%.*s'", (int)nlen, arg);
				return BOT_OPTS_EUSAGE;
			}
			return fail(err, errlen, "unexpected argument '%s'", arg, "");
		}
		if (table[k].value) {
			if (eq && nlen < strlen(arg))
				v = eq + 1;
			else if (i + 1 < argc)
				v = argv[++i];
			else
				return fail(err, errlen, "%s needs a value", table[k].name, "");
		} else if (nlen < strlen(arg)) {
			return fail(err, errlen, "%s takes no value", table[k].name, "");
		}
		if (table[k].id == O_HELP)
			help_asked = true;
		if (table[k].id == O_VERSION)
			version_asked = true;
		if ((r = apply(o, table[k].id, table[k].name, v, err, errlen)) != BOT_OPTS_RUN)
			return r;
	}
	if (help_asked)
		return BOT_OPTS_HELP;
	if (version_asked)
		return BOT_OPTS_VERSION;
	return check(o, err, errlen);
}

int bot_opts_bucket(const struct bot_opts *o, int i, char *buf, size_t len)
{
	int base = o->agents / o->tables, extra = o->agents % o->tables, size, n;

	if (o->bucket) {
		n = snprintf(buf, len, "%s", o->bucket);
	} else {
		int big = extra * (base + 1);
		int t = i < big ? i / (base + 1) : extra + (i - big) / base;

		/* One waiting table per bucket takes the joins one at a time: BOT_BUCKET_LANES
		 * keys that differ by a millisecond of timeout let tables fill side by side. */
		size = i < big ? base + 1 : base;
		n = snprintf(buf, len, "sb1_bb2_seats%d_timeout%" PRId64, size,
			     o->action_timeout_ms - t % BOT_BUCKET_LANES);
	}
	return n >= 0 && (size_t)n < len ? 0 : -1;
}
