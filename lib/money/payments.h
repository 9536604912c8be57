/*
 * payments — deposits and withdrawals in PostgreSQL, from C: the calls
 * felt-api and felt-payd make to the functions of sql/040_deposits.sql and
 * sql/041_withdrawals.sql, and the rows they read back.
 *
 * The rules live in SQL (a hash credited once, funds reserved with the
 * withdrawal row, one nonce per withdrawal, final states final); this
 * module passes parameters, reads rows into structs and maps the
 * database's refusals onto payments_error codes.  Every call works in
 * autocommit mode: each SQL function is one transaction.
 *
 * Its statements are prepared with the program's own: a program that
 * calls this module lists PAYMENTS_STMTS in its statement table (db.h),
 * as it lists AUTH_STMTS.
 */
#ifndef FELT_PAYMENTS_H
#define FELT_PAYMENTS_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "money/chain.h"
#include "money/deposit.h"
#include "money/eip55.h"
#include "money/u256.h"

/* The statements, for a program's table of struct db_stmt. */
#define PAYMENTS_STMTS \
	{ "pay_deposit_by_hash", payments_deposit_by_hash_sql, 1 }, \
	{ "pay_deposit_submit", payments_deposit_submit_sql, 13 }, \
	{ "pay_deposit_observe", payments_deposit_observe_sql, 8 }, \
	{ "pay_deposit_reject", payments_deposit_reject_sql, 2 }, \
	{ "pay_pending_deposits", payments_pending_deposits_sql, 1 }, \
	{ "pay_count_deposits", payments_count_deposits_sql, 0 }, \
	{ "pay_withdrawal_request", payments_withdrawal_request_sql, 5 }, \
	{ "pay_withdrawal_get", payments_withdrawal_get_sql, 2 }, \
	{ "pay_open_withdrawals", payments_open_withdrawals_sql, 1 }, \
	{ "pay_max_nonce", payments_max_nonce_sql, 2 }, \
	{ "pay_withdrawal_bind", payments_withdrawal_bind_sql, 7 }, \
	{ "pay_withdrawal_sent", payments_withdrawal_sent_sql, 2 }, \
	{ "pay_withdrawal_note", payments_withdrawal_note_sql, 4 }, \
	{ "pay_withdrawal_confirm", payments_withdrawal_confirm_sql, 4 }, \
	{ "pay_withdrawal_fail", payments_withdrawal_fail_sql, 2 }, \
	{ "pay_withdrawal_release", payments_withdrawal_release_sql, 2 }, \
	{ "pay_count_withdrawals", payments_count_withdrawals_sql, 0 }
extern const char payments_deposit_by_hash_sql[], payments_deposit_submit_sql[],
	payments_deposit_observe_sql[], payments_deposit_reject_sql[],
	payments_pending_deposits_sql[], payments_count_deposits_sql[],
	payments_withdrawal_request_sql[], payments_withdrawal_get_sql[],
	payments_open_withdrawals_sql[], payments_max_nonce_sql[],
	payments_withdrawal_bind_sql[], payments_withdrawal_sent_sql[],
	payments_withdrawal_note_sql[], payments_withdrawal_confirm_sql[],
	payments_withdrawal_fail_sql[], payments_withdrawal_release_sql[],
	payments_count_withdrawals_sql[];

#define PAYMENTS_ID_SIZE 37      /* uuid text + NUL */
#define PAYMENTS_STATUS_SIZE 16
#define PAYMENTS_TEXT_SIZE 512   /* reasons and error messages kept */
#define PAYMENTS_TIME_SIZE 32    /* "2025-01-15T10:30:00Z" */

enum payments_error {
	PAYMENTS_OK = 0,
	PAYMENTS_EDB = -1,           /* database failure (db_ok() tells if the link is gone) */
	PAYMENTS_EINSUFFICIENT = -2, /* the balance is smaller than the amount */
	PAYMENTS_ENOWALLET = -3,     /* the agent has no registered wallet */
	PAYMENTS_EBELOWMIN = -4,
	PAYMENTS_EABOVEMAX = -5,
	PAYMENTS_EDAILY = -6,        /* the UTC day's total would pass the maximum */
	PAYMENTS_ESTATE = -7,        /* not in the state the call needs */
	PAYMENTS_ENOTFOUND = -8,
	PAYMENTS_EARG = -9,
	PAYMENTS_ERETRY = -10,       /* serialization failure or deadlock: run again */
};

/* A deposits row. */
struct payments_deposit {
	char id[PAYMENTS_ID_SIZE];
	char agent_id[PAYMENTS_ID_SIZE];
	char tx_hash[CHAIN_HASH_SIZE];
	char status[PAYMENTS_STATUS_SIZE];  /* pending, confirmed, rejected */
	char from[EIP55_ADDRESS_SIZE];
	char base_units[U256_DEC_SIZE];     /* decimal */
	int64_t amount_ucents;
	int64_t remainder_base_units;
	int64_t block_number;
	int64_t confirmations_seen;
	int64_t confirmations_required;
	char reason[PAYMENTS_TEXT_SIZE];    /* "" unless rejected */
	char created_at[PAYMENTS_TIME_SIZE];
};

/* Where and how deeply a deposit transaction sits on chain. */
struct payments_sighting {
	uint64_t chain_id;
	const char *token;                  /* USDC contract */
	const char *deposit_address;
	uint64_t block_number;
	const char *block_hash;
	int64_t confirmations;
	int64_t required;
};

