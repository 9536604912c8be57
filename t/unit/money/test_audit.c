/* Unit tests for lib/money/audit: the C recomputation against the SQL sealer
 * (sql/032), and every kind of tampering a superuser could do, done here by
 * the owner with triggers disabled (FELT_TEST_DB; skipped when unset).
 * Each case gets a fresh schema holding a small sealed ledger. */
#include <check.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/db.h"
#include "core/hash.h"
#include "core/log.h"
#include "core/migrate.h"
#include "money/audit.h"
#include "money/ledger.h"
#include "../core/testdb.h"

static struct testdb tdb;
static PGconn *conn;
static int64_t deposits, rake, agent_bal[3], agent_play[3];
static int64_t gap_txn; /* the id of a txn that was rolled back */
static char lines[4096];

static void collect(void *arg, const char *line)
{
	(void)arg;
	if (strlen(lines) + strlen(line) + 2 < sizeof lines) {
		strcat(lines, line);
		strcat(lines, "\n");
	}
}

static void sql(const char *text)
{
	struct db_err err;

	ck_assert_msg(db_command(conn, text, 0, NULL, &err) == DB_OK, "%s: %s", text, err.message);
}

static int64_t one(const char *text)
{
	int64_t v = -1;

	ck_assert_msg(db_query_int64(conn, text, 0, NULL, &v, NULL) == DB_OK, "%s", text);
	return v;
}

/* The integers v[0..n) as the text parameters $1..$n (at most 4). */
#define ARGS_MAX 4
static void bind_ints(int n, const int64_t *v, char buf[ARGS_MAX][24], const char *p[ARGS_MAX])
{
	ck_assert_int_le(n, ARGS_MAX);
	for (int i = 0; i < n; i++) {
		snprintf(buf[i], sizeof buf[i], "%" PRId64, v[i]);
		p[i] = buf[i];
	}
}

/* sql and one, with $1..$n bound to v[0..n). */
static void sqlv(const char *text, int n, const int64_t *v)
{
	char buf[ARGS_MAX][24];
	const char *p[ARGS_MAX];
	struct db_err err;

	bind_ints(n, v, buf, p);
	ck_assert_msg(db_command(conn, text, n, p, &err) == DB_OK, "%s: %s", text, err.message);
}

static int64_t onev(const char *text, int n, const int64_t *v)
{
	char buf[ARGS_MAX][24];
	const char *p[ARGS_MAX];
	int64_t out = -1;

	bind_ints(n, v, buf, p);
	ck_assert_msg(db_query_int64(conn, text, n, p, &out, NULL) == DB_OK, "%s", text);
	return out;
}

static void post(const char *kind, int64_t a, int64_t b, int64_t amount)
{
	struct ledger_entry e[] = {{a, -amount}, {b, amount}};

	ck_assert_int_eq(ledger_post(conn, kind, "{\"test\":\"audit\"}", e, 2, NULL), LEDGER_OK);
}

/* Seal everything, in seals of at most 4 txns; bounded wait for the
 * other tests' transactions (the sealer waits for older ones). */
static void seal_all(void)
{
	int64_t newest = one("SELECT coalesce(max(id), 0) FROM ledger_txns");

	for (int i = 0; i < 3000; i++) {
		int n = 0;

		if (one("SELECT coalesce(max(through_txn_id), 0) FROM ledger_seals") >= newest)
			return;
		ck_assert_int_eq(ledger_seal(conn, 4, &n), LEDGER_OK);
		if (n == 0)
			nanosleep(&(struct timespec){.tv_nsec = 10 * 1000 * 1000}, NULL);
	}
	ck_abort_msg("the ledger was not sealed within 30 s");
}

/* A fresh schema with three agents, a dozen txns (one rolled back, leaving
 * a gap in the ids) sealed in several seals, and one unsealed txn. */
