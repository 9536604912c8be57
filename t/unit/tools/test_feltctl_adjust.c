/* Unit tests for tools/feltctl_adjust: argument parsing, and credits and
 * debits posted to a migrated throw-away database (FELT_TEST_DB). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "core/cli.h"
#include "core/db.h"
#include "feltctl_adjust.h"
#include "../core/testdb_suite.h"

static struct testdb tdb;

/* feltctl credit a0 a1 a2 a3 (NULLs end the list); usage errors print on
 * stderr, as they do for the operator. */
static int parse(const char *a0, const char *a1, const char *a2,
		 const char *a3, int64_t *amount, const char **reason)
{
	char *argv[5] = { "credit", (char *)a0, (char *)a1, (char *)a2, (char *)a3 };
	const char *agent;
	int argc = a3 ? 5 : a2 ? 4 : a1 ? 3 : a0 ? 2 : 1;

	return adjust_parse_args(argc, argv, &agent, amount, reason);
}

START_TEST(args)
{
	int64_t u = 0;
	const char *reason = NULL;

	ck_assert_int_eq(parse("bob", "12.50", "--reason", "promo", &u, &reason),
			 CLI_OK);
	ck_assert_int_eq(u, 125000);
	ck_assert_str_eq(reason, "promo");
	ck_assert_int_eq(parse("--reason", "x", "bob", "3", &u, &reason),
			 CLI_OK);
	ck_assert_int_eq(u, 30000);
	ck_assert_int_eq(parse("bob", "3", "--reason=why not", NULL, &u, &reason),
			 CLI_OK);
	ck_assert_str_eq(reason, "why not");
	ck_assert_int_eq(parse("bob", "3", NULL, NULL, &u, &reason),
			 CLI_EUSAGE);
	ck_assert_int_eq(parse("bob", "3", "--reason", NULL, &u, &reason),
			 CLI_EUSAGE);
	ck_assert_int_eq(parse("bob", "3", "--reason", "  ", &u, &reason),
			 CLI_EUSAGE);
	ck_assert_int_eq(parse("bob", "--reason", "r", NULL, &u, &reason),
			 CLI_EUSAGE);
	ck_assert_int_eq(parse("bob", "3", "--reasons", "r", &u, &reason),
			 CLI_EUSAGE);
	ck_assert_int_eq(parse("bob", "1.234", "--reason", "r", &u, &reason),
			 CLI_EUSAGE);
	/* "-5" reads as an option, which credit does not have */
	ck_assert_int_eq(parse("bob", "-5", "--reason", "r", &u, &reason),
			 CLI_EUSAGE);
	ck_assert_int_eq(parse("bob", "0", "--reason", "r", &u, &reason),
			 CLI_EUSAGE);
	ck_assert_int_eq(parse("bob", "1e3", "--reason", "r", &u, &reason),
			 CLI_EUSAGE);
	ck_assert_int_eq(parse("bob", "3", "--help", NULL, &u, &reason),
			 CLI_EXIT);
}
END_TEST

START_TEST(main_usage_errors_exit_2)
{
	char *bad[] = { "credit", "bob" };
	char *wrong[] = { "refund", "bob", "1", "--reason", "r" };
	FILE *devnull = fopen("/dev/null", "w");

	ck_assert_int_eq(feltctl_adjust_main(2, bad, devnull, devnull), 2);
	ck_assert_int_eq(feltctl_adjust_main(5, wrong, devnull, devnull), 2);
	fclose(devnull);
}
END_TEST

static int64_t query_int(PGconn *c, const char *sql, const char *param)
{
	const char *p[1] = { param };
	int64_t v = -1;

	ck_assert_int_eq(db_query_int64(c, sql, param ? 1 : 0, p, &v, NULL),
			 DB_OK);
	return v;
}

START_TEST(credit_and_debit_post_balanced_txns)
{
	PGconn *c = db_connect(tdb.conninfo, 1, 0);
	const char *id = "22222222-2222-3333-4444-555555555555";
	const char *p[1] = { id };
	struct adjust_result r;

	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(db_command(c, "INSERT INTO agents (id, name)"
				    " VALUES ($1, 'Carol_Adj')", 1, p, NULL),
			 DB_OK);
	/* Credit by the exact name; another case is another name. */
	ck_assert_int_eq(adjust_post(c, ADJUST_CREDIT, "carol_adj", 125000,
				     "welcome bonus", "ops", &r), ADJUST_ENOAGENT);
	ck_assert_int_eq(adjust_post(c, ADJUST_CREDIT, "Carol_Adj", 125000,
				     "welcome bonus", "ops", &r), ADJUST_OK);
	ck_assert_str_eq(r.agent_id, id);
	ck_assert_int_eq(r.balance_ucents, 125000);
	ck_assert_int_gt(r.txn_id, 0);
	/* Debit by id. */
	ck_assert_int_eq(adjust_post(c, ADJUST_DEBIT, id, 25000, "correction",
				     NULL, &r), ADJUST_OK);
	ck_assert_int_eq(r.balance_ucents, 100000);
	/* More than the balance: refused, nothing posted. */
	ck_assert_int_eq(adjust_post(c, ADJUST_DEBIT, id, 100100, "too much",
				     NULL, &r), ADJUST_EINSUFFICIENT);
	ck_assert_int_eq(query_int(c, "SELECT balance_ucents FROM accounts"
				   " WHERE agent_id = $1 AND kind = 'agent_balance'",
				   id), 100000);
	ck_assert_int_eq(query_int(c, "SELECT count(*) FROM ledger_txns"
				   " WHERE kind = 'adjustment'", NULL), 2);
	ck_assert_int_eq(query_int(c, "SELECT count(*) FROM ledger_txns"
				   " WHERE reference->>'reason' = 'welcome bonus'"
				   " AND reference->>'operator' = 'ops'"
				   " AND reference->>'direction' = 'credit'", NULL), 1);
	ck_assert_int_eq(query_int(c, "SELECT net_adjustments_ucents"
				   " FROM accounting_invariant", NULL), 100000);
	ck_assert_int_eq(query_int(c, "SELECT drift_ucents + balance_drift_ucents"
				   " FROM accounting_invariant", NULL), 0);
	ck_assert_int_eq(query_int(c, "SELECT invariant_holds::int"
				   " FROM accounting_invariant", NULL), 1);
	db_close(c);
}
END_TEST

