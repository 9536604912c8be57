/*
 * main.c — felt-api: the FastCGI responder behind nginx.
 *
 * The main thread owns the process: it reads the settings, opens the
 * listening socket, blocks every signal it handles before any worker thread
 * exists (so only it receives them, through sigwait), starts the workers,
 * and then alternates between waiting for a signal, writing felt-api's
 * heartbeat row and sealing the ledger (FELT_SEAL_INTERVAL_S: every
 * instance tries, one at a time seals).
 *
 *   SIGTERM, SIGINT  drain: /health/ready answers 503 for FELT_API_DRAIN_S,
 *                    then the socket is shut down, workers finish what they
 *                    are doing (at most FELT_API_STOP_TIMEOUT_S) and the
 *                    process exits 0.
 *   SIGUSR2          toggle draining by hand (take an instance out of a
 *                    load balancer without stopping it).
 */
#include <errno.h>
#include <fcgiapp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "api_handlers.h"
#include "apiconf.h"
#include "apidb.h"
#include "autoconf.h"
#include "core/cli.h"
#include "core/db.h"
#include "dbwatch.h"
#include "handler.h"
#include "core/log.h"
#include "money/ledger.h"
#include "queries.h"
#include "money/chain.h"
#include "money/rpc.h"
#include "money/settings.h"
#include "skill.h"
#include "worker.h"

#define LISTEN_BACKLOG 1024
/* Threads of the probe listener: /health/live and /health/ready answer
 * from memory, two are plenty and keep one free behind a slow client. */
#define PROBE_THREADS 2

static bool is_unix_path(const char *addr)
{
	return strchr(addr, ':') == NULL;
}

/* Open the FastCGI socket; a unix socket is made reachable by nginx
 * workers that run as another user (nobody). Returns the fd or -1. */
