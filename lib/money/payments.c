/* payments — deposits and withdrawals through the SQL functions of
 * sql/040_deposits.sql and sql/041_withdrawals.sql.  See payments.h. */
#include "money/payments.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/db.h"

#define ISO_UTC(col) \
	"to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

/* Column lists read by deposit_row() / withdrawal_row(), in order. */
#define DEPOSIT_COLUMNS \
	"d.id::text, d.agent_id::text, d.tx_hash, d.status, d.from_address," \
	" d.amount_base_units::text, d.amount_ucents, d.remainder_base_units," \
	" d.block_number, d.confirmations_seen, d.confirmations_required," \
	" coalesce(d.reason, ''), " ISO_UTC("d.created_at")
#define WITHDRAWAL_COLUMNS \
	"w.id::text, w.agent_id::text, w.to_address, w.amount_ucents, w.status," \
	" w.nonce, coalesce(w.nonce_block, 0), coalesce(w.gas, 0)," \
	" coalesce(w.from_address, ''), coalesce(w.tx_hash, '')," \
	" coalesce(w.block_number, 0), w.confirmations_seen," \
	" coalesce(w.error_message, ''), " ISO_UTC("w.created_at")

const char payments_deposit_by_hash_sql[] =
	"SELECT " DEPOSIT_COLUMNS " FROM deposits d WHERE d.tx_hash = $1";
const char payments_deposit_submit_sql[] =
	"SELECT is_new FROM deposit_submit($1, $2, $3, $4, $5, $6, $7, $8, $9,"
	" $10, $11, $12, $13)";
const char payments_deposit_observe_sql[] =
	"SELECT status FROM deposit_observe($1, $2, $3, $4, $5, $6, $7, $8)";
const char payments_deposit_reject_sql[] = "SELECT deposit_reject($1, $2)";
const char payments_pending_deposits_sql[] =
	"SELECT " DEPOSIT_COLUMNS " FROM deposits d WHERE d.status = 'pending'"
	" ORDER BY d.created_at LIMIT $1::int";
const char payments_count_deposits_sql[] =
	"SELECT count(*) FROM deposits WHERE status = 'pending'";
const char payments_withdrawal_request_sql[] =
	"SELECT withdrawal_id::text, txn_id, balance_after_ucents, to_address"
	" FROM withdrawal_request($1, $2, $3, $4, $5)";
const char payments_withdrawal_get_sql[] =
	"SELECT " WITHDRAWAL_COLUMNS " FROM withdrawals w"
	" WHERE w.id = $1::uuid AND ($2::uuid IS NULL OR w.agent_id = $2::uuid)";
const char payments_open_withdrawals_sql[] =
	"SELECT " WITHDRAWAL_COLUMNS " FROM withdrawals w"
	" WHERE w.status IN ('pending', 'processing')"
	" ORDER BY w.status = 'pending', w.nonce, w.created_at LIMIT $1::int";
const char payments_max_nonce_sql[] =
	"SELECT coalesce(max(nonce), -1) FROM withdrawals"
	" WHERE chain_id = $1::bigint AND from_address = $2";
const char payments_withdrawal_bind_sql[] =
	"SELECT withdrawal_bind($1, $2, $3, $4, $5, $6, $7)";
const char payments_withdrawal_sent_sql[] = "SELECT withdrawal_sent($1, $2)";
const char payments_withdrawal_note_sql[] = "SELECT withdrawal_note($1, $2, $3, $4)";
const char payments_withdrawal_confirm_sql[] =
	"SELECT withdrawal_confirm($1, $2, $3, $4)";
const char payments_withdrawal_fail_sql[] = "SELECT withdrawal_fail($1, $2)";
const char payments_withdrawal_release_sql[] = "SELECT withdrawal_release($1, $2)";
const char payments_count_withdrawals_sql[] =
	"SELECT count(*) FILTER (WHERE status = 'pending'),"
	" count(*) FILTER (WHERE status = 'processing')"
	" FROM withdrawals WHERE status IN ('pending', 'processing')";

