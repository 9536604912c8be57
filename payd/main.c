/*
 * main.c — felt-payd: confirms pending deposits and sends withdrawals
 * (DESIGN §5, §6; payd.h has the parts).
 *
 * One thread.  Each turn of the loop: (re)connect to PostgreSQL if
 * needed, hold the sender lock (else stand by), make one pass over
 * deposits and withdrawals, write the heartbeat when it is due, then wait
 * for the next turn: FELT_PAYD_POLL_MS, woken at once by NOTIFY felt_payd
 * (a new pending deposit or withdrawal), backing off up to
 * FELT_PAYD_BACKOFF_MAX_MS while the node or the database is down.
 *
 *   SIGTERM, SIGINT  finish the item in progress, write a last heartbeat,
 *                    exit 0.  Signals are blocked and read from a signalfd,
 *                    so a pass is never cut between a send and its record
 *                    by a signal (a crash can do that; payd.h says how
 *                    that is survived).
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "autoconf.h"
#include "core/cli.h"
#include "core/db.h"
#include "core/log.h"
#include "money/payments.h"
#include "money/rpc.h"
#include "payd.h"
#include "queries.h"

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void payd_error(struct payd *p, const char *event, const char *fmt, ...)
{
	int n = snprintf(p->last_error, sizeof p->last_error, "%s ", event);
	va_list ap;

	if (n < 0 || (size_t)n >= sizeof p->last_error)
		n = 0;
	va_start(ap, fmt);
	vsnprintf(p->last_error + n, sizeof p->last_error - (size_t)n, fmt, ap);
	va_end(ap);
	log_event(LOG_WARN, event, "%s", p->last_error + n);
}

int payd_stopping(struct payd *p)
{
	struct pollfd fd = { p->signal_fd, POLLIN, 0 };

	return poll(&fd, 1, 0) > 0;
}

int64_t payd_confirmations(const struct payd *p, uint64_t block)
{
	return p->head >= block ? (int64_t)(p->head - block + 1) : 0;
}

static const struct config_var *const env_tables[] = {
	config_common_vars, paydconf_vars, chain_vars, settings_vars, NULL,
};

static const struct cli_spec cli = {
	.prog = "felt-payd",
	.usage = "",
	.about = "felt's payments worker: credits confirmed USDC deposits, sends and tracks\n"
		 "withdrawals. It has no options: it is configured by the environment\n"
		 "variables below, idles (saying so) when no chain is configured, and stops\n"
		 "cleanly on SIGTERM or SIGINT.",
	.max_operands = 0,
	.env = env_tables,
	.epilog = "Exit status: 0 stopped cleanly, 1 failed, 2 usage error or a malformed\n"
		  "setting (logged as event=bad_config).",
};

/* A connected session (bounded statements: FELT_DB_*), its statements
 * prepared, listening; no sender lock yet. */
static PGconn *connect_db(const char *conninfo)
{
	PGconn *c = db_connect(conninfo, 1, 0);

	if (c && (db_prepare_all(c, payd_queries, NULL) == DB_ERR_CONNECT ||
		  db_command(c, queries_listen, 0, NULL, NULL) != DB_OK)) {
		db_close(c);
		c = NULL;
	}
	return c;
}

/* The sender lock: 1 held, 0 another felt-payd has it, -1 error. */
static int take_lock(PGconn *c)
{
	PGresult *r = db_exec_prepared(c, QUERIES_LOCK, 0, NULL, NULL);
	int held;

	if (r == NULL)
		return -1;
	held = strcmp(PQgetvalue(r, 0, 0), "t") == 0;
	PQclear(r);
	return held;
}

static int configured(const struct payd *p)
{
	return p->chaincfg->rpc_url[0] &&
	       (p->settings->deposit_address[0] || p->settings->hot_wallet_address[0]);
}

/* The node must be on FELT_CHAIN_ID before anything is believed. */
static int check_chain(struct payd *p, int *checked)
{
	uint64_t id;

	if (*checked)
		return PAYD_OK;
	if (chain_chain_id(p->reader, &id) != CHAIN_OK)
		return PAYD_ENODE;
	if (id != (uint64_t)p->settings->chain_id) {
		p->state = "wrong_chain";
		payd_error(p, "chain_mismatch", "node_chain_id=%" PRIu64 " FELT_CHAIN_ID=%" PRId64, id,
			   p->settings->chain_id);
		return PAYD_ENODE;
	}
	*checked = 1;
	return PAYD_OK;
}

/* One pass over deposits and withdrawals. */
static int pass(struct payd *p, int *chain_checked)
{
	int rc;

	chain_set_budget(p->reader, p->cfg->pass_budget_ms);
	chain_set_budget(p->signer, p->cfg->pass_budget_ms);
	if ((rc = check_chain(p, chain_checked)) != PAYD_OK)
		return rc;
	if (chain_block_number(p->reader, &p->head) != CHAIN_OK)
		return PAYD_ENODE;
	if (p->settings->deposit_address[0] && (rc = payd_deposits_pass(p)) != PAYD_OK)
		return rc;
	if (p->settings->hot_wallet_address[0] && (rc = payd_withdrawals_pass(p)) != PAYD_OK)
		return rc;
	return PAYD_OK;
}

