/* audit — the ledger against its seals and its balances, from the raw rows.
 * See audit.h. */
#include "money/audit.h"

#include "core/db.h"
#include "core/hash.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The tail (txns newer than the last seal) is read in chunks of this many. */
#define TAIL_CHUNK 5000

/* Raw rows only; the text fields formatted exactly as ledger_txn_canonical
 * (sql/032) formats them. */
static const char seals_sql[] =
	"SELECT id, after_txn_id, through_txn_id, encode(prev_digest, 'hex'),"
	" encode(digest, 'hex') FROM ledger_seals ORDER BY id";
static const char seal_list_sql[] =
	"SELECT u.txn_id, encode(u.hash, 'hex')"
	" FROM ledger_seals s, unnest(s.txn_ids, s.txn_hashes) WITH ORDINALITY AS u (txn_id, hash, i)"
	" WHERE s.id = $1::bigint ORDER BY u.i";
static const char txns_sql[] =
	"SELECT id, kind, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US'),"
	" to_jsonb(created_by)::text, reference::text"
	" FROM ledger_txns WHERE id > $1::bigint AND id <= $2::bigint ORDER BY id";
static const char entries_sql[] =
	"SELECT txn_id, id, account_id, amount_ucents FROM ledger_entries"
	" WHERE txn_id > $1::bigint AND txn_id <= $2::bigint ORDER BY txn_id, id";
static const char accounts_sql[] =
	"SELECT id, agent_id::text, kind, balance_ucents, last_entry_id FROM accounts ORDER BY id";
static const char tail_bound_sql[] =
	"SELECT id FROM ledger_txns WHERE id > $1::bigint ORDER BY id OFFSET $2::int LIMIT 1";

struct account {
	int64_t id;
	const char *agent_id, *kind; /* into the accounts result */
	int64_t balance_ucents, last_entry_id;
	int64_t sum_ucents, newest_entry_id; /* recomputed from the entries */
	bool overflow;
};

struct auditor {
	PGconn *c;
	audit_problem_fn fn;
	void *arg;
	struct audit_report *r;
	PGresult *accounts_res;
	struct account *acc;
	size_t n_acc;
};

/* One range's sealed list: n ids with their hashes, from seal seal_id. */
struct sealed_list {
	int64_t seal_id;
	size_t n;
	int64_t *ids;
	uint8_t *hashes; /* n * SEAL_HASH_SIZE */
};

const char *audit_strerror(int err)
{
	switch (err) {
	case AUDIT_OK: return "ok";
	case AUDIT_ERR_ARG: return "bad argument";
	case AUDIT_ERR_DB: return "database error while reading the ledger";
	case AUDIT_ERR_NOMEM: return "out of memory";
	}
	return "unknown audit error";
}

