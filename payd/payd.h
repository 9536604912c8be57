/*
 * payd.h — felt-payd, the payments worker (DESIGN §5, §6): what its parts
 * share.
 *
 * main.c owns the process (signals, the database connection, the wait
 * between passes, the heartbeat) and, once per pass, asks deposits.c to
 * credit the pending deposits that have enough confirmations and
 * withdrawals.c to send, track, confirm or refund withdrawals.  nonce.c
 * finds the transaction that used a hot-wallet nonce, which is how a
 * withdrawal sent just before a crash is recognised instead of sent again.
 *
 * One instance sends at a time (a PostgreSQL advisory lock); a second one
 * waits on standby.  Blocking calls are fine here (this is no event loop)
 * but each one is bounded: node calls by lib/money/rpc's timeouts and the
 * pass budget, SQL by FELT_DB_STATEMENT_TIMEOUT_MS (db_conninfo).
 */
#ifndef FELT_PAYD_PAYD_H
#define FELT_PAYD_PAYD_H

#include <libpq-fe.h>
#include <stdint.h>

#include "money/chain.h"
#include "money/settings.h"
#include "paydconf.h"

#define PAYD_ERROR_SIZE 256

/* How a pass ended. */
enum payd_result {
	PAYD_OK = 0,
	PAYD_ENODE = -1,    /* the node is unavailable: back off */
	PAYD_EDB = -2,      /* a database call failed: check the connection */
	PAYD_ESTOP = -3,    /* a signal asked to stop: finish now */
};

struct payd {
	const struct settings *settings;
	const struct chain_config *chaincfg;
	const struct paydconf *cfg;
	char *conninfo;                /* FELT_DB completed with FELT_DB_* */
	PGconn *db;
	struct chain *reader;          /* FELT_CHAIN_RPC_URL */
	struct chain *signer;          /* FELT_SIGNER_RPC_URL */
	int signal_fd;                 /* readable when SIGTERM/SIGINT arrived */
	uint64_t head;                 /* chain head seen at the start of the pass */
	/* for the heartbeat */
	const char *state;             /* running, standby, not_configured, node_unavailable... */
	char last_error[PAYD_ERROR_SIZE];
	int64_t credited, sent, confirmed, failed;   /* since start */
};

/* Record err (printf-style) as the pass's last error and log it at warn. */
void payd_error(struct payd *p, const char *event, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* True when a stop signal is waiting (checked between items). */
int payd_stopping(struct payd *p);

/* Confirmations of a transaction in block (0 when the head is behind). */
int64_t payd_confirmations(const struct payd *p, uint64_t block);

/*
 * payd_deposits_pass: look at up to cfg->batch pending deposits: credit
 * those with enough confirmations (deposit_observe), reject those a reorg
 * turned into something else.  PAYD_OK, or why it stopped.
 */
int payd_deposits_pass(struct payd *p);

/*
 * payd_withdrawals_pass: track every processing withdrawal (confirm,
 * refund, resend with its own nonce when the node lost it) and send
 * pending ones while nothing sent is waiting to be mined.
 */
int payd_withdrawals_pass(struct payd *p);

/*
 * payd_find_nonce: the mined transaction of the hot wallet with nonce,
 * searched from block from_block to the head (at most cfg->scan_blocks
 * blocks), into *out (chain_tx_free it).  CHAIN_ENOTFOUND when it is not
 * there; other chain_error codes when the node failed.
 */
int payd_find_nonce(struct payd *p, uint64_t nonce, uint64_t from_block,
		    struct chain_tx *out);

#endif