START_TEST(unknown_agents_and_hostile_names)
{
	PGconn *c = db_connect(tdb.conninfo, 1, 0);
	struct adjust_result r;

	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(adjust_post(c, ADJUST_CREDIT, "nobody_here", 100, "r",
				     NULL, &r), ADJUST_ENOAGENT);
	ck_assert_int_eq(adjust_post(c, ADJUST_CREDIT,
				     "99999999-9999-9999-9999-999999999999", 100,
				     "r", NULL, &r), ADJUST_ENOAGENT);
	ck_assert_int_eq(adjust_post(c, ADJUST_CREDIT, "x' OR '1'='1", 100,
				     "r", NULL, &r), ADJUST_ENOAGENT);
	ck_assert_int_eq(adjust_post(c, ADJUST_CREDIT, "platform", 0, "r", NULL,
				     &r), ADJUST_EAMOUNT);
	ck_assert_int_eq(query_int(c, "SELECT count(*) FROM agents", NULL), 2);
	db_close(c);
}
END_TEST

/*
 * Issue 7: an agent named like another agent's id must never move that
 * agent's money. Names written before the name rules (or by hand) can
 * still look like that, so the resolution itself refuses the ambiguity.
 */
START_TEST(ambiguous_agents_are_refused)
{
	PGconn *c = db_connect(tdb.conninfo, 1, 0);
	const char *victim = "33333333-4444-5555-6666-777777777777";
	const char *p[1] = { victim };
	struct adjust_result r;

	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(db_command(c, "INSERT INTO agents (id, name)"
				    " VALUES ($1, 'victim_adj')", 1, p, NULL), DB_OK);
	ck_assert_int_eq(db_command(c, "INSERT INTO agents (name) VALUES ($1),"
				    " ('a0eebc999c0b4ef8bb6d6bb9bd380a11')", 1, p,
				    NULL), DB_OK);
	ck_assert_int_eq(adjust_post(c, ADJUST_CREDIT, victim, 100, "r", NULL,
				     &r), ADJUST_EAMBIGUOUS);
	/* Other spellings of a uuid are not ids here: the 32-hex name is
	 * that agent's, and {...} or hyphen-less forms of the victim's id
	 * match nobody. */
	ck_assert_int_eq(adjust_post(c, ADJUST_CREDIT,
				     "a0eebc999c0b4ef8bb6d6bb9bd380a11", 100, "r",
				     NULL, &r), ADJUST_OK);
	ck_assert_str_ne(r.agent_id, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
	ck_assert_int_eq(adjust_post(c, ADJUST_CREDIT,
				     "{33333333-4444-5555-6666-777777777777}", 100,
				     "r", NULL, &r), ADJUST_ENOAGENT);
	ck_assert_int_eq(adjust_post(c, ADJUST_CREDIT,
				     "33333333444455556666777777777777", 100, "r",
				     NULL, &r), ADJUST_ENOAGENT);
	ck_assert_int_eq(query_int(c, "SELECT coalesce(sum(balance_ucents), 0)"
				   " FROM accounts WHERE agent_id = $1", victim), 0);
	db_close(c);
}
END_TEST

/* Issue 8: a credit to the platform agent landed in its own balance
 * account, which neither agent_balances nor platform_accounts shows. */
START_TEST(platform_agent_refused)
{
	PGconn *c = db_connect(tdb.conninfo, 1, 0);
	struct adjust_result r;
	int64_t txns;

	ck_assert_ptr_nonnull(c);
	txns = query_int(c, "SELECT count(*) FROM ledger_txns", NULL);
	ck_assert_int_eq(adjust_post(c, ADJUST_CREDIT, "platform", 10000, "r", NULL, &r),
			 ADJUST_EPLATFORM);
	ck_assert_int_eq(adjust_post(c, ADJUST_DEBIT, "00000000-0000-0000-0000-000000000001",
				     10000, "r", NULL, &r), ADJUST_EPLATFORM);
	ck_assert_int_eq(query_int(c, "SELECT count(*) FROM ledger_txns", NULL), txns);
	ck_assert_int_eq(query_int(c, "SELECT invariant_holds::int"
				   " FROM accounting_invariant", NULL), 1);
	db_close(c);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("feltctl_adjust");
	TCase *tc = tcase_create("args");
	bool with_db = testdb_suite_wanted();

	tcase_add_test(tc, args);
	tcase_add_test(tc, main_usage_errors_exit_2);
	suite_add_tcase(s, tc);
	if (with_db) {
		TCase *tdbc = tcase_create("database");

		testdb_suite_migrate(&tdb, "adjust");
		tcase_add_test(tdbc, credit_and_debit_post_balanced_txns);
		tcase_add_test(tdbc, unknown_agents_and_hostile_names);
		tcase_add_test(tdbc, ambiguous_agents_are_refused);
		tcase_add_test(tdbc, platform_agent_refused);
		suite_add_tcase(s, tdbc);
	}
	/* The database tests build on each other's rows: run them in order
	 * in one process. */
	return testdb_suite_run(s, true, with_db ? &tdb : NULL, "test_feltctl_adjust");
}
