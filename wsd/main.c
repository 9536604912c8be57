/*
 * main.c — felt-wsd: the WebSocket daemon that owns live tables.
 *
 * One thread, one libwebsockets poll loop.  Every source of events is
 * registered here:
 *   - the WebSocket listener (server.c), routing /v1/ws to the MoltPoker
 *     dialect (moltpoker.c);
 *   - the PostgreSQL connections (wsdb.c: a dbpool whose sockets are
 *     adopted into the loop), with LISTEN felt_tables on the first;
 *   - a signalfd for SIGTERM/SIGINT, adopted the same way;
 *   - timers (lws_sul): the heartbeat and lease round, the stop sequence,
 *     and the tables' own (table.c).
 * Nothing blocks: database work is asynchronous, waits are timers.
 *
 * SIGTERM/SIGINT: new connections are refused and no new hand is dealt;
 * hands in progress may finish for FELT_WSD_STOP_TIMEOUT_S and are void
 * after; when the last commit is answered the tables are released (another
 * instance may take them at once), every socket is closed 1001 and the
 * process exits 0.  A second signal skips the wait.
 */
#include <errno.h>
#include <json-c/json.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "autoconf.h"
#include "core/cli.h"
#include "core/config.h"
#include "core/db.h"
#include "core/log.h"
#include "loop.h"
#include "moltpoker.h"
#include "openpoker.h"
#include "server.h"
#include "statements.h"
#include "tables.h"
#include "wsdb.h"
#include "wsdconf.h"

#define STOP_POLL_MS 100
#define STOP_GRACE_MS 3000 /* after the stop timeout: last writes, closes */

enum phase { RUNNING, DRAINING, RELEASING, CLOSING, DONE };

struct wsd {
	struct wsdconf cfg;
	struct db_settings dbs;
	struct loop loop;
	struct server server;
	struct wsdb *db;
	struct tables *tables;
	int sigfd;
	struct loop_fd *sigwatch;
	struct loop_timer heartbeat_timer, stop_timer;
	enum phase phase;
	int64_t stop_deadline_ms, phase_deadline_ms;
	bool voided;
};

static void heartbeat_done(void *arg, const PGresult *res, const struct db_err *err)
{
	(void)arg;
	(void)res;
	(void)err; /* the next one will do */
}

/* The heartbeat row /health and felt-api read (ws_url, figures). */
static void heartbeat(struct wsd *w)
{
	struct tables_stats st;
	struct json_object *o = json_object_new_object();
	char pid[16];
	const char *params[3];

	tables_stats(w->tables, &st);
	json_object_object_add(o, "ws_url", json_object_new_string(w->cfg.ws_url));
	json_object_object_add(o, "active_tables", json_object_new_int(st.active_tables));
	json_object_object_add(o, "waiting_tables", json_object_new_int(st.waiting_tables));
	json_object_object_add(o, "active_connections", json_object_new_int(w->server.active));
	json_object_object_add(o, "hands_committed", json_object_new_int64(st.hands_committed));
	json_object_object_add(o, "lobby_queue", json_object_new_int(st.lobby_queue));
	json_object_object_add(o, "draining", json_object_new_boolean(w->phase != RUNNING));
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	params[0] = w->cfg.instance;
	params[1] = pid;
	params[2] = json_object_to_json_string(o);
	wsdb_query(w->db, "wsd_heartbeat", 3, params, heartbeat_done, w);
	json_object_put(o);
}

static void on_heartbeat_timer(void *arg)
{
	struct wsd *w = arg;

	heartbeat(w);
	if (w->phase == RUNNING)
		tables_tick(w->tables);
	loop_timer_arm(&w->heartbeat_timer, (int64_t)w->cfg.heartbeat_s * 1000);
}

static void on_db_state(void *ctx, bool up)
{
	struct wsd *w = ctx;

	tables_db_state(w->tables, up);
	if (up)
		heartbeat(w);
}

