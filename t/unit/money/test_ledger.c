/* Unit tests for lib/ledger and the ledger rules of sql/002_ledger.sql,
 * against a real PostgreSQL (FELT_TEST_DB; skipped when unset). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "core/db.h"
#include "money/ledger.h"
#include "core/log.h"
#include "core/migrate.h"
#include "../core/testdb.h"

static struct testdb tdb;
static PGconn *conn;
static int64_t deposits, rake, adjustments;

/* A new agent with its two accounts; returns the agent id in id (37). */
static void new_agent(const char *name, char id[37], int64_t *bal, int64_t *play)
{
	const char *p[1] = {name};
	PGresult *r = db_exec(conn, "INSERT INTO agents (name) VALUES ($1) RETURNING id", 1, p, NULL);

	ck_assert_ptr_nonnull(r);
	snprintf(id, 37, "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	ck_assert_int_eq(ledger_agent_accounts(conn, id, bal, play), LEDGER_OK);
}

static int64_t balance(int64_t account)
{
	int64_t b = -1;

	ck_assert_int_eq(ledger_balance(conn, account, &b), LEDGER_OK);
	return b;
}

static void invariant_holds(void)
{
	PGresult *r = db_exec(conn, "SELECT drift_ucents, balance_drift_ucents, invariant_holds"
				    " FROM accounting_invariant", 0, NULL, NULL);

	ck_assert_ptr_nonnull(r);
	ck_assert_str_eq(PQgetvalue(r, 0, 0), "0");
	ck_assert_str_eq(PQgetvalue(r, 0, 1), "0");
	ck_assert_str_eq(PQgetvalue(r, 0, 2), "t");
	PQclear(r);
}

static void setup(void)
{
	conn = db_connect(tdb.conninfo, 1, 0);
	ck_assert_ptr_nonnull(conn);
}

static void teardown(void)
{
	db_close(conn);
}

START_TEST(platform_accounts_exist)
{
	int64_t id = 0;

	ck_assert_int_eq(ledger_platform_account(conn, LEDGER_ACCOUNT_WITHDRAWN, &id), LEDGER_OK);
	ck_assert_int_gt(id, 0);
	ck_assert_int_eq(ledger_platform_account(conn, LEDGER_ACCOUNT_WITHDRAWALS_PENDING, &id), LEDGER_OK);
	ck_assert_int_eq(ledger_platform_account(conn, LEDGER_ACCOUNT_AGENT_BALANCE, &id), LEDGER_ERR_NOT_FOUND);
	ck_assert_int_eq(ledger_platform_account(conn, "casino", &id), LEDGER_ERR_NOT_FOUND);
	ck_assert_int_gt(deposits, 0);
	ck_assert_int_ne(deposits, rake);
}
END_TEST

START_TEST(deposit_buy_in_hand_cash_out)
{
	char a[37], b[37];
	int64_t ab, ap, bb, bp, txn = 0, prev;

	new_agent("ledger_alice", a, &ab, &ap);
	new_agent("ledger_bob", b, &bb, &bp);
	{
		struct ledger_entry e[] = {{deposits, -50000}, {ab, 50000}};

		ck_assert_int_eq(ledger_post(conn, LEDGER_TXN_DEPOSIT, "{\"tx_hash\":\"0xabc\"}", e, 2, &txn),
				 LEDGER_OK);
		ck_assert_int_gt(txn, 0);
	}
	{
		struct ledger_entry e[] = {{deposits, -20000}, {bb, 20000}};

		ck_assert_int_eq(ledger_post(conn, LEDGER_TXN_DEPOSIT, NULL, e, 2, NULL), LEDGER_OK);
	}
	{
		struct ledger_entry e[] = {{ab, -20000}, {ap, 20000}, {bb, -20000}, {bp, 20000}};

		prev = txn;
		ck_assert_int_eq(ledger_post(conn, LEDGER_TXN_BUY_IN, "{\"table\":\"t1\"}", e, 4, &txn), LEDGER_OK);
		ck_assert_int_gt(txn, prev);
	}
	{
		/* bob loses 1,000 to alice, 50 raked */
		struct ledger_entry e[] = {{bp, -1000}, {ap, 950}, {rake, 50}};

		ck_assert_int_eq(ledger_post(conn, LEDGER_TXN_HAND, "{\"table\":\"t1\",\"hand\":1}", e, 3, NULL),
				 LEDGER_OK);
	}
	{
		struct ledger_entry e[] = {{ap, -20950}, {ab, 20950}};

		ck_assert_int_eq(ledger_post(conn, LEDGER_TXN_CASH_OUT, NULL, e, 2, NULL), LEDGER_OK);
	}
	ck_assert_int_eq(balance(ab), 50950);
	ck_assert_int_eq(balance(ap), 0);
	ck_assert_int_eq(balance(bb), 0);
	ck_assert_int_eq(balance(bp), 19000);
	invariant_holds();
}
END_TEST

START_TEST(unbalanced_txn_is_refused)
{
	char a[37];
	int64_t ab, ap, txns_before = 0, txns_after = 0;
	struct ledger_entry e[] = {{deposits, -100}, {ab = 0, 101}};

	new_agent("ledger_unbalanced", a, &ab, &ap);
	e[1].account_id = ab;
	db_query_int64(conn, "SELECT count(*) FROM ledger_txns", 0, NULL, &txns_before, NULL);
	ck_assert_int_eq(ledger_post(conn, LEDGER_TXN_DEPOSIT, NULL, e, 2, NULL), LEDGER_ERR_UNBALANCED);
	db_query_int64(conn, "SELECT count(*) FROM ledger_txns", 0, NULL, &txns_after, NULL);
	ck_assert_int_eq(txns_before, txns_after);
	ck_assert_int_eq(balance(ab), 0);
	/* written by hand, leg by leg: refused at COMMIT by the constraint trigger */
	ck_assert_int_eq(db_begin(conn, NULL), DB_OK);
	ck_assert_int_eq(db_command(conn, "INSERT INTO ledger_txns (kind) VALUES ('adjustment')", 0, NULL, NULL), DB_OK);
	ck_assert_int_eq(db_command(conn, "INSERT INTO ledger_entries (txn_id, account_id, amount_ucents)"
				    " VALUES (currval('ledger_txns_id_seq'), 1, 5)", 0, NULL, NULL), DB_OK);
	{
		struct db_err err;

		ck_assert_int_ne(db_commit(conn, &err), DB_OK);
		ck_assert_str_eq(err.sqlstate, "FL001");
	}
	invariant_holds();
}
END_TEST

START_TEST(negative_agent_balance_is_refused)
{
	char a[37];
	int64_t ab, ap;

	new_agent("ledger_poor", a, &ab, &ap);
	{
		struct ledger_entry e[] = {{deposits, -1000}, {ab, 1000}};

		ck_assert_int_eq(ledger_post(conn, LEDGER_TXN_DEPOSIT, NULL, e, 2, NULL), LEDGER_OK);
	}
	{
		/* an operator credit comes from the adjustments account */
		struct ledger_entry e[] = {{adjustments, -1}, {ab, 1}};

		ck_assert_int_eq(ledger_post(conn, LEDGER_TXN_ADJUSTMENT, "{\"reason\":\"test\"}", e, 2, NULL),
				 LEDGER_OK);
	}
	{
		struct ledger_entry e[] = {{ab, -1002}, {ap, 1002}};

		ck_assert_int_eq(ledger_post(conn, LEDGER_TXN_BUY_IN, NULL, e, 2, NULL), LEDGER_ERR_INSUFFICIENT);
	}
	{
		/* the same account twice in one txn nets out: +500 -1501 on 1001 is fine */
		struct ledger_entry e[] = {{ab, 500}, {ab, -1501}, {ap, 1001}};

		ck_assert_int_eq(ledger_post(conn, LEDGER_TXN_BUY_IN, NULL, e, 3, NULL), LEDGER_OK);
	}
	ck_assert_int_eq(balance(ab), 0);
	ck_assert_int_eq(balance(ap), 1001);
	invariant_holds();
}
END_TEST

START_TEST(bad_arguments)
{
	char a[37];
	int64_t ab, ap;
	struct ledger_entry zero[] = {{deposits, 0}, {deposits, 0}};
	struct ledger_entry one[] = {{deposits, 5}};

	new_agent("ledger_args", a, &ab, &ap);
	{
		struct ledger_entry e[] = {{deposits, -10}, {ab, 10}};

		ck_assert_int_eq(ledger_post(conn, "lottery", NULL, e, 2, NULL), LEDGER_ERR_KIND);
		ck_assert_int_eq(ledger_post(conn, LEDGER_TXN_DEPOSIT, "[1]", e, 2, NULL), LEDGER_ERR_ARG);
		ck_assert_int_eq(ledger_post(conn, LEDGER_TXN_DEPOSIT, "{bad json", e, 2, NULL), LEDGER_ERR_ARG);
		e[1].account_id = 999999;
		ck_assert_int_eq(ledger_post(conn, LEDGER_TXN_DEPOSIT, NULL, e, 2, NULL), LEDGER_ERR_NOT_FOUND);
	}
	ck_assert_int_eq(ledger_post(conn, LEDGER_TXN_DEPOSIT, NULL, zero, 2, NULL), LEDGER_ERR_ARG);
	ck_assert_int_eq(ledger_post(conn, LEDGER_TXN_DEPOSIT, NULL, one, 1, NULL), LEDGER_ERR_ARG);
	ck_assert_int_eq(ledger_post(conn, LEDGER_TXN_DEPOSIT, NULL, one, LEDGER_MAX_ENTRIES + 1, NULL),
			 LEDGER_ERR_ARG);
	ck_assert_int_eq(ledger_agent_accounts(conn, "00000000-0000-0000-0000-00000000dead", NULL, NULL),
			 LEDGER_ERR_NOT_FOUND);
	ck_assert_int_eq(ledger_agent_accounts(conn, "not-a-uuid", NULL, NULL), LEDGER_ERR_ARG);
	ck_assert_int_eq(ledger_balance(conn, 999999, &ab), LEDGER_ERR_NOT_FOUND);
	ck_assert_str_eq(ledger_strerror(LEDGER_ERR_INSUFFICIENT), "insufficient funds");
}
END_TEST

START_TEST(ledger_is_append_only)
{
	struct db_err err;

	ck_assert_int_ne(db_command(conn, "UPDATE ledger_entries SET amount_ucents = amount_ucents * 2", 0, NULL, &err),
			 DB_OK);
	ck_assert_str_eq(err.sqlstate, "FL002");
	ck_assert_int_ne(db_command(conn, "DELETE FROM ledger_entries", 0, NULL, &err), DB_OK);
	ck_assert_str_eq(err.sqlstate, "FL002");
	ck_assert_int_ne(db_command(conn, "DELETE FROM ledger_txns", 0, NULL, &err), DB_OK);
	ck_assert_str_eq(err.sqlstate, "FL002");
	ck_assert_int_ne(db_command(conn, "TRUNCATE ledger_entries", 0, NULL, &err), DB_OK);
	ck_assert_str_eq(err.sqlstate, "FL002");
	ck_assert_int_ne(db_command(conn, "UPDATE accounts SET balance_ucents = balance_ucents + 1", 0, NULL, &err),
			 DB_OK);
	ck_assert_str_eq(err.sqlstate, "FL004");
	invariant_holds();
}
END_TEST

/* sql/031: the owner itself (no privilege stops it) cannot add entries to a
 * committed txn, nor change a balance except by posting, however nested. */
START_TEST(committed_txns_are_sealed)
{
	char a[37], txn_text[24];
	const char *p[1] = {txn_text};
	int64_t ab, ap, txn = 0;
	struct ledger_entry e[] = {{deposits, -900}, {0, 900}};
	struct db_err err;

	new_agent("ledger_sealed", a, &ab, &ap);
	e[1].account_id = ab;
	ck_assert_int_eq(ledger_post(conn, LEDGER_TXN_DEPOSIT, NULL, e, 2, &txn), LEDGER_OK);
	snprintf(txn_text, sizeof txn_text, "%lld", (long long)txn);
	/* a balanced pair added to the old txn */
	ck_assert_int_ne(db_command(conn, "INSERT INTO ledger_entries (txn_id, account_id, amount_ucents)"
				    " SELECT $1::bigint, account_id, -amount_ucents * 7 FROM ledger_entries"
				    " WHERE txn_id = $1::bigint", 1, p, &err), DB_OK);
	ck_assert_str_eq(err.sqlstate, "FL005");
	/* the same inside the posting's own transaction, but from another
	 * subtransaction (a savepoint): still refused */
	ck_assert_int_eq(db_begin(conn, NULL), DB_OK);
	ck_assert_int_eq(ledger_post(conn, LEDGER_TXN_DEPOSIT, NULL, e, 2, &txn), LEDGER_OK);
	snprintf(txn_text, sizeof txn_text, "%lld", (long long)txn);
	ck_assert_int_eq(db_command(conn, "SAVEPOINT s", 0, NULL, NULL), DB_OK);
	ck_assert_int_ne(db_command(conn, "INSERT INTO ledger_entries (txn_id, account_id, amount_ucents)"
				    " SELECT $1::bigint, account_id, amount_ucents FROM ledger_entries"
				    " WHERE txn_id = $1::bigint", 1, p, &err), DB_OK);
	ck_assert_str_eq(err.sqlstate, "FL005");
	ck_assert_int_eq(db_rollback(conn), DB_OK);
	ck_assert_int_eq(balance(ab), 900);
	invariant_holds();
}
END_TEST

START_TEST(balances_change_only_by_posting)
{
	char a[37], id[24];
	const char *p[1] = {id};
	int64_t ab, ap;
	struct ledger_entry e[] = {{deposits, -500}, {0, 500}};
	struct db_err err;

	new_agent("ledger_guarded", a, &ab, &ap);
	e[1].account_id = ab;
	ck_assert_int_eq(ledger_post(conn, LEDGER_TXN_DEPOSIT, NULL, e, 2, NULL), LEDGER_OK);
	snprintf(id, sizeof id, "%lld", (long long)ab);
	/* a trigger on a temporary table runs at depth 2, which 002's guard
	 * trusted */
	ck_assert_int_eq(db_command(conn, "CREATE TEMP TABLE nest (x int)", 0, NULL, NULL), DB_OK);
	ck_assert_int_eq(db_command(conn, "CREATE FUNCTION pg_temp.nest_up() RETURNS trigger LANGUAGE plpgsql AS"
				    " 'BEGIN UPDATE accounts SET balance_ucents = balance_ucents + 100000"
				    "  WHERE kind = ''agent_balance''; RETURN NULL; END'", 0, NULL, NULL), DB_OK);
	ck_assert_int_eq(db_command(conn, "CREATE TRIGGER nest_up AFTER INSERT ON nest"
				    " FOR EACH ROW EXECUTE FUNCTION pg_temp.nest_up()", 0, NULL, NULL), DB_OK);
	ck_assert_int_ne(db_command(conn, "INSERT INTO nest VALUES (1)", 0, NULL, &err), DB_OK);
	ck_assert_str_eq(err.sqlstate, "FL004");
	/* moving the watermark without the money, or the money with a
	 * watermark that does not match the entries */
	ck_assert_int_ne(db_command(conn, "UPDATE accounts SET last_entry_id = last_entry_id + 1"
				    " WHERE id = $1::bigint", 1, p, &err), DB_OK);
	ck_assert_str_eq(err.sqlstate, "FL004");
	ck_assert_int_ne(db_command(conn, "UPDATE accounts SET balance_ucents = 0, last_entry_id = 0"
				    " WHERE id = $1::bigint", 1, p, &err), DB_OK);
	ck_assert_str_eq(err.sqlstate, "FL004");
	ck_assert_int_ne(db_command(conn, "UPDATE accounts SET kind = 'rake' WHERE id = $1::bigint",
				    1, p, &err), DB_OK);
	ck_assert_str_eq(err.sqlstate, "FL004");
	/* delete and open again with money in it */
	ck_assert_int_ne(db_command(conn, "DELETE FROM accounts WHERE id = $1::bigint", 1, p, &err), DB_OK);
	ck_assert_str_eq(err.sqlstate, "FL004");
	ck_assert_int_ne(db_command(conn, "INSERT INTO accounts (agent_id, kind, balance_ucents)"
				    " VALUES ('" LEDGER_PLATFORM_AGENT_ID "', 'agent_in_play', 5)"
				    " ON CONFLICT DO NOTHING", 0, NULL, &err), DB_OK);
	ck_assert_str_eq(err.sqlstate, "FL004");
	ck_assert_int_ne(db_command(conn, "TRUNCATE accounts CASCADE", 0, NULL, &err), DB_OK);
	ck_assert_str_eq(err.sqlstate, "FL004");
	ck_assert_int_eq(balance(ab), 500);
	invariant_holds();
}
END_TEST

START_TEST(post_inside_a_caller_transaction)
{
	char a[37];
	int64_t ab, ap;
	struct ledger_entry e[] = {{deposits, -700}, {0, 700}};

	new_agent("ledger_txn", a, &ab, &ap);
	e[1].account_id = ab;
	ck_assert_int_eq(db_begin(conn, NULL), DB_OK);
	ck_assert_int_eq(ledger_post(conn, LEDGER_TXN_DEPOSIT, NULL, e, 2, NULL), LEDGER_OK);
	ck_assert_int_eq(db_rollback(conn), DB_OK);
	ck_assert_int_eq(balance(ab), 0);
	ck_assert_int_eq(db_begin(conn, NULL), DB_OK);
	ck_assert_int_eq(ledger_post(conn, LEDGER_TXN_DEPOSIT, NULL, e, 2, NULL), LEDGER_OK);
	ck_assert_int_eq(ledger_post(conn, LEDGER_TXN_DEPOSIT, NULL, e, 2, NULL), LEDGER_OK);
	ck_assert_int_eq(db_commit(conn, NULL), DB_OK);
	ck_assert_int_eq(balance(ab), 1400);
	invariant_holds();
}
END_TEST

int main(void)
{
	Suite *s = suite_create("ledger");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	PGconn *c;
	char err[512];
	int failed, applied;

	testdb_server();
	log_set_level(LOG_ERROR);
	testdb_create(&tdb, "ledger");
	c = db_connect(tdb.conninfo, 1, 0);
	if (!c || migrate_run(c, TEST_SQL_DIR, &applied, err, sizeof err) != MIGRATE_OK) {
		fprintf(stderr, "migrate: %s\n", err);
		return 99;
	}
	conn = c;
	if (ledger_platform_account(c, LEDGER_ACCOUNT_DEPOSITS, &deposits) ||
	    ledger_platform_account(c, LEDGER_ACCOUNT_RAKE, &rake) ||
	    ledger_platform_account(c, LEDGER_ACCOUNT_ADJUSTMENTS, &adjustments))
		return 99;
	db_close(c);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, platform_accounts_exist);
	tcase_add_test(tc, deposit_buy_in_hand_cash_out);
	tcase_add_test(tc, unbalanced_txn_is_refused);
	tcase_add_test(tc, negative_agent_balance_is_refused);
	tcase_add_test(tc, bad_arguments);
	tcase_add_test(tc, ledger_is_append_only);
	tcase_add_test(tc, post_inside_a_caller_transaction);
	tcase_add_test(tc, committed_txns_are_sealed);
	tcase_add_test(tc, balances_change_only_by_posting);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	testdb_drop(&tdb);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