static void setup(void)
{
	char err[512];

	testdb_create(&tdb, "audit");
	conn = db_connect(tdb.conninfo, 1, 0);
	ck_assert_ptr_nonnull(conn);
	ck_assert_msg(migrate_run(conn, TEST_SQL_DIR, NULL, err, sizeof err) == MIGRATE_OK, "%s", err);
	ck_assert_int_eq(ledger_platform_account(conn, LEDGER_ACCOUNT_DEPOSITS, &deposits), LEDGER_OK);
	ck_assert_int_eq(ledger_platform_account(conn, LEDGER_ACCOUNT_RAKE, &rake), LEDGER_OK);
	for (int i = 0; i < 3; i++) {
		char name[32], id[37];
		const char *p[1] = {name};
		PGresult *r;

		snprintf(name, sizeof name, "audit_%d", i);
		r = db_exec(conn, "INSERT INTO agents (name) VALUES ($1) RETURNING id", 1, p, NULL);
		ck_assert_ptr_nonnull(r);
		snprintf(id, sizeof id, "%s", PQgetvalue(r, 0, 0));
		PQclear(r);
		ck_assert_int_eq(ledger_agent_accounts(conn, id, &agent_bal[i], &agent_play[i]), LEDGER_OK);
		post(LEDGER_TXN_DEPOSIT, deposits, agent_bal[i], 100000);
		post(LEDGER_TXN_BUY_IN, agent_bal[i], agent_play[i], 20000);
	}
	sql("BEGIN");
	post(LEDGER_TXN_DEPOSIT, deposits, agent_bal[0], 5);
	gap_txn = one("SELECT max(id) FROM ledger_txns");
	sql("ROLLBACK");
	for (int i = 0; i < 5; i++)
		post(LEDGER_TXN_HAND, agent_play[i % 3], agent_play[(i + 1) % 3], 1000 + i);
	seal_all();
	post(LEDGER_TXN_CASH_OUT, agent_play[0], agent_bal[0], 500);
	lines[0] = '\0';
}

static void teardown(void)
{
	db_close(conn);
	testdb_drop(&tdb);
}

static struct audit_report audit(void)
{
	struct audit_report r;

	lines[0] = '\0';
	ck_assert_int_eq(audit_run(conn, NULL, 0, collect, NULL, &r), AUDIT_OK);
	return r;
}

/* The SQL check (ledger_verify) must name the same first bad txn. */
static void sql_agrees(int64_t first_bad_txn)
{
	PGresult *r = db_exec(conn, "SELECT intact, coalesce(first_bad_txn, 0) FROM ledger_verify()",
			      0, NULL, NULL);
	int64_t v = -1;

	ck_assert_ptr_nonnull(r);
	db_value_int64(r, 0, 1, &v);
	ck_assert_str_eq(PQgetvalue(r, 0, 0), "f");
	ck_assert_int_eq(v, first_bad_txn);
	PQclear(r);
}

/* The n-th sealed txn (1-based). */
static int64_t sealed_txn(int n)
{
	return onev("SELECT id FROM ledger_txns ORDER BY id OFFSET $1 LIMIT 1", 1, (int64_t[]){ n - 1 });
}

START_TEST(intact_ledger_matches_the_sql_sealer)
{
	struct audit_report r = audit();
	char head[2 * SEAL_HASH_SIZE + 1];
	PGresult *v;

	ck_assert_msg(r.problems == 0, "%s", lines);
	ck_assert_int_eq(r.txns, 12);
	ck_assert_int_eq(r.sealed_txns, 11);
	ck_assert_int_eq(r.unsealed_txns, 1);
	ck_assert_int_ge(r.seals, 3);
	ck_assert_int_eq(r.entries, 24);
	ck_assert_int_eq(r.first_bad_txn, 0);
	/* every hash and digest the SQL sealer stored was recomputed in C */
	hash_hex(r.head_digest, SEAL_HASH_SIZE, head);
	v = db_exec(conn, "SELECT intact, head_digest, head_seal_id, unsealed_txns FROM ledger_verify()",
		    0, NULL, NULL);
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(PQgetvalue(v, 0, 0), "t");
	ck_assert_str_eq(PQgetvalue(v, 0, 1), head);
	ck_assert_int_eq(atoll(PQgetvalue(v, 0, 2)), r.head_seal_id);
	ck_assert_str_eq(PQgetvalue(v, 0, 3), "1");
	PQclear(v);
}
END_TEST