static void problem(struct auditor *a, int64_t txn, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Report one problem; txn > 0 names a txn (the first bad one is the lowest). */
static void problem(struct auditor *a, int64_t txn, const char *fmt, ...)
{
	char line[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	a->r->problems++;
	if (txn > 0 && (a->r->first_bad_txn == 0 || txn < a->r->first_bad_txn)) {
		a->r->first_bad_txn = txn;
		snprintf(a->r->first_bad_why, sizeof a->r->first_bad_why, "%s", line);
	}
	if (a->fn)
		a->fn(a->arg, line);
}

static int64_t int_at(const PGresult *res, int row, int col)
{
	int64_t v = 0;

	db_value_int64(res, row, col, &v);
	return v;
}

static bool unhex(const char *s, uint8_t out[SEAL_HASH_SIZE])
{
	return hash_unhex(s, out, SEAL_HASH_SIZE);
}

/* sql with n (1 or 2) integer parameters x, y. */
static PGresult *query(struct auditor *a, const char *sql, int n, int64_t x, int64_t y)
{
	char px[24], py[24];
	const char *params[2] = {px, py};

	snprintf(px, sizeof px, "%" PRId64, x);
	snprintf(py, sizeof py, "%" PRId64, y);
	return db_exec(a->c, sql, n, params, NULL);
}

static int by_id(const void *x, const void *y)
{
	const struct account *p = x, *q = y;

	return (p->id > q->id) - (p->id < q->id);
}

static int load_accounts(struct auditor *a)
{
	PGresult *res = db_exec(a->c, accounts_sql, 0, NULL, NULL);
	size_t n;

	if (!res)
		return AUDIT_ERR_DB;
	a->accounts_res = res;
	n = (size_t)PQntuples(res);
	if (n && !(a->acc = calloc(n, sizeof *a->acc)))
		return AUDIT_ERR_NOMEM;
	for (size_t i = 0; i < n; i++) {
		struct account *x = &a->acc[i];

		x->id = int_at(res, (int)i, 0);
		x->agent_id = PQgetvalue(res, (int)i, 1);
		x->kind = PQgetvalue(res, (int)i, 2);
		x->balance_ucents = int_at(res, (int)i, 3);
		x->last_entry_id = int_at(res, (int)i, 4);
	}
	a->n_acc = n;
	a->r->accounts = (int64_t)n;
	qsort(a->acc, n, sizeof *a->acc, by_id);
	return AUDIT_OK;
}

static struct account *find_account(struct auditor *a, int64_t id)
{
	struct account key = {.id = id};

	return a->n_acc ? bsearch(&key, a->acc, a->n_acc, sizeof *a->acc, by_id) : NULL;
}

/* Entry row i of res (txn_id, id, account_id, amount) into e, and counted
 * towards its account's recomputed balance. */
static void take_entry(struct auditor *a, const PGresult *res, int i, struct seal_entry *e)
{
	struct account *acc;

	e->id = int_at(res, i, 1);
	e->account_id = int_at(res, i, 2);
	e->amount_ucents = int_at(res, i, 3);
	e->agent_id = "";
	e->account_kind = "";
	a->r->entries++;
	if (!(acc = find_account(a, e->account_id))) {
		problem(a, int_at(res, i, 0), "entry %" PRId64 " of txn %" PRId64 " is on account %" PRId64
			", which does not exist", e->id, int_at(res, i, 0), e->account_id);
		return;
	}
	e->agent_id = acc->agent_id;
	e->account_kind = acc->kind;
	acc->overflow |= __builtin_add_overflow(acc->sum_ucents, e->amount_ucents, &acc->sum_ucents);
	if (e->id > acc->newest_entry_id)
		acc->newest_entry_id = e->id;
}

/* The stored list of txns (ids, hashes) meets the txns as they are now, by id. */
static void match_sealed(struct auditor *a, const struct sealed_list *s, size_t *si, int64_t txn,
			 const uint8_t hash[SEAL_HASH_SIZE])
{
	while (*si < s->n && s->ids[*si] < txn) {
		problem(a, s->ids[*si], "txn %" PRId64 " was sealed in seal %" PRId64 " but is gone",
			s->ids[*si], s->seal_id);
		(*si)++;
	}
	if (*si < s->n && s->ids[*si] == txn) {
		if (memcmp(hash, s->hashes + *si * SEAL_HASH_SIZE, SEAL_HASH_SIZE) != 0)
			problem(a, txn, "txn %" PRId64 " changed since it was sealed in seal %" PRId64,
				txn, s->seal_id);
		(*si)++;
	} else {
		problem(a, txn, "txn %" PRId64 " appeared inside the range of seal %" PRId64,
			txn, s->seal_id);
	}
}

/* One txn (row t of txns) with its entries e[0..n): balance and hash. */
static int check_txn(struct auditor *a, const PGresult *txns, int t, const struct seal_entry *e,
		     int n, const struct sealed_list *s, size_t *si)
{
	struct seal_txn tx = {
		.id = int_at(txns, t, 0),
		.kind = PQgetvalue(txns, t, 1),
		.created_at = PQgetvalue(txns, t, 2),
		.created_by_json = PQgetvalue(txns, t, 3),
		.reference = PQgetvalue(txns, t, 4),
		.entries = e,
		.n_entries = n,
	};
	uint8_t hash[SEAL_HASH_SIZE];
	int64_t sum = 0;
	bool overflow = false;

	a->r->txns++;
	for (int i = 0; i < n; i++)
		overflow |= __builtin_add_overflow(sum, e[i].amount_ucents, &sum);
	if (n < 2 || sum != 0 || overflow)
		problem(a, tx.id, "txn %" PRId64 " does not balance: %d entries summing to %s%" PRId64,
			tx.id, n, overflow ? "more than " : "", sum);
	if (seal_txn_hash(&tx, hash) != SEAL_OK)
		return AUDIT_ERR_NOMEM;
	if (s)
		match_sealed(a, s, si, tx.id, hash);
	return AUDIT_OK;
}

/* Every txn and entry with txn id in (lo, hi], against s when the range is
 * sealed (s NULL: the unsealed tail). */
static int check_range(struct auditor *a, int64_t lo, int64_t hi, const struct sealed_list *s)
{
	PGresult *txns = query(a, txns_sql, 2, lo, hi), *ents = txns ? query(a, entries_sql, 2, lo, hi) : NULL;
	int nt = txns ? PQntuples(txns) : 0, ne = ents ? PQntuples(ents) : 0, ei = 0, rc = AUDIT_OK;
	struct seal_entry *e = ne ? calloc((size_t)ne, sizeof *e) : NULL;
	size_t si = 0;

	if (!txns || !ents)
		rc = AUDIT_ERR_DB;
	else if (ne && !e)
		rc = AUDIT_ERR_NOMEM;
	for (int t = 0; rc == AUDIT_OK && t < nt; t++) {
		int64_t id = int_at(txns, t, 0);
		int first;

		for (; ei < ne && int_at(ents, ei, 0) < id; ei++) {
			take_entry(a, ents, ei, &e[ei]);
			problem(a, int_at(ents, ei, 0), "entry %" PRId64 " belongs to txn %" PRId64
				", which does not exist", e[ei].id, int_at(ents, ei, 0));
		}
		for (first = ei; ei < ne && int_at(ents, ei, 0) == id; ei++)
			take_entry(a, ents, ei, &e[ei]);
		rc = check_txn(a, txns, t, e + first, ei - first, s, &si);
	}
	for (; rc == AUDIT_OK && ei < ne; ei++) {
		take_entry(a, ents, ei, &e[ei]);
		problem(a, int_at(ents, ei, 0), "entry %" PRId64 " belongs to txn %" PRId64
			", which does not exist", e[ei].id, int_at(ents, ei, 0));
	}
	for (; rc == AUDIT_OK && s && si < s->n; si++)
		problem(a, s->ids[si], "txn %" PRId64 " was sealed in seal %" PRId64 " but is gone",
			s->ids[si], s->seal_id);
	free(e);
	PQclear(txns);
	PQclear(ents);
	return rc;
}

/* Seal id's list of (txn id, hash), in its order. */
static int load_list(struct auditor *a, int64_t id, struct sealed_list *s)
{
	PGresult *res = query(a, seal_list_sql, 1, id, 0);
	size_t n = res ? (size_t)PQntuples(res) : 0;

	*s = (struct sealed_list){.seal_id = id, .n = n};
	if (!res)
		return AUDIT_ERR_DB;
	s->ids = calloc(n ? n : 1, sizeof *s->ids);
	s->hashes = calloc(n ? n : 1, SEAL_HASH_SIZE);
	if (!s->ids || !s->hashes) {
		PQclear(res);
		return AUDIT_ERR_NOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		s->ids[i] = int_at(res, (int)i, 0);
		if (!unhex(PQgetvalue(res, (int)i, 1), s->hashes + i * SEAL_HASH_SIZE))
			memset(s->hashes + i * SEAL_HASH_SIZE, 0, SEAL_HASH_SIZE);
	}
	PQclear(res);
	return AUDIT_OK;
}

/* Row i of seals: its link to the one before (prev_*), its own digest and
 * list, then the txns of its range. */
static int check_seal(struct auditor *a, const PGresult *seals, int i, int64_t *prev_id,
		      int64_t *prev_through, uint8_t prev_digest[SEAL_HASH_SIZE])
{
	int64_t id = int_at(seals, i, 0), after = int_at(seals, i, 1), through = int_at(seals, i, 2);
	uint8_t stored_prev[SEAL_HASH_SIZE] = {0}, stored[SEAL_HASH_SIZE] = {0}, digest[SEAL_HASH_SIZE];
	struct sealed_list s;
	int64_t first;
	int rc = load_list(a, id, &s);

	first = s.n ? s.ids[0] : after + 1;
	if (rc == AUDIT_OK) {
		unhex(PQgetvalue(seals, i, 3), stored_prev);
		unhex(PQgetvalue(seals, i, 4), stored);
		a->r->seals++;
		a->r->sealed_txns += (int64_t)s.n;
		if (id != *prev_id + 1)
			problem(a, first, "seal %" PRId64 " follows seal %" PRId64 ": a seal is missing",
				id, *prev_id);
		else if (memcmp(stored_prev, prev_digest, SEAL_HASH_SIZE) != 0)
			problem(a, first, "seal %" PRId64 " does not chain onto seal %" PRId64, id, *prev_id);
		if (after != *prev_through)
			problem(a, first, "seal %" PRId64 " starts after txn %" PRId64 ", not where seal %"
				PRId64 " ends (%" PRId64 ")", id, after, *prev_id, *prev_through);
		for (size_t k = 0; k < s.n; k++)
			if (s.ids[k] <= after || s.ids[k] > through || (k && s.ids[k] <= s.ids[k - 1])) {
				problem(a, first, "seal %" PRId64 " lists txn %" PRId64
					" out of its range or order", id, s.ids[k]);
				break;
			}
		rc = seal_digest(stored_prev, id, after, through, s.hashes, s.n, digest) == SEAL_OK
			     ? AUDIT_OK : AUDIT_ERR_NOMEM;
	}
	if (rc == AUDIT_OK && memcmp(digest, stored, SEAL_HASH_SIZE) != 0)
		problem(a, first, "seal %" PRId64 " was altered: its digest does not match its contents", id);
	if (rc == AUDIT_OK)
		rc = check_range(a, after, through, &s);
	*prev_id = id;
	*prev_through = through;
	memcpy(prev_digest, stored, SEAL_HASH_SIZE);
	free(s.ids);
	free(s.hashes);
	return rc;
}

/* Txns newer than the last seal, in chunks. */
static int check_tail(struct auditor *a, int64_t after)
{
	int64_t before = a->r->txns;
	int rc = AUDIT_OK;

	while (rc == AUDIT_OK) {
		PGresult *res = query(a, tail_bound_sql, 2, after, TAIL_CHUNK - 1);
		int64_t hi = INT64_MAX;

		if (!res)
			return AUDIT_ERR_DB;
		if (PQntuples(res) == 1)
			hi = int_at(res, 0, 0);
		PQclear(res);
		rc = check_range(a, after, hi, NULL);
		if (hi == INT64_MAX)
			break;
		after = hi;
	}
	a->r->unsealed_txns = a->r->txns - before;
	return rc;
}

static void check_accounts(struct auditor *a)
{
	for (size_t i = 0; i < a->n_acc; i++) {
		const struct account *x = &a->acc[i];

		if (x->overflow)
			problem(a, 0, "account %" PRId64 ": its entries overflow 64 bits", x->id);
		else if (x->balance_ucents != x->sum_ucents)
			problem(a, 0, "account %" PRId64 ": balance_ucents is %" PRId64
				" but its entries sum to %" PRId64, x->id, x->balance_ucents, x->sum_ucents);
		else if (x->last_entry_id != x->newest_entry_id)
			problem(a, 0, "account %" PRId64 ": last_entry_id is %" PRId64
				" but its newest entry is %" PRId64, x->id, x->last_entry_id,
				x->newest_entry_id);
	}
}

static void check_anchors(struct auditor *a, const PGresult *seals, const struct audit_anchor *anchors,
			  int n)
{
	for (int k = 0; k < n; k++) {
		uint8_t stored[SEAL_HASH_SIZE];
		int i = 0;

		while (i < PQntuples(seals) && int_at(seals, i, 0) != anchors[k].seal_id)
			i++;
		if (i == PQntuples(seals)) {
			problem(a, 0, "anchored seal %" PRId64 " does not exist", anchors[k].seal_id);
			continue;
		}
		if (!unhex(PQgetvalue(seals, i, 4), stored) ||
		    memcmp(stored, anchors[k].digest, SEAL_HASH_SIZE) != 0)
			problem(a, int_at(seals, i, 1) + 1, "seal %" PRId64 " is not the seal anchored"
				" outside the database: the chain was rewritten", anchors[k].seal_id);
	}
}

static int run(struct auditor *a, const struct audit_anchor *anchors, int n)
{
	uint8_t prev_digest[SEAL_HASH_SIZE] = {0};
	int64_t prev_id = 0, prev_through = 0;
	PGresult *seals;
	int rc = load_accounts(a);

	if (rc != AUDIT_OK)
		return rc;
	if (!(seals = db_exec(a->c, seals_sql, 0, NULL, NULL)))
		return AUDIT_ERR_DB;
	for (int i = 0; rc == AUDIT_OK && i < PQntuples(seals); i++)
		rc = check_seal(a, seals, i, &prev_id, &prev_through, prev_digest);
	if (rc == AUDIT_OK) {
		a->r->head_seal_id = prev_id;
		a->r->head_through_txn_id = prev_through;
		memcpy(a->r->head_digest, prev_digest, SEAL_HASH_SIZE);
		check_anchors(a, seals, anchors, n);
		rc = check_tail(a, prev_through);
	}
	PQclear(seals);
	if (rc == AUDIT_OK)
		check_accounts(a);
	return rc;
}

int audit_run(PGconn *c, const struct audit_anchor *anchors, int n, audit_problem_fn on_problem,
	      void *arg, struct audit_report *out)
{
	struct auditor a = {.c = c, .fn = on_problem, .arg = arg, .r = out};
	int rc;

	if (!c || !out || n < 0 || (n > 0 && !anchors))
		return AUDIT_ERR_ARG;
	memset(out, 0, sizeof *out);
	/* One snapshot: balances and entries must be read as of one moment. */
	if (db_command(c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", 0, NULL, NULL) != DB_OK)
		return AUDIT_ERR_DB;
	rc = run(&a, anchors, n);
	db_rollback(c);
	PQclear(a.accounts_res);
	free(a.acc);
	return rc;
}