static void on_notify(void *ctx, const char *channel, const char *payload)
{
	struct wsd *w = ctx;

	if (strcmp(channel, WSD_CHANNEL) == 0)
		tables_notify(w->tables, payload);
}

/* Stopping ------------------------------------------------------------------*/

static void release_done(void *arg, const PGresult *res, const struct db_err *err)
{
	struct wsd *w = arg;

	if (!err)
		log_event(LOG_INFO, "tables_released", "count=%s", PQgetvalue(res, 0, 0));
	if (w->phase == RELEASING) {
		w->phase = CLOSING;
		w->phase_deadline_ms = loop_mono_ms() + STOP_GRACE_MS;
		server_close_all(&w->server, 1001, "Server shutting down");
	}
}

static void stop_step(void *arg)
{
	struct wsd *w = arg;
	int64_t now = loop_mono_ms();
	const char *params[1] = { w->cfg.instance };

	switch (w->phase) {
	case DRAINING:
		if (!tables_shutdown(w->tables)) {
			if (now < w->stop_deadline_ms)
				break;
			if (!w->voided) {
				log_event(LOG_WARN, "hands_void_at_stop", "timeout_s=%d",
					  w->cfg.stop_timeout_s);
				tables_void_all(w->tables);
				w->voided = true;
			}
			if (now < w->stop_deadline_ms + STOP_GRACE_MS)
				break;
		}
		w->phase = RELEASING;
		w->phase_deadline_ms = now + STOP_GRACE_MS;
		if (wsdb_query(w->db, "wsd_release", 1, params, release_done, w) != 0)
			release_done(w, NULL, &(struct db_err){ .code = DB_ERR_CONNECT });
		break;
	case RELEASING:
		if (now >= w->phase_deadline_ms)
			release_done(w, NULL, &(struct db_err){ .code = DB_ERR_CONNECT });
		break;
	case CLOSING:
		if (w->server.active == 0 || now >= w->phase_deadline_ms)
			w->phase = DONE;
		break;
	default:
		break;
	}
	if (w->phase != DONE)
		loop_timer_arm(&w->stop_timer, STOP_POLL_MS);
	else
		lws_cancel_service(w->loop.ctx);
}