START_TEST(edited_entries_are_found)
{
	int64_t bad = sealed_txn(4);
	struct audit_report r;

	/* both legs, so the txn still balances and the balances are moved too */
	sql("ALTER TABLE ledger_entries DISABLE TRIGGER USER");
	sql("ALTER TABLE accounts DISABLE TRIGGER USER");
	sqlv("UPDATE ledger_entries SET amount_ucents = amount_ucents * 2 WHERE txn_id = $1", 1, &bad);
	sqlv("UPDATE accounts a SET balance_ucents = balance_ucents + e.amount_ucents / 2"
	     " FROM ledger_entries e WHERE e.account_id = a.id AND e.txn_id = $1", 1, &bad);
	r = audit();
	ck_assert_int_eq(r.first_bad_txn, bad);
	ck_assert_msg(strstr(r.first_bad_why, "changed since it was sealed"), "%s", r.first_bad_why);
	ck_assert_int_eq(r.problems, 1);
	sql_agrees(bad);
}
END_TEST

START_TEST(added_and_deleted_txns_are_found)
{
	int64_t gone = sealed_txn(7);
	struct audit_report r;

	/* a txn inserted in a sealed range (the id of the rolled-back one) */
	sql("BEGIN");
	sqlv("INSERT INTO ledger_txns (id, kind) OVERRIDING SYSTEM VALUE VALUES ($1, 'adjustment')",
	     1, &gap_txn);
	sqlv("INSERT INTO ledger_entries (txn_id, account_id, amount_ucents) VALUES"
	     " ($1, $2, 1), ($1, $3, -1)", 3, (int64_t[]){ gap_txn, agent_bal[1], deposits });
	sql("COMMIT");
	r = audit();
	ck_assert_int_eq(r.first_bad_txn, gap_txn);
	ck_assert_msg(strstr(r.first_bad_why, "appeared inside the range"), "%s", r.first_bad_why);
	sql_agrees(gap_txn);
	/* and a sealed txn deleted, entries and all (entries first: the
	 * foreign key is a system trigger, which only a superuser disables) */
	sql("ALTER TABLE ledger_entries DISABLE TRIGGER USER");
	sql("ALTER TABLE ledger_txns DISABLE TRIGGER USER");
	sqlv("DELETE FROM ledger_entries WHERE txn_id = $1", 1, &gone);
	sqlv("DELETE FROM ledger_txns WHERE id = $1", 1, &gone);
	r = audit();
	ck_assert_int_eq(r.first_bad_txn, gap_txn);
	ck_assert_msg(strstr(lines, "but is gone"), "%s", lines);
}
END_TEST

START_TEST(edited_balances_are_found)
{
	struct audit_report r;

	sql("ALTER TABLE accounts DISABLE TRIGGER USER");
	sqlv("UPDATE accounts SET balance_ucents = balance_ucents + 1000000 WHERE id = $1", 1, &agent_bal[2]);
	r = audit();
	ck_assert_int_eq(r.problems, 1);
	ck_assert_int_eq(r.first_bad_txn, 0);
	ck_assert_msg(strstr(lines, "balance_ucents is"), "%s", lines);
	ck_assert_int_eq(one("SELECT count(*) FROM ledger_verify() WHERE NOT intact AND problem LIKE 'account %'"), 1);
}
END_TEST

