/*
 * ledger — posting to the double-entry ledger (DESIGN §2) from C.
 *
 * The rules live in SQL (sql/002_ledger.sql, 030, 031): every txn sums to
 * zero, entries are append-only and sealed (nothing can be added to a
 * committed txn), agent accounts never go negative, balances change only by
 * posting, in the same transaction.  Programs connect as felt_app, which may
 * only read the ledger and call ledger_post().  This module only calls that
 * function and the account look-ups with parameters, and maps the
 * database's refusals onto ledger_error codes.
 *
 * Sign convention: an account's balance is the sum of its entries.  Money
 * entering the platform is a negative entry on `deposits` and a positive
 * one on the agent's `agent_balance`; so `deposits` and `adjustments` carry
 * negative balances (the outside world's side), every other account is >= 0.
 *
 * ledger_post works in autocommit mode or inside the caller's transaction
 * (db_begin ... db_commit), which is how a hand, its seats and its ledger
 * txns commit together.
 */
#ifndef FELT_LEDGER_H
#define FELT_LEDGER_H

#include <libpq-fe.h>
#include <stdint.h>

/* Account kinds (accounts.kind). */
#define LEDGER_ACCOUNT_AGENT_BALANCE "agent_balance"
#define LEDGER_ACCOUNT_AGENT_IN_PLAY "agent_in_play"
#define LEDGER_ACCOUNT_RAKE "rake"
#define LEDGER_ACCOUNT_DEPOSITS "deposits"
#define LEDGER_ACCOUNT_WITHDRAWALS_PENDING "withdrawals_pending"
#define LEDGER_ACCOUNT_WITHDRAWN "withdrawn"
#define LEDGER_ACCOUNT_ADJUSTMENTS "adjustments"

/* Txn kinds (ledger_txns.kind). */
#define LEDGER_TXN_DEPOSIT "deposit"
#define LEDGER_TXN_WITHDRAWAL "withdrawal"
#define LEDGER_TXN_BUY_IN "buy_in"
#define LEDGER_TXN_CASH_OUT "cash_out"
#define LEDGER_TXN_HAND "hand"
#define LEDGER_TXN_RAKE "rake"
#define LEDGER_TXN_REFUND "refund"
#define LEDGER_TXN_ADJUSTMENT "adjustment"

/* The platform agent (DESIGN §7). */
#define LEDGER_PLATFORM_AGENT_ID "00000000-0000-0000-0000-000000000001"

#define LEDGER_MAX_ENTRIES 64 /* entries in one txn (10 seats x a few legs) */

/* One leg of a txn: a signed amount on one account. */
struct ledger_entry {
	int64_t account_id;
	int64_t amount_ucents;
};

enum ledger_error {
	LEDGER_OK = 0,
	LEDGER_ERR_ARG = -1,          /* bad argument: n out of range, zero amount, NULL */
	LEDGER_ERR_UNBALANCED = -2,   /* entries do not sum to zero */
	LEDGER_ERR_INSUFFICIENT = -3, /* an agent account would go negative */
	LEDGER_ERR_NOT_FOUND = -4,    /* unknown agent, account or account kind */
	LEDGER_ERR_KIND = -5,         /* unknown txn kind */
	LEDGER_ERR_DB = -6,           /* anything else from the database */
	LEDGER_ERR_RETRY = -7,        /* serialization failure/deadlock: retry the txn */
};

/* ledger_strerror — static English text for a ledger_error code. */
const char *ledger_strerror(int err);

/*
 * ledger_post — record one balanced txn of n entries (2..LEDGER_MAX_ENTRIES;
 * amounts non-zero, summing to zero) with txn kind (LEDGER_TXN_*) and
 * reference_json (a JSON object text describing what it is for, e.g.
 * {"table":"…","hand":42} or {"tx_hash":"0x…"}; NULL means {}).
 * On success stores the new ledger_txns.id in *txn_id_out (may be NULL)
 * and returns LEDGER_OK.  The whole txn is applied or nothing is.
 * Balances are checked by the database, so LEDGER_ERR_INSUFFICIENT is the
 * race-free way to learn that an agent cannot pay.  Inside a caller's
 * transaction a failure aborts that transaction (roll it back).
 */
int ledger_post(PGconn *c, const char *kind, const char *reference_json,
		const struct ledger_entry *e, int n, int64_t *txn_id_out);

/*
 * ledger_agent_accounts — the agent_balance and agent_in_play account ids
 * of agent agent_id (uuid text), creating them if missing (agents get them
 * on insert, so this normally only reads).  Either out pointer may be NULL.
 * LEDGER_ERR_NOT_FOUND if no such agent.
 */
int ledger_agent_accounts(PGconn *c, const char *agent_id,
			  int64_t *balance_account_id,
			  int64_t *in_play_account_id);

/*
 * ledger_platform_account — id of the platform account of kind
 * (LEDGER_ACCOUNT_RAKE, _DEPOSITS, _WITHDRAWALS_PENDING, _WITHDRAWN,
 * _ADJUSTMENTS) in *out.  LEDGER_ERR_NOT_FOUND for any other kind.
 */
int ledger_platform_account(PGconn *c, const char *kind, int64_t *out);

/*
 * ledger_balance — the maintained balance of account_id in *balance_ucents.
 * LEDGER_ERR_NOT_FOUND if there is no such account.
 */
int ledger_balance(PGconn *c, int64_t account_id, int64_t *balance_ucents);

/*
 * ledger_seal — one step of the sealer (SQL ledger_seal(), sql/032): chain
 * up to max_txns (1..100000) committed txns onto the ledger's hash chain,
 * storing how many in *sealed (may be NULL).  Sealing 0 is normal: nothing
 * was ready yet (a txn is sealed one call after it is first seen, once no
 * transaction still running could commit one with a lower id) or another
 * sealer is at work.  Call it periodically, in autocommit mode; felt-api
 * does (FELT_SEAL_INTERVAL_S).  LEDGER_ERR_ARG for max_txns out of range.
 */
int ledger_seal(PGconn *c, int max_txns, int *sealed);

#endif
