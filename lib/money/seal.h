/*
 * seal — the recipe of the ledger's hash chain (sql/032_ledger_seals.sql),
 * in C, so that `feltctl audit` recomputes every hash from the raw rows
 * without trusting any function or view of the database it audits.
 *
 * A txn's canonical text is its line
 *     <id>|<kind>|<created_at UTC "YYYY-MM-DD HH:MM:SS.uuuuuu">|<created_by as a JSON string>|<reference as jsonb text>
 * followed, for each entry in id order, by a newline and
 *     <entry id>|<account id>|<the account's agent_id>|<the account's kind>|<amount_ucents>
 * (agent_id and kind empty when the account is missing), and its hash is
 * SHA-256 of that text.  Seal k chains the hashes of its txns:
 *     digest_k = SHA-256(digest_(k-1) || "<k>|<after>|<through>|<n>" || hash_1 || ... || hash_n)
 * with digest_0 = 32 zero bytes.  The text fields come from PostgreSQL as
 * the SQL of the seals formats them (created_at, created_by, reference), so
 * C and SQL hash the same bytes; seal only assembles and hashes.
 *
 * Pure: no I/O, no allocation except where noted.
 */
#ifndef FELT_SEAL_H
#define FELT_SEAL_H

#include <stddef.h>
#include <stdint.h>

#define SEAL_HASH_SIZE 32

/* One entry of a txn, as the canonical text needs it. */
struct seal_entry {
	int64_t id;
	int64_t account_id;
	const char *agent_id;     /* uuid text; "" when the account is missing */
	const char *account_kind; /* accounts.kind; "" when missing */
	int64_t amount_ucents;
};

/* One txn and its entries (in entry id order). */
struct seal_txn {
	int64_t id;
	const char *kind;
	const char *created_at;      /* "YYYY-MM-DD HH:MM:SS.uuuuuu", UTC */
	const char *created_by_json; /* to_jsonb(created_by)::text, quotes included */
	const char *reference;       /* reference::text */
	const struct seal_entry *entries;
	int n_entries;
};

enum seal_error {
	SEAL_OK = 0,
	SEAL_ERR_ARG = -1,   /* NULL field, negative count */
	SEAL_ERR_NOMEM = -2, /* out of memory */
};

/* seal_strerror — static English text for a seal_error code. */
const char *seal_strerror(int err);

/*
 * seal_txn_text — the canonical text of t, NUL-terminated, malloc'd (the
 * caller frees it); its length (without the NUL) in *len when len is not
 * NULL.  NULL when a field is NULL or memory runs out.
 */
char *seal_txn_text(const struct seal_txn *t, size_t *len);

/*
 * seal_txn_hash — SHA-256 of t's canonical text into out.  Returns
 * SEAL_OK, SEAL_ERR_ARG or SEAL_ERR_NOMEM.
 */
int seal_txn_hash(const struct seal_txn *t, uint8_t out[SEAL_HASH_SIZE]);

/*
 * seal_digest — the digest of seal seal_id covering (after, through]
 * whose n txn hashes are hashes[0..n) (n * SEAL_HASH_SIZE bytes, in txn id
 * order), chained onto prev (the previous seal's digest, or 32 zero bytes).
 * Returns SEAL_OK, SEAL_ERR_ARG or SEAL_ERR_NOMEM.
 */
int seal_digest(const uint8_t prev[SEAL_HASH_SIZE], int64_t seal_id, int64_t after,
		      int64_t through, const uint8_t *hashes, size_t n,
		      uint8_t out[SEAL_HASH_SIZE]);

#endif