START_TEST(moved_accounts_are_found)
{
	struct audit_report r;

	/* agent 2's spendable account handed to agent 0 (kind unchanged) */
	sql("ALTER TABLE accounts DISABLE TRIGGER USER");
	sql("ALTER TABLE accounts DROP CONSTRAINT accounts_agent_kind_key");
	sqlv("UPDATE accounts SET agent_id = (SELECT agent_id FROM accounts WHERE id = $1) WHERE id = $2",
	     2, (int64_t[]){ agent_bal[0], agent_bal[2] });
	r = audit();
	ck_assert_int_eq(r.first_bad_txn,
			 onev("SELECT min(txn_id) FROM ledger_entries WHERE account_id = $1", 1, &agent_bal[2]));
	ck_assert_msg(strstr(r.first_bad_why, "changed since it was sealed"), "%s", r.first_bad_why);
	sql_agrees(r.first_bad_txn);
}
END_TEST

START_TEST(unbalanced_unsealed_txns_are_found)
{
	int64_t txn;
	struct audit_report r;

	sql("ALTER TABLE ledger_entries DISABLE TRIGGER USER");
	sql("ALTER TABLE ledger_txns DISABLE TRIGGER USER");
	sql("INSERT INTO ledger_txns (kind) VALUES ('adjustment')");
	txn = one("SELECT max(id) FROM ledger_txns");
	sqlv("INSERT INTO ledger_entries (txn_id, account_id, amount_ucents) VALUES ($1, $2, 777)",
	     2, (int64_t[]){ txn, agent_bal[1] });
	r = audit();
	ck_assert_int_eq(r.first_bad_txn, txn);
	ck_assert_msg(strstr(r.first_bad_why, "does not balance: 1 entries summing to 777"), "%s",
		      r.first_bad_why);
	ck_assert_int_eq(r.unsealed_txns, 2);
	sql_agrees(txn);
}
END_TEST

START_TEST(altered_and_rewritten_seals_are_found)
{
	struct audit_anchor anchor;
	struct audit_report r;
	int64_t first;

	PGresult *d = db_exec(conn, "SELECT encode(digest, 'hex') FROM ledger_seals WHERE id = 2", 0, NULL, NULL);

	/* the digest of seal 2, as an operator would have kept it */
	ck_assert_ptr_nonnull(d);
	anchor.seal_id = 2;
	ck_assert(hash_unhex(PQgetvalue(d, 0, 0), anchor.digest, SEAL_HASH_SIZE));
	PQclear(d);
	first = one("SELECT txn_ids[1] FROM ledger_seals WHERE id = 2");
	sql("ALTER TABLE ledger_seals DISABLE TRIGGER USER");
	sql("UPDATE ledger_seals SET digest = sha256('forged') WHERE id = 2");
	r = audit();
	ck_assert_int_eq(r.first_bad_txn, first);
	ck_assert_msg(strstr(lines, "seal 2 was altered"), "%s", lines);
	ck_assert_msg(strstr(lines, "seal 3 does not chain onto seal 2"), "%s", lines);
	sql_agrees(first);
	/* The whole chain recomputed from seal 2 on, as a superuser who knows
	 * the recipe would: consistent again, except with the anchor kept
	 * outside the database. */
	sql("UPDATE ledger_seals SET txn_hashes[1] = sha256('forged') WHERE id = 2");
	for (int64_t id = 2; id <= one("SELECT max(id) FROM ledger_seals"); id++)
		sqlv("UPDATE ledger_seals s SET prev_digest = coalesce(p.digest, s.prev_digest),"
		     " digest = ledger_seal_digest(coalesce(p.digest, s.prev_digest), s.id, s.after_txn_id,"
		     " s.through_txn_id, s.txn_hashes) FROM ledger_seals p WHERE p.id = s.id - 1 AND s.id = $1",
		     1, &id);
	ck_assert_int_eq(audit_run(conn, NULL, 0, collect, NULL, &r), AUDIT_OK);
	ck_assert_int_eq(r.problems, 1); /* only the forged txn hash */
	ck_assert_int_eq(r.first_bad_txn, first);
	lines[0] = '\0';
	ck_assert_int_eq(audit_run(conn, &anchor, 1, collect, NULL, &r), AUDIT_OK);
	ck_assert_int_eq(r.problems, 2);
	ck_assert_msg(strstr(lines, "not the seal anchored outside the database"), "%s", lines);
}
END_TEST

