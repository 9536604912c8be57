/*
 * felt-bot — a C agent client for felt: registers agents, seats them and
 * plays over WebSocket in either of felt's protocols, for demos, tests and
 * load.  `felt-bot --help` lists the options; bot_run.h describes a run.
 */
#include "autoconf.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "bot_http.h"
#include "bot_run.h"
#include "core/log.h"

enum { EXIT_CLEAN = 0, EXIT_FAILED = 1, EXIT_USAGE = 2, EXIT_ERRORS = 3 };

static volatile sig_atomic_t signals_seen, snapshots_asked;

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		snapshots_asked++;
	else if (signals_seen < 100)
		signals_seen++;
}

static void install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal; /* no SA_RESTART: poll() returns and the tick sees it */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* Hundreds of sockets need more than the usual 1024 descriptors: take what is allowed. */
static unsigned raise_fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return 1024;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	return rl.rlim_cur > 1u << 20 ? 1u << 20 : (unsigned)rl.rlim_cur;
}

/*
 * --keys FILE: agents listed there ("api_key agent_id [name]" per line, #
 * comments) are reused in order; the file is then opened for appending the
 * ones registered now (mode 0600: the keys are secrets).
 */
static int load_keys(struct bot_run *r, const char *path)
{
	FILE *f = fopen(path, "r");
	char line[512];
	int n = 0, fd;

	if (!f && errno != ENOENT) {
		fprintf(stderr, "felt-bot: cannot read %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (f && n < r->n_agents && fgets(line, sizeof line, f)) {
		struct bot_agent *a = &r->agents[n];
		char key[BOT_REST_KEY_MAX], id[BOT_REST_ID_MAX], name[40] = "";

		if (line[0] == '#' || line[strspn(line, " \t\r\n")] == '\0')
			continue;
		if (sscanf(line, "%159s %79s %39s", key, id, name) < 2) {
			fprintf(stderr, "felt-bot: %s: a line is not \"api_key agent_id [name]\"\n", path);
			fclose(f);
			return -1;
		}
		memcpy(a->api_key, key, sizeof key);
		memcpy(a->agent_id, id, sizeof id);
		memcpy(a->name, name, sizeof name);
		n++;
	}
	if (f)
		fclose(f);
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0 || !(r->keys_out = fdopen(fd, "a"))) {
		fprintf(stderr, "felt-bot: cannot write %s: %s\n", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	log_event(LOG_INFO, "bot_keys", "file=%s reused=%d", path, n);
	return 0;
}

static struct lws_context *make_context(const struct bot_opts *o, unsigned fds)
{
	static struct lws_protocols list[3]; /* the last stays zero: the terminator */
	struct lws_context_creation_info info;

	list[0] = bot_http_protocol;
	list[1] = bot_conn_protocol;
	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = list;
	info.options = LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
	info.gid = -1;
	info.uid = -1;
	info.connect_timeout_secs = 10;
	info.timeout_secs = 30;
	/* an HTTP request and a socket per agent at worst, plus lws's own */
	info.fd_limit_per_thread = (unsigned)o->agents * 2u + 64u;
	if (info.fd_limit_per_thread > fds)
		info.fd_limit_per_thread = fds;
	return lws_create_context(&info);
}

static int exit_code(const struct bot_stats *s)
{
	if (s->agents_failed)
		return EXIT_FAILED;
	if (s->errors || s->bad_frames || s->leaks)
		return EXIT_ERRORS;
	return EXIT_CLEAN;
}

int main(int argc, char **argv)
{
	struct bot_opts o;
	struct bot_run r;
	char err[256], line[2048];
	unsigned fds;
	int rc;

	bot_opts_defaults(&o);
	rc = bot_opts_parse(argc, argv, &o, err, sizeof err);
	if (rc == BOT_OPTS_HELP) {
		fputs(bot_opts_help(), stdout);
		return EXIT_CLEAN;
	}
	if (rc == BOT_OPTS_VERSION) {
		printf("felt-bot (felt) %s\n", PACKAGE_VERSION);
		return EXIT_CLEAN;
	}
	if (rc != BOT_OPTS_RUN) {
		fprintf(stderr, "felt-bot: %s\nTry 'felt-bot --help' for the options.\n", err);
		return EXIT_USAGE;
	}
	if (log_configure() != LOG_OK) {
		fprintf(stderr, "felt-bot: FELT_LOG_LEVEL or FELT_LOG_FORMAT has an unknown value\n");
		return EXIT_USAGE;
	}
	if (o.verbose)
		log_set_level(LOG_DEBUG);
	if (!o.seed_set)
		o.seed = (uint64_t)time(NULL) * 0x9E3779B97F4A7C15ull ^ (uint64_t)getpid();
	lws_set_log_level(o.verbose >= 3 ? LLL_ERR | LLL_WARN | LLL_NOTICE : LLL_ERR, NULL);

	memset(&r, 0, sizeof r);
	r.opts = &o;
	r.n_agents = o.agents;
	r.agents = calloc((size_t)o.agents, sizeof *r.agents);
	if (!r.agents) {
		fprintf(stderr, "felt-bot: out of memory for %d agents\n", o.agents);
		return EXIT_FAILED;
	}
	{
		uint64_t s = o.seed;

		snprintf(r.run_tag, sizeof r.run_tag, "%08x", (unsigned)(bot_rng_next(&s) >> 32));
	}
	if (o.keys_file && load_keys(&r, o.keys_file) != 0) {
		free(r.agents);
		return EXIT_FAILED;
	}
	fds = raise_fd_limit();
	if ((unsigned)o.agents * 2u + 64u > fds)
		log_event(LOG_WARN, "bot_fd_limit", "open_files=%u agents=%d hint=\"raise ulimit -n\"",
			  fds, o.agents);
	install_signals();
	r.cx = make_context(&o, fds);
	if (!r.cx) {
		fprintf(stderr, "felt-bot: cannot create the libwebsockets context\n");
		free(r.agents);
		return EXIT_FAILED;
	}
	log_event(LOG_INFO, "bot_start", "base=%s protocol=%s agents=%d tables=%d hands=%lld "
		  "strategy=%s run=%s", o.base, bot_protocol_name(o.protocol), o.agents, o.tables,
		  (long long)o.hands, bot_strategy_name(o.strategy), r.run_tag);
	bot_run_begin(&r, &signals_seen, &snapshots_asked);
	while (!r.finished)
		if (lws_service(r.cx, 0) < 0)
			break;
	r.end_us = bot_now_us();
	r.finished = true;
	/* The summary goes out before the teardown, whatever the teardown does. */
	bot_stats_format(&r.stats, (double)(r.end_us - r.start_us) / 1e6, line, sizeof line);
	puts(line);
	fflush(stdout);
	lws_context_destroy(r.cx);
	log_event(LOG_DEBUG, "bot_context_destroyed", "ms=%lld",
		  (long long)(bot_now_us() - r.end_us) / 1000);
	for (int i = 0; i < r.n_agents; i++)
		bot_conn_free(&r.agents[i]);
	if (r.keys_out)
		fclose(r.keys_out);
	free(r.tables);
	free(r.agents);
	return exit_code(&r.stats);
}