const char *payments_strerror(int err)
{
	switch (err) {
	case PAYMENTS_OK: return "ok";
	case PAYMENTS_EDB: return "database error";
	case PAYMENTS_EINSUFFICIENT: return "insufficient balance";
	case PAYMENTS_ENOWALLET: return "no wallet registered";
	case PAYMENTS_EBELOWMIN: return "below the minimum withdrawal";
	case PAYMENTS_EABOVEMAX: return "above the maximum withdrawal";
	case PAYMENTS_EDAILY: return "above the daily withdrawal maximum";
	case PAYMENTS_ESTATE: return "not in the state this needs";
	case PAYMENTS_ENOTFOUND: return "not found";
	case PAYMENTS_EARG: return "bad argument";
	case PAYMENTS_ERETRY: return "transaction conflict, retry";
	}
	return "unknown payments error";
}

/* SQLSTATEs of the payments functions and the ledger. */
static int from_db(const struct db_err *e)
{
	static const struct { const char *state; int err; } map[] = {
		{"FP100", PAYMENTS_EARG},      {"FP101", PAYMENTS_ENOWALLET},
		{"FP102", PAYMENTS_EBELOWMIN}, {"FP103", PAYMENTS_EABOVEMAX},
		{"FP104", PAYMENTS_EDAILY},    {"FP001", PAYMENTS_ESTATE},
		{"FP201", PAYMENTS_ESTATE},    {"FP002", PAYMENTS_ENOTFOUND},
		{"FP202", PAYMENTS_ENOTFOUND}, {"22P02", PAYMENTS_EARG},
	};

	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcmp(e->sqlstate, map[i].state) == 0)
			return map[i].err;
	if (e->code == DB_ERR_CHECK &&
	    strcmp(e->constraint, "accounts_balance_nonnegative") == 0)
		return PAYMENTS_EINSUFFICIENT;
	if (e->code == DB_ERR_UNIQUE)
		return PAYMENTS_ESTATE;
	if (e->code == DB_ERR_RETRY)
		return PAYMENTS_ERETRY;
	return PAYMENTS_EDB;
}

static void copy(char *dst, size_t n, const PGresult *r, int row, int col)
{
	snprintf(dst, n, "%s", PQgetvalue(r, row, col));
}

static int64_t int_at(const PGresult *r, int row, int col)
{
	int64_t v = 0;

	db_value_int64(r, row, col, &v);
	return v;
}

static void deposit_row(const PGresult *r, int row, void *into)
{
	struct payments_deposit *d = into;

	memset(d, 0, sizeof *d);
	copy(d->id, sizeof d->id, r, row, 0);
	copy(d->agent_id, sizeof d->agent_id, r, row, 1);
	copy(d->tx_hash, sizeof d->tx_hash, r, row, 2);
	copy(d->status, sizeof d->status, r, row, 3);
	copy(d->from, sizeof d->from, r, row, 4);
	copy(d->base_units, sizeof d->base_units, r, row, 5);
	d->amount_ucents = int_at(r, row, 6);
	d->remainder_base_units = int_at(r, row, 7);
	d->block_number = int_at(r, row, 8);
	d->confirmations_seen = int_at(r, row, 9);
	d->confirmations_required = int_at(r, row, 10);
	copy(d->reason, sizeof d->reason, r, row, 11);
	copy(d->created_at, sizeof d->created_at, r, row, 12);
}

static void withdrawal_row(const PGresult *r, int row, void *into)
{
	struct payments_withdrawal *w = into;

	memset(w, 0, sizeof *w);
	copy(w->id, sizeof w->id, r, row, 0);
	copy(w->agent_id, sizeof w->agent_id, r, row, 1);
	copy(w->to, sizeof w->to, r, row, 2);
	w->amount_ucents = int_at(r, row, 3);
	copy(w->status, sizeof w->status, r, row, 4);
	w->has_nonce = !PQgetisnull(r, row, 5);
	w->nonce = int_at(r, row, 5);
	w->nonce_block = int_at(r, row, 6);
	w->gas = int_at(r, row, 7);
	copy(w->from, sizeof w->from, r, row, 8);
	copy(w->tx_hash, sizeof w->tx_hash, r, row, 9);
	w->block_number = int_at(r, row, 10);
	w->confirmations_seen = int_at(r, row, 11);
	copy(w->error, sizeof w->error, r, row, 12);
	copy(w->created_at, sizeof w->created_at, r, row, 13);
}

