/*
 * audit — check the committed ledger against its hash chain and every
 * balance against its entries, from the raw rows (`feltctl audit`).
 *
 * Reads ledger_seals, ledger_txns, ledger_entries and accounts in one
 * REPEATABLE READ snapshot and recomputes, in C (money/seal.h), every
 * txn's hash and every seal's digest: no function or view of the audited
 * database is trusted, only its rows and PostgreSQL's own formatting of
 * timestamps and jsonb.  It finds:
 *   - a seal altered, renumbered, unlinked from the previous one, or not
 *     starting where the previous one ends;
 *   - a sealed txn changed (any field of it, its entries, or the owner or
 *     kind of an account it touches), deleted, or a txn inserted inside a
 *     sealed range;
 *   - a txn, sealed or not, that does not balance or has fewer than two
 *     entries, an entry without its txn or its account;
 *   - an account whose balance_ucents or last_entry_id is not what its
 *     entries say;
 *   - a seal whose digest differs from one recorded outside the database
 *     (an anchor: what a superuser who rewrote the chain from some seal on
 *     cannot forge).
 * Txns newer than the last seal are checked for balance only: nothing
 * outside the database vouches for them yet.
 */
#ifndef FELT_AUDIT_H
#define FELT_AUDIT_H

#include <libpq-fe.h>
#include <stdint.h>

#include "money/seal.h"

enum audit_error {
	AUDIT_OK = 0,
	AUDIT_ERR_ARG = -1,   /* NULL connection or report */
	AUDIT_ERR_DB = -2,    /* a query failed (not migrated? connection lost?) */
	AUDIT_ERR_NOMEM = -3, /* out of memory */
};

/* A seal's digest as recorded outside the database. */
struct audit_anchor {
	int64_t seal_id;
	uint8_t digest[SEAL_HASH_SIZE];
};

/* What an audit read and found. */
struct audit_report {
	int64_t txns;                /* txns read */
	int64_t entries;             /* entries read */
	int64_t accounts;            /* accounts read */
	int64_t seals;               /* seals read */
	int64_t sealed_txns;         /* txn ids listed by the seals */
	int64_t unsealed_txns;       /* txns newer than the last seal */
	int64_t head_seal_id;        /* newest seal, 0 when there is none */
	int64_t head_through_txn_id; /* its through_txn_id */
	uint8_t head_digest[SEAL_HASH_SIZE]; /* its digest as stored */
	int64_t problems;            /* problems found; 0: the ledger is intact */
	int64_t first_bad_txn;       /* lowest txn id a problem names, 0 if none */
	char first_bad_why[256];     /* the problem that named it */
};

/* Called once per problem, in the order found, with one line of text. */
typedef void (*audit_problem_fn)(void *arg, const char *problem);

/* audit_strerror — static English text for an audit_error code. */
const char *audit_strerror(int err);

/*
 * audit_run — audit the ledger on c (see above), in a read-only
 * transaction of its own (c must not be in one).  n anchors (may be 0) are
 * checked against the stored digests.  Each problem goes to on_problem
 * (may be NULL) and is counted in *out.  Returns AUDIT_OK when the audit
 * ran, whatever it found (read out->problems), or a negative audit_error
 * when it could not run to the end (out then holds what was read so far).
 */
int audit_run(PGconn *c, const struct audit_anchor *anchors, int n, audit_problem_fn on_problem,
	      void *arg, struct audit_report *out);

#endif