static void heartbeat(struct payd *p)
{
	struct json_object *stats = json_object_new_object();
	int64_t deposits = 0, pending = 0, processing = 0;
	char pid[16];
	const char *params[4];
	int running = strcmp(p->state, "running") == 0;

	if (payments_count_pending_deposits(p->db, &deposits) != PAYMENTS_OK ||
	    payments_count_open_withdrawals(p->db, &pending, &processing) != PAYMENTS_OK) {
		json_object_put(stats);
		return;
	}
	json_object_object_add(stats, "state", json_object_new_string(p->state));
	json_object_object_add(stats, "deposits_running", json_object_new_boolean(
		running && p->settings->deposit_address[0]));
	json_object_object_add(stats, "withdrawals_running", json_object_new_boolean(
		running && p->settings->hot_wallet_address[0]));
	json_object_object_add(stats, "deposits_pending", json_object_new_int64(deposits));
	json_object_object_add(stats, "withdrawals_pending", json_object_new_int64(pending));
	json_object_object_add(stats, "withdrawals_processing", json_object_new_int64(processing));
	json_object_object_add(stats, "head_block", json_object_new_int64((int64_t)p->head));
	json_object_object_add(stats, "deposits_credited", json_object_new_int64(p->credited));
	json_object_object_add(stats, "withdrawals_sent", json_object_new_int64(p->sent));
	json_object_object_add(stats, "withdrawals_confirmed", json_object_new_int64(p->confirmed));
	json_object_object_add(stats, "withdrawals_failed", json_object_new_int64(p->failed));
	json_object_object_add(stats, "last_error", p->last_error[0]
		? json_object_new_string(p->last_error) : NULL);
	snprintf(pid, sizeof pid, "%d", (int)getpid());
	params[0] = p->cfg->instance;
	params[1] = pid;
	params[2] = json_object_to_json_string_ext(stats, JSON_C_TO_STRING_PLAIN);
	PQclear(db_exec_prepared(p->db, QUERIES_HEARTBEAT, 3, params, NULL));
	json_object_put(stats);
}

/* Wait up to ms for a signal (returns 1) or a notification (returns 0). */
static int wait_for(struct payd *p, int64_t ms)
{
	struct pollfd fds[2] = { { p->signal_fd, POLLIN, 0 }, { -1, POLLIN, 0 } };
	PGnotify *n;

	if (p->db && db_ok(p->db))
		fds[1].fd = PQsocket(p->db);
	if (poll(fds, 2, (int)(ms > 0 ? ms : 0)) < 0 && errno != EINTR)
		return 0;
	if (fds[0].revents) {
		struct signalfd_siginfo si;

		if (read(p->signal_fd, &si, sizeof si) == (ssize_t)sizeof si)
			log_event(LOG_INFO, "stopping", "signal=%s from_pid=%u",
				  si.ssi_signo == SIGTERM ? "TERM" : "INT", si.ssi_pid);
		return 1;
	}
	if (fds[1].revents && PQconsumeInput(p->db)) {
		while ((n = PQnotifies(p->db)) != NULL)
			PQfreemem(n);
	}
	return 0;
}

/* Double the pause while something is down, up to the maximum. */
static int64_t longer(const struct payd *p, int64_t *backoff)
{
	*backoff = *backoff * 2 < p->cfg->backoff_max_ms ? *backoff * 2 : p->cfg->backoff_max_ms;
	return *backoff;
}

/* One turn: returns the pause before the next, or -1 to stop. */
static int64_t turn(struct payd *p, int *locked, int *chain_checked, int64_t *backoff)
{
	int rc;

	if (p->db && !db_ok(p->db)) {
		db_close(p->db);
		p->db = NULL;
	}
	if (p->db == NULL) {
		*locked = 0;
		p->db = connect_db(p->conninfo);
		if (p->db == NULL) {
			p->state = "database_unavailable";
			return longer(p, backoff);
		}
	}
	if (!*locked) {
		rc = take_lock(p->db);
		if (rc <= 0) {
			p->state = rc < 0 ? "database_unavailable" : "standby";
			return p->cfg->poll_ms;
		}
		*locked = 1;
		log_event(LOG_INFO, "sender_lock", "instance=%s", p->cfg->instance);
	}
	if (!configured(p)) {
		p->state = "not_configured";
		return p->cfg->heartbeat_s * 1000;
	}
	rc = pass(p, chain_checked);
	if (rc == PAYD_ESTOP)
		return -1;
	if (rc == PAYD_OK) {
		if (strcmp(p->state, "running") != 0)
			log_event(LOG_INFO, "running", "head=%" PRIu64, p->head);
		p->state = "running";
		*backoff = p->cfg->poll_ms;
		return p->cfg->poll_ms;
	}
	if (rc == PAYD_ENODE) {
		/* Said once per outage, not at every retry. */
		if (strcmp(p->state, "wrong_chain") != 0 &&
		    strcmp(p->state, "node_unavailable") != 0)
			payd_error(p, "node_unavailable", "error=\"%s\"",
				   chain_last_error(p->reader));
		if (strcmp(p->state, "wrong_chain") != 0)
			p->state = "node_unavailable";
		*chain_checked = 0;
	}
	return longer(p, backoff);
}