/* Run the statement prepared as name (PAYMENTS_STMTS); on success *res
 * holds the result (caller clears). */
static int run(PGconn *c, const char *name, int n, const char *const *p,
	       PGresult **res)
{
	struct db_err e;

	*res = db_exec_prepared(c, name, n, p, &e);
	return *res ? PAYMENTS_OK : from_db(&e);
}

static int command(PGconn *c, const char *name, int n, const char *const *p)
{
	PGresult *r;
	int rc = run(c, name, n, p, &r);

	PQclear(r);
	return rc;
}

/* A statement whose one value is an integer, into *out. */
static int scalar(PGconn *c, const char *name, int n, const char *const *p,
		  int64_t *out)
{
	PGresult *r;
	int rc = run(c, name, n, p, &r);

	if (rc == PAYMENTS_OK && db_value_int64(r, 0, 0, out) != DB_OK)
		rc = PAYMENTS_EDB;
	PQclear(r);
	return rc;
}

/* --- deposits --- */

int payments_deposit_by_hash(PGconn *c, const char *tx_hash,
			     struct payments_deposit *out)
{
	const char *p[1] = {tx_hash};
	PGresult *r;
	int rc = run(c, "pay_deposit_by_hash", 1, p, &r);

	if (rc != PAYMENTS_OK)
		return rc;
	rc = PQntuples(r) == 1 ? PAYMENTS_OK : PAYMENTS_ENOTFOUND;
	if (rc == PAYMENTS_OK)
		deposit_row(r, 0, out);
	PQclear(r);
	return rc;
}

/* The text parameters describing what was found where. */
struct sighting_text {
	char chain_id[24], base_units[U256_DEC_SIZE], ucents[24], remainder[8];
	char block[24], confirmations[24], required[24];
};

static void sighting_text(const struct deposit_found *f,
			  const struct payments_sighting *s, struct sighting_text *t)
{
	snprintf(t->chain_id, sizeof t->chain_id, "%" PRIu64, s->chain_id);
	u256_to_dec(&f->base_units, t->base_units);
	snprintf(t->ucents, sizeof t->ucents, "%" PRId64, f->ucents);
	snprintf(t->remainder, sizeof t->remainder, "%u", f->remainder);
	snprintf(t->block, sizeof t->block, "%" PRIu64, s->block_number);
	snprintf(t->confirmations, sizeof t->confirmations, "%" PRId64, s->confirmations);
	snprintf(t->required, sizeof t->required, "%" PRId64, s->required);
}

int payments_deposit_submit(PGconn *c, const char *agent, const char *tx_hash,
			    const char *from, const struct deposit_found *f,
			    const struct payments_sighting *s,
			    struct payments_deposit *out, bool *is_new)
{
	struct sighting_text t;
	const char *p[13];
	PGresult *r;
	int rc;

	sighting_text(f, s, &t);
	p[0] = agent;
	p[1] = tx_hash;
	p[2] = t.chain_id;
	p[3] = s->token;
	p[4] = s->deposit_address;
	p[5] = from;
	p[6] = t.base_units;
	p[7] = t.ucents;
	p[8] = t.remainder;
	p[9] = t.block;
	p[10] = s->block_hash;
	p[11] = t.confirmations;
	p[12] = t.required;
	rc = run(c, "pay_deposit_submit", 13, p, &r);
	if (rc != PAYMENTS_OK)
		return rc;
	*is_new = PQntuples(r) == 1 && strcmp(PQgetvalue(r, 0, 0), "t") == 0;
	PQclear(r);
	return payments_deposit_by_hash(c, tx_hash, out);
}

