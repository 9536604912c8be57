/* Unit tests for lib/money/payments and the rules of sql/040_deposits.sql
 * and sql/041_withdrawals.sql, against a real PostgreSQL (FELT_TEST_DB;
 * skipped when unset): credited once, reserved with the row, limits,
 * nonces bound once, final states final, the books balanced throughout. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "core/db.h"
#include "core/log.h"
#include "core/migrate.h"
#include "money/ledger.h"
#include "money/payments.h"
#include "../core/testdb.h"

#define USDC "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913"
#define PLATFORM "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359"
#define HOT "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb"
#define BLOCK_HASH "0x1f5c5e2a9ad0a5b4a07c2c1b1c4e0c5e2c9d6b0a1f4e3d2c1b0a9f8e7d6c5b4a"
#define DAY 1000000000LL /* ucents, a daily maximum out of the way */

static struct testdb tdb;
static PGconn *conn;
static int serial;
static const struct db_stmt stmts[] = { PAYMENTS_STMTS, { NULL, NULL, 0 } };

/* A new agent with wallet (may be NULL) into id; returns its balance account. */
static int64_t new_agent(const char *wallet, char id[PAYMENTS_ID_SIZE])
{
	char name[32];
	const char *p[2] = { name, wallet };
	int64_t bal;
	PGresult *r;

	snprintf(name, sizeof name, "pay_%d", serial++);
	r = db_exec(conn, "INSERT INTO agents (name, wallet_address) VALUES ($1, $2)"
			  " RETURNING id", 2, p, NULL);
	ck_assert_ptr_nonnull(r);
	snprintf(id, PAYMENTS_ID_SIZE, "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	ck_assert_int_eq(ledger_agent_accounts(conn, id, &bal, NULL), LEDGER_OK);
	return bal;
}

static int64_t balance(int64_t account)
{
	int64_t b = -1;

	ck_assert_int_eq(ledger_balance(conn, account, &b), LEDGER_OK);
	return b;
}

static int64_t platform(const char *kind)
{
	int64_t id;

	ck_assert_int_eq(ledger_platform_account(conn, kind, &id), LEDGER_OK);
	return balance(id);
}

static int64_t scalar(const char *sql)
{
	int64_t v = -1;

	ck_assert_int_eq(db_query_int64(conn, sql, 0, NULL, &v, NULL), DB_OK);
	return v;
}

static void books_balance(void)
{
	ck_assert_int_eq(scalar("SELECT drift_ucents + balance_drift_ucents"
				" FROM accounting_invariant"), 0);
}

/* A distinct transaction hash per call. */
static const char *next_hash(char out[CHAIN_HASH_SIZE])
{
	snprintf(out, CHAIN_HASH_SIZE, "0x%064x", ++serial);
	return out;
}

static struct deposit_found found(int64_t ucents, unsigned remainder)
{
	struct deposit_found f = { .ucents = ucents, .remainder = remainder, .transfers = 1 };
	struct u256 hundredths;

	u256_from_ucents(&f.base_units, ucents);
	u256_from_u64(&hundredths, remainder);
	u256_add(&f.base_units, &hundredths, &f.base_units);
	return f;
}

static struct payments_sighting seen(int64_t confirmations)
{
	struct payments_sighting s = { 8453, USDC, PLATFORM, 100, BLOCK_HASH,
				       confirmations, 12 };

	return s;
}

static void setup(void)
{
	conn = db_connect(tdb.conninfo, 1, 0);
	ck_assert_ptr_nonnull(conn);
	ck_assert_int_eq(db_prepare_all(conn, stmts, NULL), DB_OK);
}

static void teardown(void)
{
	db_close(conn);
}

START_TEST(deposit_confirmed_is_credited_once)
{
	char agent[PAYMENTS_ID_SIZE], other[PAYMENTS_ID_SIZE], hash[CHAIN_HASH_SIZE];
	struct deposit_found f = found(100000, 42);
	struct payments_sighting s = seen(12);
	struct payments_deposit d;
	int64_t bal = new_agent("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", agent);
	int64_t deposited = platform(LEDGER_ACCOUNT_DEPOSITS);
	bool is_new = false;

	new_agent(NULL, other);
	next_hash(hash);
	ck_assert_int_eq(payments_deposit_submit(conn, agent, hash, "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
						 &f, &s, &d, &is_new), PAYMENTS_OK);
	ck_assert(is_new);
	ck_assert_str_eq(d.status, "confirmed");
	ck_assert_str_eq(d.base_units, "10000042");
	ck_assert_int_eq(d.amount_ucents, 100000);
	ck_assert_int_eq(d.remainder_base_units, 42);
	ck_assert_int_eq(balance(bal), 100000);
	ck_assert_int_eq(platform(LEDGER_ACCOUNT_DEPOSITS), deposited - 100000);
	/* the same hash again, by anyone: nothing changes */
	ck_assert_int_eq(payments_deposit_submit(conn, agent, hash, "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
						 &f, &s, &d, &is_new), PAYMENTS_OK);
	ck_assert(!is_new);
	ck_assert_int_eq(payments_deposit_submit(conn, other, hash, "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
						 &f, &s, &d, &is_new), PAYMENTS_OK);
	ck_assert(!is_new);
	ck_assert_str_eq(d.agent_id, agent);
	ck_assert_int_eq(balance(bal), 100000);
	/* observing a confirmed deposit changes nothing either */
	{
		char status[PAYMENTS_STATUS_SIZE];

		ck_assert_int_eq(payments_deposit_observe(conn, d.id, &f, &s, status), PAYMENTS_OK);
		ck_assert_str_eq(status, "confirmed");
	}
	ck_assert_int_eq(balance(bal), 100000);
	books_balance();
}
END_TEST

START_TEST(deposit_pending_then_confirmed_or_rejected)
{
	char agent[PAYMENTS_ID_SIZE], hash[CHAIN_HASH_SIZE], status[PAYMENTS_STATUS_SIZE];
	struct deposit_found f = found(5000, 0);
	struct payments_sighting s = seen(3);
	struct payments_deposit d, *list;
	int64_t bal = new_agent("0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", agent);
	int64_t before;
	bool is_new;
	size_t n;

	ck_assert_int_eq(payments_count_pending_deposits(conn, &before), PAYMENTS_OK);
	ck_assert_int_eq(payments_deposit_submit(conn, agent, next_hash(hash),
						 "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", &f, &s,
						 &d, &is_new), PAYMENTS_OK);
	ck_assert_str_eq(d.status, "pending");
	ck_assert_int_eq(d.confirmations_seen, 3);
	ck_assert_int_eq(balance(bal), 0);
	ck_assert_int_eq(payments_pending_deposits(conn, 100, &list, &n), PAYMENTS_OK);
	ck_assert_uint_eq(n, (size_t)before + 1);
	ck_assert_str_eq(list[n - 1].id, d.id);
	free(list);
	s.confirmations = 11;
	ck_assert_int_eq(payments_deposit_observe(conn, d.id, &f, &s, status), PAYMENTS_OK);
	ck_assert_str_eq(status, "pending");
	ck_assert_int_eq(balance(bal), 0);
	/* the amount seen at confirmation is what is credited */
	f = found(6000, 1);
	s.confirmations = 12;
	ck_assert_int_eq(payments_deposit_observe(conn, d.id, &f, &s, status), PAYMENTS_OK);
	ck_assert_str_eq(status, "confirmed");
	ck_assert_int_eq(balance(bal), 6000);
	ck_assert_int_eq(payments_deposit_observe(conn, d.id, &f, &s, status), PAYMENTS_OK);
	ck_assert_int_eq(balance(bal), 6000);
	ck_assert_int_eq(payments_deposit_reject(conn, d.id, "too late"), PAYMENTS_OK);
	ck_assert_int_eq(payments_deposit_by_hash(conn, hash, &d), PAYMENTS_OK);
	ck_assert_str_eq(d.status, "confirmed");

	/* a pending deposit rejected is never credited */
	s.confirmations = 1;
	ck_assert_int_eq(payments_deposit_submit(conn, agent, next_hash(hash),
						 "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", &f, &s,
						 &d, &is_new), PAYMENTS_OK);
	ck_assert_int_eq(payments_deposit_reject(conn, d.id, "reorg: reverted"), PAYMENTS_OK);
	s.confirmations = 50;
	ck_assert_int_eq(payments_deposit_observe(conn, d.id, &f, &s, status), PAYMENTS_OK);
	ck_assert_str_eq(status, "rejected");
	ck_assert_int_eq(payments_deposit_by_hash(conn, hash, &d), PAYMENTS_OK);
	ck_assert_str_eq(d.reason, "reorg: reverted");
	ck_assert_int_eq(balance(bal), 6000);
	ck_assert_int_eq(payments_deposit_by_hash(conn, "0x00", &d), PAYMENTS_ENOTFOUND);
	books_balance();
}
END_TEST

START_TEST(deposits_cannot_be_edited)
{
	PGresult *r;
	struct db_err e;

	/* even the owner cannot rewrite a credited deposit */
	r = db_exec(conn, "UPDATE deposits SET amount_ucents = amount_ucents * 2,"
			  " amount_base_units = amount_base_units * 2 WHERE status = 'confirmed'",
		    0, NULL, &e);
	ck_assert_ptr_null(r);
	ck_assert_str_eq(e.sqlstate, "FP001");
	r = db_exec(conn, "DELETE FROM deposits", 0, NULL, &e);
	ck_assert_ptr_null(r);
	/* programs may only read the tables and call the functions */
	ck_assert_int_eq(scalar("SELECT (has_table_privilege('felt_app', 'deposits', 'SELECT'))::int"
				" + (has_table_privilege('felt_app', 'deposits', 'UPDATE'))::int * 10"
				" + (has_table_privilege('felt_app', 'withdrawals', 'INSERT'))::int * 100"
				" + (has_function_privilege('felt_app', 'withdrawal_fail(uuid, text)',"
				"   'EXECUTE'))::int * 1000"
				" + (has_function_privilege('felt_read', 'withdrawal_fail(uuid, text)',"
				"   'EXECUTE'))::int * 10000"), 1001);
}
END_TEST

/* Fund balance account bal with ucents through an adjustment txn. */
static void fund(int64_t bal, int64_t ucents)
{
	int64_t adj;
	struct ledger_entry e[2];

	ck_assert_int_eq(ledger_platform_account(conn, LEDGER_ACCOUNT_ADJUSTMENTS, &adj), LEDGER_OK);
	e[0] = (struct ledger_entry){ adj, -ucents };
	e[1] = (struct ledger_entry){ bal, ucents };
	ck_assert_int_eq(ledger_post(conn, LEDGER_TXN_ADJUSTMENT, "{\"reason\":\"test\"}", e, 2,
				     NULL), LEDGER_OK);
}

/* A withdrawal request with the test limits 1.00 .. 100.00. */
static int request(const char *agent, int64_t ucents, struct payments_request *out,
		   int64_t daily, int64_t *today)
{
	return payments_withdrawal_request(conn, agent, ucents, 10000, 1000000, daily, out, today);
}

static int64_t withdrawals_of(const char *agent)
{
	const char *p[1] = { agent };
	int64_t n = -1;

	ck_assert_int_eq(db_query_int64(conn, "SELECT count(*) FROM withdrawals WHERE agent_id = $1",
					1, p, &n, NULL), DB_OK);
	return n;
}

START_TEST(withdrawal_limits_and_balance)
{
	char agent[PAYMENTS_ID_SIZE], nowallet[PAYMENTS_ID_SIZE];
	struct payments_request out;
	struct payments_withdrawal w;
	int64_t bal = new_agent("0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDa", agent);
	int64_t pending = platform(LEDGER_ACCOUNT_WITHDRAWALS_PENDING), today = -1;

	new_agent(NULL, nowallet);
	ck_assert_int_eq(request(agent, 9999, &out, DAY, NULL), PAYMENTS_EBELOWMIN);
	ck_assert_int_eq(request(agent, 1000001, &out, DAY, NULL), PAYMENTS_EABOVEMAX);
	ck_assert_int_eq(request(agent, 0, &out, DAY, NULL), PAYMENTS_EARG);
	ck_assert_int_eq(request(agent, 50000, &out, DAY, NULL), PAYMENTS_EINSUFFICIENT);
	ck_assert_int_eq(request(nowallet, 50000, &out, DAY, NULL), PAYMENTS_ENOWALLET);
	ck_assert_int_eq(withdrawals_of(agent), 0);
	fund(bal, 300000);
	ck_assert_int_eq(request(agent, 120000, &out, 200000, &today), PAYMENTS_OK);
	ck_assert_int_eq(out.balance_after_ucents, 180000);
	ck_assert_str_eq(out.to, "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDa");
	ck_assert_int_gt(out.txn_id, 0);
	ck_assert_int_eq(balance(bal), 180000);
	ck_assert_int_eq(platform(LEDGER_ACCOUNT_WITHDRAWALS_PENDING), pending + 120000);
	/* the UTC day's total counts what was asked, the message carries it */
	ck_assert_int_eq(request(agent, 80001, &out, 200000, &today), PAYMENTS_EDAILY);
	ck_assert_int_eq(today, 120000);
	ck_assert_int_eq(payments_withdrawal_get(conn, out.withdrawal_id, NULL, &w), PAYMENTS_ENOTFOUND);
	ck_assert_int_eq(request(agent, 80000, &out, 200000, &today), PAYMENTS_OK);
	ck_assert_int_eq(payments_withdrawal_get(conn, out.withdrawal_id, agent, &w), PAYMENTS_OK);
	ck_assert_str_eq(w.status, "pending");
	ck_assert_int_eq(w.amount_ucents, 80000);
	ck_assert(!w.has_nonce);
	/* another agent's, an unknown or a malformed id is not found */
	ck_assert_int_eq(payments_withdrawal_get(conn, out.withdrawal_id, nowallet, &w),
			 PAYMENTS_ENOTFOUND);
	ck_assert_int_eq(payments_withdrawal_get(conn, "00000000-0000-0000-0000-00000000abcd",
						 NULL, &w), PAYMENTS_ENOTFOUND);
	ck_assert_int_eq(payments_withdrawal_get(conn, "1' OR '1'='1", NULL, &w), PAYMENTS_ENOTFOUND);
	/* a failed one no longer counts toward the day */
	ck_assert_int_eq(payments_withdrawal_fail(conn, out.withdrawal_id, "test"), PAYMENTS_OK);
	ck_assert_int_eq(balance(bal), 180000);
	ck_assert_int_eq(request(agent, 80000, &out, 200000, &today), PAYMENTS_OK);
	books_balance();
}
END_TEST

START_TEST(withdrawal_sent_and_confirmed)
{
	char agent[PAYMENTS_ID_SIZE], hash[CHAIN_HASH_SIZE];
	struct payments_request out;
	struct payments_withdrawal w, *open;
	int64_t bal = new_agent("0x52908400098527886E0F7030069857D2E4169EE7", agent);
	int64_t withdrawn = platform(LEDGER_ACCOUNT_WITHDRAWN), max = 0, p = 0, q = 0;
	size_t n;

	fund(bal, 500000);
	ck_assert_int_eq(request(agent, 250000, &out, DAY, NULL), PAYMENTS_OK);
	ck_assert_int_eq(payments_count_open_withdrawals(conn, &p, &q), PAYMENTS_OK);
	ck_assert_int_ge(p, 1);
	ck_assert_int_eq(payments_open_withdrawals(conn, 100, &open, &n), PAYMENTS_OK);
	ck_assert_uint_ge(n, 1);
	free(open);
	/* not sent before it is bound to a nonce */
	ck_assert_int_eq(payments_withdrawal_sent(conn, out.withdrawal_id, next_hash(hash)),
			 PAYMENTS_ESTATE);
	ck_assert_int_eq(payments_withdrawal_bind(conn, out.withdrawal_id, 8453, USDC, HOT, 7, 90,
						  60000), PAYMENTS_OK);
	ck_assert_int_eq(payments_withdrawal_bind(conn, out.withdrawal_id, 8453, USDC, HOT, 8, 90,
						  60000), PAYMENTS_ESTATE);
	ck_assert_int_eq(payments_max_nonce(conn, 8453, HOT, &max), PAYMENTS_OK);
	ck_assert_int_eq(max, 7);
	ck_assert_int_eq(payments_withdrawal_sent(conn, out.withdrawal_id, hash), PAYMENTS_OK);
	ck_assert_int_eq(payments_withdrawal_note(conn, out.withdrawal_id, 91, 2, "waiting"),
			 PAYMENTS_OK);
	ck_assert_int_eq(payments_withdrawal_get(conn, out.withdrawal_id, agent, &w), PAYMENTS_OK);
	ck_assert_str_eq(w.status, "processing");
	ck_assert(w.has_nonce);
	ck_assert_int_eq(w.nonce, 7);
	ck_assert_int_eq(w.nonce_block, 90);
	ck_assert_str_eq(w.tx_hash, hash);
	ck_assert_str_eq(w.from, HOT);
	ck_assert_int_eq(w.confirmations_seen, 2);
	ck_assert_str_eq(w.error, "waiting");
	/* processing ones come first in the work list */
	ck_assert_int_eq(payments_open_withdrawals(conn, 100, &open, &n), PAYMENTS_OK);
	ck_assert_str_eq(open[0].status, "processing");
	free(open);
	ck_assert_int_eq(payments_withdrawal_confirm(conn, out.withdrawal_id, hash, 91, 12),
			 PAYMENTS_OK);
	ck_assert_int_eq(platform(LEDGER_ACCOUNT_WITHDRAWN), withdrawn + 250000);
	ck_assert_int_eq(balance(bal), 250000);
	/* final: neither confirmed again, nor failed, nor released */
	ck_assert_int_eq(payments_withdrawal_confirm(conn, out.withdrawal_id, hash, 91, 12),
			 PAYMENTS_ESTATE);
	ck_assert_int_eq(payments_withdrawal_fail(conn, out.withdrawal_id, "x"), PAYMENTS_ESTATE);
	ck_assert_int_eq(payments_withdrawal_release(conn, out.withdrawal_id, "x"), PAYMENTS_ESTATE);
	ck_assert_int_eq(platform(LEDGER_ACCOUNT_WITHDRAWN), withdrawn + 250000);
	ck_assert_int_eq(balance(bal), 250000);

	/* one nonce, one withdrawal */
	ck_assert_int_eq(request(agent, 10000, &out, DAY, NULL), PAYMENTS_OK);
	ck_assert_int_eq(payments_withdrawal_bind(conn, out.withdrawal_id, 8453, USDC, HOT, 7, 95,
						  60000), PAYMENTS_ESTATE);
	ck_assert_int_eq(payments_withdrawal_get(conn, out.withdrawal_id, agent, &w), PAYMENTS_OK);
	ck_assert_str_eq(w.status, "pending");
	books_balance();
}
END_TEST

START_TEST(withdrawal_failed_is_refunded_and_released_goes_back)
{
	char agent[PAYMENTS_ID_SIZE], hash[CHAIN_HASH_SIZE];
	struct payments_request out;
	struct payments_withdrawal w;
	int64_t bal = new_agent("0x8617E340B3D01FA5F11F306F4090FD50E238070D", agent);
	int64_t pending;

	fund(bal, 100000);
	ck_assert_int_eq(request(agent, 40000, &out, DAY, NULL), PAYMENTS_OK);
	pending = platform(LEDGER_ACCOUNT_WITHDRAWALS_PENDING);
	ck_assert_int_eq(payments_withdrawal_bind(conn, out.withdrawal_id, 8453, USDC, HOT, 1000, 5,
						  0), PAYMENTS_OK);
	ck_assert_int_eq(payments_withdrawal_sent(conn, out.withdrawal_id, next_hash(hash)),
			 PAYMENTS_OK);
	ck_assert_int_eq(payments_withdrawal_release(conn, out.withdrawal_id,
						     "nonce 1000 used by another transaction"),
			 PAYMENTS_OK);
	ck_assert_int_eq(payments_withdrawal_get(conn, out.withdrawal_id, agent, &w), PAYMENTS_OK);
	ck_assert_str_eq(w.status, "pending");
	ck_assert(!w.has_nonce);
	ck_assert_str_eq(w.tx_hash, "");
	ck_assert_int_eq(balance(bal), 60000);
	ck_assert_int_eq(payments_withdrawal_bind(conn, out.withdrawal_id, 8453, USDC, HOT, 1001, 6,
						  0), PAYMENTS_OK);
	ck_assert_int_eq(payments_withdrawal_fail(conn, out.withdrawal_id,
						  "transaction reverted on chain"), PAYMENTS_OK);
	ck_assert_int_eq(balance(bal), 100000);
	ck_assert_int_eq(platform(LEDGER_ACCOUNT_WITHDRAWALS_PENDING), pending - 40000);
	ck_assert_int_eq(payments_withdrawal_get(conn, out.withdrawal_id, agent, &w), PAYMENTS_OK);
	ck_assert_str_eq(w.status, "failed");
	ck_assert_str_eq(w.error, "transaction reverted on chain");
	ck_assert_int_eq(payments_withdrawal_fail(conn, out.withdrawal_id, "again"), PAYMENTS_ESTATE);
	ck_assert_int_eq(balance(bal), 100000);
	ck_assert_int_eq(payments_withdrawal_fail(conn, "00000000-0000-0000-0000-00000000abcd", "x"),
			 PAYMENTS_ENOTFOUND);
	books_balance();
}
END_TEST

int main(void)
{
	Suite *s = suite_create("payments");
	TCase *tc = tcase_create("db");
	SRunner *sr;
	PGconn *c;
	char err[512];
	int failed;

	testdb_server();
	log_set_level(LOG_ERROR);
	testdb_create(&tdb, "payments");
	c = db_connect(tdb.conninfo, 1, 0);
	if (!c || migrate_run(c, TEST_SQL_DIR, NULL, err, sizeof err) != MIGRATE_OK) {
		fprintf(stderr, "migrate: %s\n", err);
		testdb_drop(&tdb);
		return 99;
	}
	db_close(c);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, deposit_confirmed_is_credited_once);
	tcase_add_test(tc, deposit_pending_then_confirmed_or_rejected);
	tcase_add_test(tc, deposits_cannot_be_edited);
	tcase_add_test(tc, withdrawal_limits_and_balance);
	tcase_add_test(tc, withdrawal_sent_and_confirmed);
	tcase_add_test(tc, withdrawal_failed_is_refunded_and_released_goes_back);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	testdb_drop(&tdb);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
