/* Unit tests for lib/auth: key shapes checked before the database, hash
 * lookups against a migrated throw-away database (FELT_TEST_DB). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "core/auth.h"
#include "core/db.h"
#include "testdb_suite.h"
#include "core/token.h"

static struct testdb tdb;

/* A program's statement table with auth's statement in it. */
static const struct db_stmt stmts[] = {
	AUTH_STMTS,
	{NULL, NULL, 0},
};

START_TEST(missing_and_malformed_need_no_database)
{
	struct auth_agent a;

	/* A NULL connection proves no query is attempted. */
	ck_assert_int_eq(auth_lookup(NULL, NULL, &a), AUTH_EMISSING);
	ck_assert_int_eq(auth_lookup(NULL, "", &a), AUTH_EMISSING);
	ck_assert_int_eq(auth_lookup(NULL, "op_live_short", &a), AUTH_EMALFORMED);
	ck_assert_int_eq(auth_lookup(NULL, "Bearer op_live_x", &a),
			 AUTH_EMALFORMED);
	ck_assert_int_eq(auth_lookup(NULL, "' OR 1=1 --", &a), AUTH_EMALFORMED);
	ck_assert_str_eq(a.id, "");
}
END_TEST

START_TEST(new_keys_have_both_shapes)
{
	struct auth_new_key op, mpk;
	char hash[TOKEN_HASH_SIZE];

	ck_assert_int_eq(auth_new_key(AUTH_KEY_OP, &op), AUTH_OK);
	ck_assert_int_eq(auth_new_key(AUTH_KEY_MPK, &mpk), AUTH_OK);
	ck_assert(strncmp(op.key, "op_live_", 8) == 0);
	ck_assert_uint_eq(strlen(op.key), 8 + 43);
	ck_assert(strncmp(mpk.key, "mpk_", 4) == 0);
	ck_assert_uint_eq(strlen(mpk.key), 4 + 64);
	ck_assert(token_looks_like_key(op.key));
	ck_assert(token_looks_like_key(mpk.key));
	token_key_hash(op.key, hash);
	ck_assert_str_eq(op.hash, hash);
	ck_assert(strncmp(op.prefix, op.key, TOKEN_PREFIX_LEN) == 0);
	ck_assert_uint_eq(strlen(op.prefix), TOKEN_PREFIX_LEN);
	ck_assert(strcmp(op.key, mpk.key) != 0);
}
END_TEST

START_TEST(strerror_covers_codes)
{
	for (int e = AUTH_ERANDOM; e <= AUTH_OK; e++)
		ck_assert_str_ne(auth_strerror(e), "unknown auth error");
	ck_assert_str_eq(auth_strerror(9), "unknown auth error");
}
END_TEST

/* Store key's hash for agent id (inserting the agent when name != NULL). */
static void give_key(PGconn *c, const char *id, const char *name,
		     const struct auth_new_key *k)
{
	const char *p[4] = { id, name, k->hash, k->prefix };
	struct db_err err;

	if (name != NULL)
		ck_assert_int_eq(db_command(c,
			"INSERT INTO agents (id, name, api_key_hash, api_key_prefix)"
			" VALUES ($1, $2, $3, $4)", 4, p, &err), DB_OK);
	else
		ck_assert_int_eq(db_command(c,
			"UPDATE agents SET api_key_hash = $3, api_key_prefix = $4"
			" WHERE id = $1 AND $2::text IS NULL", 4, p, &err), DB_OK);
}

START_TEST(lookup_by_hash)
{
	PGconn *c = db_connect(tdb.conninfo, 1, 0);
	struct auth_new_key op, mpk, other, plat;
	struct auth_agent a;
	const char *bob = "11111111-2222-3333-4444-555555555555";
	const char *eve = "11111111-2222-3333-4444-666666666666";
	/* The longest name the agents table holds (64 characters), each
	 * 4 bytes of UTF-8: a MoltPoker name, whole, not cut mid-character. */
	char eve_name[64 * 4 + 1] = "";

	for (int i = 0; i < 64; i++)
		strcat(eve_name, "\xf0\x9f\x82\xa1"); /* U+1F0A1 */

	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(db_prepare_all(c, stmts, NULL), DB_OK);
	auth_new_key(AUTH_KEY_OP, &op);
	auth_new_key(AUTH_KEY_MPK, &mpk);
	auth_new_key(AUTH_KEY_OP, &other);
	auth_new_key(AUTH_KEY_OP, &plat);
	give_key(c, bob, "bob_auth", &op);
	give_key(c, eve, eve_name, &mpk);
	give_key(c, LEDGER_PLATFORM_AGENT_ID, NULL, &plat);

	ck_assert_int_eq(auth_lookup(c, op.key, &a), AUTH_OK);
	ck_assert_str_eq(a.id, bob);
	ck_assert_str_eq(a.name, "bob_auth");
	ck_assert(!a.is_platform);
	ck_assert_int_eq(auth_lookup(c, mpk.key, &a), AUTH_OK);
	ck_assert_str_eq(a.id, eve);
	ck_assert_str_eq(a.name, eve_name);
	ck_assert_int_eq(auth_lookup(c, plat.key, &a), AUTH_OK);
	ck_assert(a.is_platform);
	ck_assert_str_eq(a.name, "platform");
	/* Well-formed but issued to nobody. */
	ck_assert_int_eq(auth_lookup(c, other.key, &a), AUTH_EUNKNOWN);
	ck_assert_str_eq(a.id, "");
	/* The stored hash alone is not a key. */
	ck_assert_int_eq(auth_lookup(c, op.hash, &a), AUTH_EMALFORMED);
	db_close(c);
}
END_TEST

START_TEST(lookup_fails_cleanly_on_dead_connection)
{
	PGconn *c = db_connect(tdb.conninfo, 1, 0);
	struct auth_new_key k;
	struct auth_agent a;

	ck_assert_ptr_nonnull(c);
	auth_new_key(AUTH_KEY_OP, &k);
	PQfinish(c);
	c = PQconnectStart("host=/nonexistent-dir port=1");
	ck_assert_int_eq(auth_lookup(c, k.key, &a), AUTH_EDB);
	PQfinish(c);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("auth");
	TCase *tc = tcase_create("shapes");
	bool with_db = testdb_suite_wanted();

	tcase_add_test(tc, missing_and_malformed_need_no_database);
	tcase_add_test(tc, new_keys_have_both_shapes);
	tcase_add_test(tc, strerror_covers_codes);
	suite_add_tcase(s, tc);
	if (with_db) {
		TCase *tdbc = tcase_create("database");

		testdb_suite_migrate(&tdb, "auth");
		tcase_add_test(tdbc, lookup_by_hash);
		tcase_add_test(tdbc, lookup_fails_cleanly_on_dead_connection);
		suite_add_tcase(s, tdbc);
	}
	return testdb_suite_run(s, false, with_db ? &tdb : NULL, "test_auth");
}