/* A withdrawals row. */
struct payments_withdrawal {
	char id[PAYMENTS_ID_SIZE];
	char agent_id[PAYMENTS_ID_SIZE];
	char to[EIP55_ADDRESS_SIZE];
	int64_t amount_ucents;
	char status[PAYMENTS_STATUS_SIZE];  /* pending, processing, confirmed, failed */
	bool has_nonce;
	int64_t nonce;
	int64_t nonce_block;
	int64_t gas;
	char from[EIP55_ADDRESS_SIZE];      /* "" until bound */
	char tx_hash[CHAIN_HASH_SIZE];      /* "" until known */
	int64_t block_number;               /* 0 until seen */
	int64_t confirmations_seen;
	char error[PAYMENTS_TEXT_SIZE];     /* "" when none */
	char created_at[PAYMENTS_TIME_SIZE];
};

/* What withdrawal_request answers. */
struct payments_request {
	char withdrawal_id[PAYMENTS_ID_SIZE];
	int64_t txn_id;
	int64_t balance_after_ucents;
	char to[EIP55_ADDRESS_SIZE];
};

/* payments_strerror — static English text for a payments_error code. */
const char *payments_strerror(int err);

/* --- deposits --- */

/* The deposit of tx_hash (lowercase) into *out; PAYMENTS_ENOTFOUND when
 * there is none. */
int payments_deposit_by_hash(PGconn *c, const char *tx_hash,
			     struct payments_deposit *out);

/*
 * Record a verified deposit for agent (credited at once when
 * s->confirmations >= s->required).  *out is the row for the hash after
 * the call; *is_new is false when it was already recorded (by this agent
 * or another), in which case nothing changed.
 */
int payments_deposit_submit(PGconn *c, const char *agent, const char *tx_hash,
			    const char *from, const struct deposit_found *f,
			    const struct payments_sighting *s,
			    struct payments_deposit *out, bool *is_new);

/* Update pending deposit id from the chain (credit it when confirmed
 * enough); its status after the call into status. */
int payments_deposit_observe(PGconn *c, const char *id,
			     const struct deposit_found *f,
			     const struct payments_sighting *s,
			     char status[PAYMENTS_STATUS_SIZE]);

/* Reject pending deposit id for reason (it is never credited). */
int payments_deposit_reject(PGconn *c, const char *id, const char *reason);

/* Up to limit pending deposits, oldest first, into a malloc'd array
 * (free()) of *n. */
int payments_pending_deposits(PGconn *c, int limit,
			      struct payments_deposit **out, size_t *n);

/* Pending deposits in all. */
int payments_count_pending_deposits(PGconn *c, int64_t *n);

/* --- withdrawals --- */

/*
 * Reserve amount_ucents of agent's balance for a withdrawal within the
 * limits.  PAYMENTS_EBELOWMIN / _EABOVEMAX / _EDAILY (*today_ucents: the
 * day's total so far, may be NULL) / _ENOWALLET / _EINSUFFICIENT.
 */
int payments_withdrawal_request(PGconn *c, const char *agent, int64_t amount_ucents,
				int64_t min_ucents, int64_t max_ucents,
				int64_t daily_max_ucents, struct payments_request *out,
				int64_t *today_ucents);

/* Withdrawal id into *out; when agent is not NULL it must be agent's
 * (PAYMENTS_ENOTFOUND otherwise, as for an unknown or malformed id). */
int payments_withdrawal_get(PGconn *c, const char *id, const char *agent,
			    struct payments_withdrawal *out);

/*
 * Open withdrawals, up to limit: processing ones by nonce, then pending
 * ones oldest first; a malloc'd array (free()) of *n.
 */
int payments_open_withdrawals(PGconn *c, int limit,
			      struct payments_withdrawal **out, size_t *n);

/* Highest nonce ever bound for hot wallet from on chain_id (-1: none). */
int payments_max_nonce(PGconn *c, uint64_t chain_id, const char *from,
		       int64_t *nonce);

/* pending -> processing with nonce; PAYMENTS_ESTATE if not pending. */
int payments_withdrawal_bind(PGconn *c, const char *id, uint64_t chain_id,
			     const char *token, const char *from, uint64_t nonce,
			     uint64_t block, uint64_t gas);

/* Record the transaction hash of processing withdrawal id. */
int payments_withdrawal_sent(PGconn *c, const char *id, const char *tx_hash);

/* Confirmations seen (block/confirmations < 0: unchanged) and the
 * current error (NULL: none) of an open withdrawal. */
int payments_withdrawal_note(PGconn *c, const char *id, int64_t block,
			     int64_t confirmations, const char *error);

/* processing -> confirmed (withdrawals_pending -> withdrawn). */
int payments_withdrawal_confirm(PGconn *c, const char *id, const char *tx_hash,
				uint64_t block, int64_t confirmations);

/* pending/processing -> failed, refunded. */
int payments_withdrawal_fail(PGconn *c, const char *id, const char *reason);

/* processing -> pending: its nonce went to another transaction. */
int payments_withdrawal_release(PGconn *c, const char *id, const char *reason);

/* Open withdrawals by status: pending and processing counts. */
int payments_count_open_withdrawals(PGconn *c, int64_t *pending,
				    int64_t *processing);

#endif