/* The sealer's promise: a txn that commits after one with a higher id is
 * sealed too, never skipped, however the commits interleave. */
START_TEST(late_commits_with_lower_ids_are_not_skipped)
{
	PGconn *other = db_connect(tdb.conninfo, 1, 0);
	struct ledger_entry e[] = {{deposits, -300}, {agent_bal[1], 300}};
	/* other accounts: other's lock on those above must not hold conn up */
	struct ledger_entry f[] = {{agent_bal[2], -300}, {agent_play[2], 300}};
	int64_t early = 0, late = 0, aborted = 0;
	struct audit_report r;
	int n = -1;

	ck_assert_ptr_nonnull(other);
	/* other draws the lower ids and stays open; conn commits a higher one */
	ck_assert_int_eq(db_begin(other, NULL), DB_OK);
	ck_assert_int_eq(ledger_post(other, LEDGER_TXN_DEPOSIT, NULL, e, 2, &early), LEDGER_OK);
	ck_assert_int_eq(db_command(other, "SAVEPOINT s", 0, NULL, NULL), DB_OK);
	ck_assert_int_eq(ledger_post(other, LEDGER_TXN_DEPOSIT, NULL, e, 2, &aborted), LEDGER_OK);
	ck_assert_int_eq(db_command(other, "ROLLBACK TO SAVEPOINT s", 0, NULL, NULL), DB_OK);
	ck_assert_int_eq(ledger_post(conn, LEDGER_TXN_BUY_IN, NULL, f, 2, &late), LEDGER_OK);
	ck_assert_int_lt(early, late);
	/* however often the sealer runs, it seals nothing past the open one */
	for (int i = 0; i < 5; i++)
		ck_assert_int_eq(ledger_seal(conn, 100, &n), LEDGER_OK);
	ck_assert_int_lt(one("SELECT max(through_txn_id) FROM ledger_seals"), early);
	ck_assert_int_eq(db_commit(other, NULL), DB_OK);
	db_close(other);
	seal_all();
	r = audit();
	ck_assert_msg(r.problems == 0, "%s", lines);
	ck_assert_int_eq(r.unsealed_txns, 0);
	ck_assert_int_eq(one("SELECT count(*) FROM ledger_seals s, unnest(s.txn_ids) t WHERE t IN"
			     " (SELECT id FROM ledger_txns WHERE reference = '{}')"), 2);
	(void)aborted;
}
END_TEST

START_TEST(bad_arguments)
{
	struct audit_report r;

	ck_assert_int_eq(audit_run(NULL, NULL, 0, NULL, NULL, &r), AUDIT_ERR_ARG);
	ck_assert_int_eq(audit_run(conn, NULL, 1, NULL, NULL, &r), AUDIT_ERR_ARG);
	ck_assert_int_eq(ledger_seal(conn, 0, NULL), LEDGER_ERR_ARG);
	ck_assert_str_eq(audit_strerror(AUDIT_ERR_DB), "database error while reading the ledger");
	/* a database without the ledger cannot be audited */
	sql("DROP TABLE ledger_seals CASCADE");
	ck_assert_int_eq(audit_run(conn, NULL, 0, NULL, NULL, &r), AUDIT_ERR_DB);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("audit");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	testdb_server();
	log_set_level(LOG_ERROR);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, intact_ledger_matches_the_sql_sealer);
	tcase_add_test(tc, edited_entries_are_found);
	tcase_add_test(tc, added_and_deleted_txns_are_found);
	tcase_add_test(tc, edited_balances_are_found);
	tcase_add_test(tc, moved_accounts_are_found);
	tcase_add_test(tc, unbalanced_unsealed_txns_are_found);
	tcase_add_test(tc, altered_and_rewritten_seals_are_found);
	tcase_add_test(tc, late_commits_with_lower_ids_are_not_skipped);
	tcase_add_test(tc, bad_arguments);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