static void run(struct payd *p)
{
	int64_t backoff = p->cfg->poll_ms, next_beat = 0, pause;
	int locked = 0, chain_checked = 0;

	for (;;) {
		int64_t until_beat;

		pause = turn(p, &locked, &chain_checked, &backoff);
		if (pause < 0)
			break;
		if (p->db && db_ok(p->db) && now_ms() >= next_beat) {
			heartbeat(p);
			next_beat = now_ms() + p->cfg->heartbeat_s * 1000;
		}
		/* Wake for the next heartbeat, unless it is overdue because the
		 * database is away (then the pause is the reconnect backoff). */
		until_beat = next_beat - now_ms();
		if (until_beat > 0 && pause > until_beat)
			pause = until_beat;
		if (wait_for(p, pause))
			break;
	}
	/* /health stops counting on this instance at once. */
	p->state = "stopped";
	if (p->db && db_ok(p->db))
		heartbeat(p);
}

/* Say once, clearly, what is off for lack of configuration. */
static void report_configuration(const struct payd *p)
{
	if (!p->chaincfg->rpc_url[0])
		log_event(LOG_WARN, "chain_not_configured",
			  "detail=\"FELT_CHAIN_RPC_URL is not set: on-chain deposits and "
			  "withdrawals are off; felt-payd idles and reports not_configured\"");
	else if (!p->settings->deposit_address[0] || !p->settings->hot_wallet_address[0])
		log_event(LOG_WARN, "chain_partly_configured", "deposits=%s withdrawals=%s",
			  p->settings->deposit_address[0] ? "on" : "off(FELT_DEPOSIT_ADDRESS)",
			  p->settings->hot_wallet_address[0] ? "on" : "off(FELT_HOT_WALLET_ADDRESS)");
}

int main(int argc, char **argv)
{
	struct settings settings;
	struct chain_config chaincfg;
	struct db_settings dbset;
	struct paydconf cfg;
	struct db_err dberr;
	struct payd p = { .settings = &settings, .chaincfg = &chaincfg, .cfg = &cfg,
			  .state = "starting", .signal_fd = -1 };
	struct cli_parsed args;
	const char *bad = NULL;
	char why[512];
	sigset_t set;
	int rc;

	if ((rc = cli_parse(&cli, argc, argv, &args)) != CLI_OK)
		return cli_status(rc);
	if (log_configure() != LOG_OK) {
		fprintf(stderr, "felt-payd: bad FELT_LOG_LEVEL/FELT_LOG_FORMAT\n");
		return 2;
	}
	if ((rc = settings_load(&settings, &bad)) != SETTINGS_OK)
		return log_bad_config(bad, settings_explain(rc, bad, why, sizeof why));
	if ((rc = chain_config_load(&chaincfg, &bad)) != CONFIG_OK)
		return log_bad_config(bad, config_explain(why, sizeof why, chain_vars, bad, rc));
	if ((rc = paydconf_load(&cfg, &bad)) != CONFIG_OK)
		return log_bad_config(bad, config_explain(why, sizeof why, paydconf_vars, bad, rc));
	if ((rc = db_settings_load(&dbset, &bad)) != CONFIG_OK)
		return log_bad_config(bad, db_settings_explain(bad, why, sizeof why));
	/* Connect and statement timeouts, keepalives: every wait bounded. */
	p.conninfo = db_conninfo(cfg.db_conninfo, &dbset, "felt-payd", &dberr);
	if (p.conninfo == NULL)
		return log_bad_config("FELT_DB", dberr.message);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	p.signal_fd = signalfd(-1, &set, SFD_CLOEXEC);
	if (p.signal_fd < 0 || rpc_global_init() != RPC_OK)
		return 1;
	p.reader = chain_open(chaincfg.rpc_url, &chaincfg);
	p.signer = chain_open(chaincfg.signer_url, &chaincfg);
	if (chaincfg.rpc_url[0] && (!p.reader || !p.signer))
		return 1;
	if (cfg.crash_after_send)
		log_event(LOG_WARN, "test_crash_armed", "after=send");
	log_event(LOG_INFO, "started", "instance=%s version=%s", cfg.instance, PACKAGE_VERSION);
	report_configuration(&p);
	run(&p);
	log_event(LOG_INFO, "stopped", "state=%s", p.state);
	chain_close(p.reader);
	chain_close(p.signer);
	db_close(p.db);
	close(p.signal_fd);
	free(p.conninfo);
	return 0;
}