static int open_listener(const char *addr)
{
	struct stat st;
	int fd;

	/* A socket file left by a killed instance would make bind fail. */
	if (is_unix_path(addr) && lstat(addr, &st) == 0 && S_ISSOCK(st.st_mode))
		unlink(addr);
	fd = FCGX_OpenSocket(addr, LISTEN_BACKLOG);
	if (fd < 0)
		return -1;
	if (is_unix_path(addr) && chmod(addr, 0666) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static void heartbeat(struct apidb *db, const struct apiconf *cfg,
		      struct api_state *state)
{
	char instance[320], host[256] = "localhost", pid[16];
	struct json_object *stats = json_object_new_object();
	const char *params[3];
	PGconn *c = apidb_get(db);
	PGresult *r;

	if (!c) {
		json_object_put(stats);
		return;
	}
	gethostname(host, sizeof(host) - 1);
	snprintf(instance, sizeof(instance), "%s:%s", host, cfg->socket);
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	json_object_object_add(stats, "threads",
			       json_object_new_int(cfg->threads));
	json_object_object_add(stats, "requests", json_object_new_int64(
		(int64_t)atomic_load(&state->requests)));
	json_object_object_add(stats, "errors_5xx", json_object_new_int64(
		(int64_t)atomic_load(&state->errors_5xx)));
	json_object_object_add(stats, "busy",
			       json_object_new_int(atomic_load(&state->busy)));
	json_object_object_add(stats, "draining", json_object_new_boolean(
		atomic_load(&state->draining)));
	params[0] = instance;
	params[1] = pid;
	params[2] = json_object_to_json_string(stats);
	r = db_exec_prepared(c, QUERIES_HEARTBEAT_UPSERT, 3, params, NULL);
	PQclear(r);
	json_object_put(stats);
	apidb_release(db);
}

/* The ledger's sealer (sql/032): a few batches per step, so that a backlog
 * (after downtime, or the first start on an old ledger) is caught up
 * without starving the heartbeat.  Failures are logged when they start and
 * when they stop, not every step. */
#define SEAL_BATCH 5000
#define SEAL_BATCHES_PER_STEP 20

static void seal(struct apidb *db, bool *failing)
{
	PGconn *c = apidb_get(db);
	int n = SEAL_BATCH, rc = LEDGER_OK;

	for (int i = 0; c && n == SEAL_BATCH && i < SEAL_BATCHES_PER_STEP; i++) {
		if ((rc = ledger_seal(c, SEAL_BATCH, &n)) != LEDGER_OK)
			break;
		if (n > 0)
			log_event(LOG_DEBUG, "ledger_sealed", "txns=%d", n);
	}
	if (!c)
		rc = LEDGER_ERR_DB;
	if ((rc != LEDGER_OK) != *failing)
		log_event(rc != LEDGER_OK ? LOG_WARN : LOG_INFO,
			  rc != LEDGER_OK ? "seal_failing" : "seal_recovered",
			  "error=\"%s\"", ledger_strerror(rc));
	*failing = rc != LEDGER_OK;
}

static int64_t monotonic_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec;
}

/* Wait for a signal of set for at most seconds; 0 on timeout. */
static int wait_signal(const sigset_t *set, int seconds)
{
	struct timespec ts = { .tv_sec = seconds, .tv_nsec = 0 };
	int sig;

	do
		sig = sigtimedwait(set, NULL, &ts);
	while (sig < 0 && errno == EINTR);
	return sig < 0 ? 0 : sig;
}

/* Serve until SIGTERM/SIGINT, writing heartbeats and sealing the ledger
 * in between. */
static void run_until_stop(const sigset_t *set, struct apidb *db,
			   const struct apiconf *cfg, struct api_state *state)
{
	int64_t next_beat = 0, next_seal = cfg->seal_s ? 0 : INT64_MAX;
	bool seal_failing = false;

	for (;;) {
		int64_t now = monotonic_s(), wake;
		int sig;

		if (now >= next_beat) {
			heartbeat(db, cfg, state);
			next_beat = now + cfg->heartbeat_s;
		}
		if (now >= next_seal) {
			seal(db, &seal_failing);
			next_seal = monotonic_s() + cfg->seal_s;
		}
		now = monotonic_s();
		wake = next_beat < next_seal ? next_beat : next_seal;
		sig = wait_signal(set, wake > now ? (int)(wake - now) : 0);
		if (sig == SIGUSR2) {
			bool d = !atomic_load(&state->draining);

			atomic_store(&state->draining, d);
			log_event(LOG_WARN, "draining", "on=%s",
				  d ? "yes" : "no");
		} else if (sig == SIGTERM || sig == SIGINT) {
			log_event(LOG_INFO, "stopping", "signal=%s drain_s=%d",
				  sig == SIGTERM ? "TERM" : "INT",
				  cfg->drain_s);
			atomic_store(&state->draining, true);
			heartbeat(db, cfg, state);
			/* A second signal cuts the drain period short. */
			if (cfg->drain_s > 0)
				wait_signal(set, cfg->drain_s);
			return;
		}
	}
}

static const struct config_var *const env_tables[] = {
	config_common_vars, apiconf_vars, settings_vars, chain_vars, NULL,
};

static const struct cli_spec cli = {
	.prog = "felt-api",
	.usage = "",
	.about = "felt's FastCGI responder behind nginx: /api, /v1, /health and /skill.md.\n"
		 "It has no options: it is configured by the environment variables below\n"
		 "and stops cleanly on SIGTERM or SIGINT (SIGUSR2 toggles draining).",
	.max_operands = 0,
	.env = env_tables,
	.epilog = "Exit status: 0 stopped cleanly, 1 could not serve or stop in time,\n"
		  "2 usage error or a malformed setting (logged as event=bad_config).",
};

static int start_workers(struct worker *workers, struct worker_pool *pool,
			 int fd, const struct route *routes, size_t n_routes,
			 const struct handler_ctx *proto, int first, int n)
{
	int i, rc;

	for (i = first; i < first + n; i++) {
		rc = worker_start(&workers[i], pool, i, fd, routes, n_routes,
				  proto);
		if (rc) {
			log_event(LOG_ERROR, "thread_start_failed",
				  "thread=%d error=%d", i, rc);
			return -1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct api_state state = { 0 };
	struct handler_ctx proto = { 0 };
	struct worker_pool pool;
	struct worker *workers;
	struct apiconf cfg;
	struct skill skill;
	struct apidb hb_db;
	struct dbwatch watch = { 0 };
	struct settings settings;
	struct db_settings db_settings;
	struct db_err db_error;
	struct chain_config chain;
	struct cli_parsed args;
	char *public_config, *conninfo;
	const char *bad = NULL;
	char why[512];
	sigset_t set;
	int fd, probe_fd, rc, left, n_workers;

	if ((rc = cli_parse(&cli, argc, argv, &args)) != CLI_OK)
		return cli_status(rc);
	if (log_configure() != LOG_OK) {
		fprintf(stderr, "felt-api: bad FELT_LOG_LEVEL/FELT_LOG_FORMAT\n");
		return 2;
	}
	if ((rc = apiconf_load(&cfg, &bad)) != CONFIG_OK)
		return log_bad_config(bad, config_explain(why, sizeof why, apiconf_vars, bad, rc));
	if ((rc = settings_load(&settings, &bad)) != SETTINGS_OK)
		return log_bad_config(bad, settings_explain(rc, bad, why, sizeof why));
	/* Every connection of every thread gets the connect and statement
	 * timeouts and the keepalives (db_conninfo), built once here. */
	if ((rc = db_settings_load(&db_settings, &bad)) != CONFIG_OK)
		return log_bad_config(bad, db_settings_explain(bad, why, sizeof why));
	if ((rc = chain_config_load(&chain, &bad)) != CONFIG_OK)
		return log_bad_config(bad, config_explain(why, sizeof why, chain_vars, bad, rc));
	conninfo = db_conninfo(cfg.db_conninfo, &db_settings, "felt-api",
			       &db_error);
	if (!conninfo)
		return log_bad_config("FELT_DB", db_error.message);
	cfg.db_conninfo = conninfo;
	/* A statement's answer is awaited a little longer than the server
	 * takes to cancel it: past that, the server is not answering at
	 * all (frozen), and its own timeout cannot fire. */
	cfg.db_connect_ms = db_settings.connect_timeout_s * 1000;
	cfg.db_timeout_ms = db_settings.statement_timeout_ms > 0
				    ? db_settings.statement_timeout_ms + 1000 : 0;
	if (rpc_global_init() != RPC_OK)
		return 1;
	public_config = api_public_config_render(&settings, &chain,
						 &proto.public_config_len);
	if (public_config == NULL)
		return 1;
	proto.public_config = public_config;
	rc = skill_load(&skill, cfg.skill_md, cfg.public_url);
	if (rc != SKILL_OK)
		log_event(LOG_WARN, "skill_md_unavailable", "path=%s error=\"%s\"",
			  cfg.skill_md, skill_strerror(rc));

	FCGX_Init();
	fd = open_listener(cfg.socket);
	if (fd < 0) {
		log_event(LOG_ERROR, "listen_failed", "socket=%s errno=%d",
			  cfg.socket, errno);
		return 1;
	}
	probe_fd = open_listener(cfg.probe_socket);
	if (probe_fd < 0) {
		log_event(LOG_ERROR, "listen_failed", "socket=%s errno=%d",
			  cfg.probe_socket, errno);
		return 1;
	}
	/* Before any thread exists, so every thread inherits the mask and the
	 * signals can only be collected by sigwait here. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGUSR2);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	/* A client that hangs up must cost a failed write, not the process. */
	signal(SIGPIPE, SIG_IGN);

	clock_gettime(CLOCK_MONOTONIC, &state.started);
	dbhealth_init(&state.db_health);
	proto.cfg = &cfg;
	proto.state = &state;
	proto.skill = &skill;
	proto.settings = &settings;
	proto.chain = &chain;
	worker_pool_init(&pool);
	n_workers = cfg.threads + PROBE_THREADS;
	workers = calloc((size_t)n_workers, sizeof(*workers));
	if (!workers ||
	    start_workers(workers, &pool, fd, routes_table, routes_count,
			  &proto, 0, cfg.threads) != 0 ||
	    start_workers(workers, &pool, probe_fd, probe_routes_table,
			  probe_routes_count, &proto, cfg.threads,
			  PROBE_THREADS) != 0)
		return 1;
	if ((rc = dbwatch_start(&watch, cfg.db_conninfo, &state.db_health,
				cfg.ready_timeout_ms, cfg.ready_timeout_ms / 2))) {
		log_event(LOG_ERROR, "thread_start_failed", "thread=dbwatch error=%d", rc);
		return 1;
	}
	log_event(LOG_INFO, "started", "socket=%s probe_socket=%s threads=%d version=%s",
		  cfg.socket, cfg.probe_socket, cfg.threads, PACKAGE_VERSION);

	apidb_init(&hb_db, cfg.db_conninfo);
	apidb_guard(&hb_db, &state.db_health, cfg.db_connect_ms, cfg.db_timeout_ms);
	run_until_stop(&set, &hb_db, &cfg, &state);

	/* Workers blocked in accept() return with an error once the socket
	 * is shut down; FCGX_ShutdownPending stops libfcgi retrying. */
	atomic_store(&state.stopping, true);
	FCGX_ShutdownPending();
	shutdown(fd, SHUT_RDWR);
	shutdown(probe_fd, SHUT_RDWR);
	left = worker_pool_wait(&pool, workers, n_workers,
				cfg.stop_timeout_s);
	close(fd);
	close(probe_fd);
	if (is_unix_path(cfg.socket))
		unlink(cfg.socket);
	if (is_unix_path(cfg.probe_socket))
		unlink(cfg.probe_socket);
	apidb_close(&hb_db);
	dbwatch_stop(&watch);
	if (left > 0) {
		log_event(LOG_WARN, "stopped", "busy_threads=%d", left);
		return 1;
	}
	free(workers);
	skill_free(&skill);
	free(public_config);
	free(conninfo);
	dbhealth_destroy(&state.db_health);
	log_event(LOG_INFO, "stopped", "busy_threads=0");
	return 0;
}