int payments_deposit_observe(PGconn *c, const char *id,
			     const struct deposit_found *f,
			     const struct payments_sighting *s,
			     char status[PAYMENTS_STATUS_SIZE])
{
	struct sighting_text t;
	const char *p[8];
	PGresult *r;
	int rc;

	sighting_text(f, s, &t);
	p[0] = id;
	p[1] = t.base_units;
	p[2] = t.ucents;
	p[3] = t.remainder;
	p[4] = t.block;
	p[5] = s->block_hash;
	p[6] = t.confirmations;
	p[7] = t.required;
	rc = run(c, "pay_deposit_observe", 8, p, &r);
	if (rc != PAYMENTS_OK)
		return rc;
	copy(status, PAYMENTS_STATUS_SIZE, r, 0, 0);
	PQclear(r);
	return PAYMENTS_OK;
}

int payments_deposit_reject(PGconn *c, const char *id, const char *reason)
{
	const char *p[2] = {id, reason};

	return command(c, "pay_deposit_reject", 2, p);
}

/* Up to limit rows of statement name (its one parameter), each read by
 * fill into a malloc'd array of size-byte elements, *n of them. */
static int many(PGconn *c, const char *name, int limit, size_t size,
		void (*fill)(const PGresult *, int, void *), void **out, size_t *n)
{
	char lim[16];
	const char *p[1] = {lim};
	PGresult *r;
	int rc, rows;
	char *a;

	*out = NULL;
	*n = 0;
	snprintf(lim, sizeof lim, "%d", limit);
	rc = run(c, name, 1, p, &r);
	if (rc != PAYMENTS_OK)
		return rc;
	rows = PQntuples(r);
	a = calloc(rows ? (size_t)rows : 1, size);
	if (a == NULL) {
		PQclear(r);
		return PAYMENTS_EDB;
	}
	for (int i = 0; i < rows; i++)
		fill(r, i, a + (size_t)i * size);
	PQclear(r);
	*out = a;
	*n = (size_t)rows;
	return PAYMENTS_OK;
}

int payments_pending_deposits(PGconn *c, int limit,
			      struct payments_deposit **out, size_t *n)
{
	void *rows;
	int rc = many(c, "pay_pending_deposits", limit, sizeof **out, deposit_row, &rows, n);

	*out = rows;
	return rc;
}

int payments_count_pending_deposits(PGconn *c, int64_t *n)
{
	return scalar(c, "pay_count_deposits", 0, NULL, n);
}

/* --- withdrawals --- */

int payments_withdrawal_request(PGconn *c, const char *agent, int64_t amount_ucents,
				int64_t min_ucents, int64_t max_ucents,
				int64_t daily_max_ucents, struct payments_request *out,
				int64_t *today_ucents)
{
	char amount[24], min[24], max[24], daily[24];
	const char *p[5] = {agent, amount, min, max, daily};
	struct db_err e;
	PGresult *r;

	snprintf(amount, sizeof amount, "%" PRId64, amount_ucents);
	snprintf(min, sizeof min, "%" PRId64, min_ucents);
	snprintf(max, sizeof max, "%" PRId64, max_ucents);
	snprintf(daily, sizeof daily, "%" PRId64, daily_max_ucents);
	memset(out, 0, sizeof *out);
	r = db_exec_prepared(c, "pay_withdrawal_request", 5, p, &e);
	if (r == NULL) {
		int rc = from_db(&e);

		/* FP104's message is the day's total so far (041_withdrawals). */
		if (rc == PAYMENTS_EDAILY && today_ucents)
			*today_ucents = strtoll(e.message, NULL, 10);
		return rc;
	}
	copy(out->withdrawal_id, sizeof out->withdrawal_id, r, 0, 0);
	out->txn_id = int_at(r, 0, 1);
	out->balance_after_ucents = int_at(r, 0, 2);
	copy(out->to, sizeof out->to, r, 0, 3);
	PQclear(r);
	return PAYMENTS_OK;
}