static void on_signal(void *arg)
{
	struct wsd *w = arg;
	struct signalfd_siginfo si;

	while (read(w->sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		log_event(LOG_INFO, "stopping", "signal=%s phase=%d",
			  si.ssi_signo == SIGTERM ? "TERM" : "INT", (int)w->phase);
		if (w->phase == RUNNING) {
			w->phase = DRAINING;
			w->server.stopping = true;
			w->stop_deadline_ms = loop_mono_ms() + (int64_t)w->cfg.stop_timeout_s * 1000;
			heartbeat(w);
		} else if (w->phase == DRAINING) {
			/* A second signal: do not wait for the hands. */
			w->stop_deadline_ms = 0;
		}
		stop_step(w);
	}
}

static void on_signal_writable(void *arg)
{
	(void)arg;
}

static const struct loop_fd_ops signal_ops = { on_signal, on_signal_writable };

/* Start-up -------------------------------------------------------------------*/

/* libwebsockets' own messages, as felt log lines. */
static void lws_log(int level, const char *line)
{
	char text[512], quoted[1024];
	size_t n = strlen(line);

	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		n--;
	snprintf(text, sizeof(text), "%.*s", (int)n, line);
	log_event(level == LLL_ERR ? LOG_ERROR : level == LLL_WARN ? LOG_WARN : LOG_DEBUG,
		  "lws", "msg=%s", log_quote(text, quoted, sizeof(quoted)));
}

static const struct config_var *const env_tables[] = {
	config_common_vars, wsdconf_vars, NULL,
};

static const struct cli_spec cli = {
	.prog = "felt-wsd",
	.usage = "",
	.about = "felt's WebSocket daemon: owns the live tables, deals, takes actions over\n"
		 "WebSocket and commits every hand. It has no options: it is configured by\n"
		 "the environment variables below, and stops cleanly on SIGTERM or SIGINT.",
	.max_operands = 0,
	.env = env_tables,
	.epilog = "Exit status: 0 stopped cleanly, 1 failed, 2 usage error or a malformed\n"
		  "setting (logged as event=bad_config).",
};

/* Returns 0, or the exit status (2) after logging the refused setting. */
static int configure(struct wsd *w)
{
	const char *bad = NULL;
	char why[512];
	int rc;

	if (log_configure() != LOG_OK) {
		fprintf(stderr, "felt-wsd: bad FELT_LOG_LEVEL/FELT_LOG_FORMAT\n");
		return 2;
	}
	if ((rc = wsdconf_load(&w->cfg, &bad)) != CONFIG_OK)
		return log_bad_config(bad, config_explain(why, sizeof why, wsdconf_vars, bad, rc));
	if ((rc = db_settings_load(&w->dbs, &bad)) != CONFIG_OK)
		return log_bad_config(bad, db_settings_explain(bad, why, sizeof why));
	return 0;
}

static int open_signals(struct wsd *w)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	/* A client that hangs up must cost a failed write, not the process. */
	signal(SIGPIPE, SIG_IGN);
	w->sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (w->sigfd < 0) {
		log_event(LOG_ERROR, "signalfd_failed", "errno=%d", errno);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static struct wsd w; /* the one instance: everything hangs off it */
	struct wsdb_events ev = { &w, on_db_state, on_notify };

	struct cli_parsed args;
	int rc;

	if ((rc = cli_parse(&cli, argc, argv, &args)) != CLI_OK)
		return cli_status(rc);
	if ((rc = configure(&w)) != 0)
		return rc;
	if (open_signals(&w) != 0)
		return 1;
	lws_set_log_level(log_enabled(LOG_DEBUG) ? LLL_ERR | LLL_WARN | LLL_NOTICE | LLL_INFO
						 : LLL_ERR | LLL_WARN, lws_log);

	/* The WebSocket server and the loop itself. */
	if (server_start(&w.server, &w.loop, &w.cfg) != 0)
		return 1;
	server_route(&w.server, "/v1/ws", &moltpoker_codec);
	server_route(&w.server, "/ws", &openpoker_codec);

	/* Signals. */
	w.sigwatch = loop_watch(&w.loop, w.sigfd, &signal_ops, &w);
	if (!w.sigwatch)
		return 1;

	/* The database (its sockets and timers join the loop) and the tables. */
	w.tables = NULL;
	w.db = wsdb_new(&w.loop, w.cfg.db_conninfo, &w.dbs, wsd_statements, wsd_listen, &ev);
	if (!w.db)
		return 1;
	w.tables = tables_new(&w.loop, w.db, &w.cfg);
	if (!w.tables)
		return 1;
	w.server.tables = w.tables;

	/* Timers: heartbeat + lease round now and every FELT_WSD_HEARTBEAT_S;
	 * the stop sequence once a signal comes. */
	loop_timer_init(&w.heartbeat_timer, &w.loop, on_heartbeat_timer, &w);
	loop_timer_init(&w.stop_timer, &w.loop, stop_step, &w);
	loop_timer_arm(&w.heartbeat_timer, (int64_t)w.cfg.heartbeat_s * 1000);

	log_event(LOG_INFO, "started", "addr=%s:%d instance=%s ws_url=%s version=%s",
		  w.cfg.host, w.cfg.port, w.cfg.instance, w.cfg.ws_url, PACKAGE_VERSION);
	while (w.phase != DONE)
		if (lws_service(w.loop.ctx, 0) < 0)
			break;

	loop_timer_cancel(&w.heartbeat_timer);
	loop_timer_cancel(&w.stop_timer);
	/* The database first: its last callbacks still reach the tables. */
	wsdb_free(w.db);
	tables_free(w.tables);
	w.server.tables = NULL; /* sockets closed after this find no lobby */
	loop_unwatch(w.sigwatch);
	server_stop(&w.server);
	close(w.sigfd);
	log_event(LOG_INFO, "stopped", "phase=%d", (int)w.phase);
	return 0;
}