/* A uuid in its canonical text form (any case); anything else is no id. */
static bool is_uuid(const char *s)
{
	if (s == NULL || strlen(s) != 36)
		return false;
	for (int i = 0; i < 36; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;
		char ch = s[i];

		if (dash ? ch != '-'
			 : !((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') ||
			     (ch >= 'A' && ch <= 'F')))
			return false;
	}
	return true;
}

int payments_withdrawal_get(PGconn *c, const char *id, const char *agent,
			    struct payments_withdrawal *out)
{
	const char *p[2] = {id, agent};
	PGresult *r;
	int rc;

	if (!is_uuid(id))
		return PAYMENTS_ENOTFOUND;
	rc = run(c, "pay_withdrawal_get", 2, p, &r);
	if (rc != PAYMENTS_OK)
		return rc;
	rc = PQntuples(r) == 1 ? PAYMENTS_OK : PAYMENTS_ENOTFOUND;
	if (rc == PAYMENTS_OK)
		withdrawal_row(r, 0, out);
	PQclear(r);
	return rc;
}

int payments_open_withdrawals(PGconn *c, int limit,
			      struct payments_withdrawal **out, size_t *n)
{
	void *rows;
	int rc = many(c, "pay_open_withdrawals", limit, sizeof **out, withdrawal_row, &rows, n);

	*out = rows;
	return rc;
}

int payments_max_nonce(PGconn *c, uint64_t chain_id, const char *from, int64_t *nonce)
{
	char chain[24];
	const char *p[2] = {chain, from};

	snprintf(chain, sizeof chain, "%" PRIu64, chain_id);
	return scalar(c, "pay_max_nonce", 2, p, nonce);
}

int payments_withdrawal_bind(PGconn *c, const char *id, uint64_t chain_id,
			     const char *token, const char *from, uint64_t nonce,
			     uint64_t block, uint64_t gas)
{
	char chain[24], n[24], b[24], g[24];
	const char *p[7] = {id, chain, token, from, n, b, g};

	snprintf(chain, sizeof chain, "%" PRIu64, chain_id);
	snprintf(n, sizeof n, "%" PRIu64, nonce);
	snprintf(b, sizeof b, "%" PRIu64, block);
	snprintf(g, sizeof g, "%" PRIu64, gas);
	return command(c, "pay_withdrawal_bind", 7, p);
}

int payments_withdrawal_sent(PGconn *c, const char *id, const char *tx_hash)
{
	const char *p[2] = {id, tx_hash};

	return command(c, "pay_withdrawal_sent", 2, p);
}

int payments_withdrawal_note(PGconn *c, const char *id, int64_t block,
			     int64_t confirmations, const char *error)
{
	char b[24], n[24];
	const char *p[4] = {id, block < 0 ? NULL : b, confirmations < 0 ? NULL : n, error};

	snprintf(b, sizeof b, "%" PRId64, block);
	snprintf(n, sizeof n, "%" PRId64, confirmations);
	return command(c, "pay_withdrawal_note", 4, p);
}

int payments_withdrawal_confirm(PGconn *c, const char *id, const char *tx_hash,
				uint64_t block, int64_t confirmations)
{
	char b[24], n[24];
	const char *p[4] = {id, tx_hash, b, n};

	snprintf(b, sizeof b, "%" PRIu64, block);
	snprintf(n, sizeof n, "%" PRId64, confirmations);
	return command(c, "pay_withdrawal_confirm", 4, p);
}

int payments_withdrawal_fail(PGconn *c, const char *id, const char *reason)
{
	const char *p[2] = {id, reason};

	return command(c, "pay_withdrawal_fail", 2, p);
}

int payments_withdrawal_release(PGconn *c, const char *id, const char *reason)
{
	const char *p[2] = {id, reason};

	return command(c, "pay_withdrawal_release", 2, p);
}

int payments_count_open_withdrawals(PGconn *c, int64_t *pending, int64_t *processing)
{
	PGresult *r;
	int rc = run(c, "pay_count_withdrawals", 0, NULL, &r);

	if (rc != PAYMENTS_OK)
		return rc;
	*pending = int_at(r, 0, 0);
	*processing = int_at(r, 0, 1);
	PQclear(r);
	return PAYMENTS_OK;
}
