/* Unit tests for lib/money/seal: the hash chain recipe against vectors
 * computed independently (Python's hashlib, see the comments). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "core/hash.h"
#include "money/seal.h"

static const struct seal_entry entries[] = {
	{11, 4, "00000000-0000-0000-0000-000000000001", "deposits", -50000},
	{12, 9, "0b6c5e0e-1f4a-4d2b-9a51-3c1e2f7a8b90", "agent_balance", 50000},
};
static const struct seal_txn txn = {
	.id = 7,
	.kind = "deposit",
	.created_at = "2026-01-02 03:04:05.000006",
	.created_by_json = "\"felt_app\"",
	.reference = "{\"tx_hash\": \"0xabc\"}",
	.entries = entries,
	.n_entries = 2,
};
/* hashlib.sha256(text.encode()).hexdigest() */
static const char txn_hash_hex[] = "3c26c7c41c661b70223c732aa85d4873a1384f823bb2a7f935becef654824fdc";

START_TEST(canonical_text)
{
	size_t len = 0;
	char *t = seal_txn_text(&txn, &len);

	ck_assert_ptr_nonnull(t);
	ck_assert_str_eq(t, "7|deposit|2026-01-02 03:04:05.000006|\"felt_app\"|{\"tx_hash\": \"0xabc\"}\n"
			    "11|4|00000000-0000-0000-0000-000000000001|deposits|-50000\n"
			    "12|9|0b6c5e0e-1f4a-4d2b-9a51-3c1e2f7a8b90|agent_balance|50000");
	ck_assert_uint_eq(len, strlen(t));
	free(t);
}
END_TEST

START_TEST(txn_hash_vector)
{
	uint8_t h[SEAL_HASH_SIZE];
	char hex[2 * SEAL_HASH_SIZE + 1];

	ck_assert_int_eq(seal_txn_hash(&txn, h), SEAL_OK);
	hash_hex(h, sizeof h, hex);
	ck_assert_str_eq(hex, txn_hash_hex);
}
END_TEST

START_TEST(any_field_changes_the_hash)
{
	struct seal_entry e[2];
	struct seal_txn t;
	uint8_t base[SEAL_HASH_SIZE], h[SEAL_HASH_SIZE];

	ck_assert_int_eq(seal_txn_hash(&txn, base), SEAL_OK);
	for (int field = 0; field < 9; field++) {
		memcpy(e, entries, sizeof e);
		t = txn;
		t.entries = e;
		switch (field) {
		case 0: t.id = 8; break;
		case 1: t.kind = "refund"; break;
		case 2: t.created_at = "2026-01-02 03:04:05.000007"; break;
		case 3: t.created_by_json = "\"postgres\""; break;
		case 4: t.reference = "{}"; break;
		case 5: e[1].amount_ucents = 50001; break;
		case 6: e[1].agent_id = "00000000-0000-0000-0000-000000000002"; break;
		case 7: e[0].account_kind = "adjustments"; break;
		case 8: t.n_entries = 1; break; /* an entry deleted */
		}
		ck_assert_int_eq(seal_txn_hash(&t, h), SEAL_OK);
		ck_assert_msg(memcmp(h, base, sizeof h) != 0, "field %d not covered", field);
	}
}
END_TEST

START_TEST(seal_digest_vectors)
{
	uint8_t zero[SEAL_HASH_SIZE] = {0}, h[SEAL_HASH_SIZE], two[2 * SEAL_HASH_SIZE];
	uint8_t d1[SEAL_HASH_SIZE], d2[SEAL_HASH_SIZE];
	char hex[2 * SEAL_HASH_SIZE + 1];

	ck_assert(hash_unhex(txn_hash_hex, h, sizeof h));
	/* sha256(b'\0'*32 + b'1|0|7|1' + h) */
	ck_assert_int_eq(seal_digest(zero, 1, 0, 7, h, 1, d1), SEAL_OK);
	hash_hex(d1, sizeof d1, hex);
	ck_assert_str_eq(hex, "2d340196ad8b1ec1697721c82ea679ee251fc89355595977c18f12f9bb0e4b14");
	/* sha256(d1 + b'2|7|9|2' + h + h): chained onto the first */
	memcpy(two, h, sizeof h);
	memcpy(two + SEAL_HASH_SIZE, h, sizeof h);
	ck_assert_int_eq(seal_digest(d1, 2, 7, 9, two, 2, d2), SEAL_OK);
	hash_hex(d2, sizeof d2, hex);
	ck_assert_str_eq(hex, "960f057fd594c2a4b5151dc598d24aad58a1f3b30f2746694a884f8fcdc1a05d");
}
END_TEST

START_TEST(bad_arguments)
{
	struct seal_txn t = txn;
	struct seal_entry e[2];
	uint8_t h[SEAL_HASH_SIZE];

	t.kind = NULL;
	ck_assert_ptr_null(seal_txn_text(&t, NULL));
	ck_assert_int_eq(seal_txn_hash(&t, h), SEAL_ERR_ARG);
	t = txn;
	memcpy(e, entries, sizeof e);
	e[0].agent_id = NULL;
	t.entries = e;
	ck_assert_int_eq(seal_txn_hash(&t, h), SEAL_ERR_ARG);
	t = txn;
	t.n_entries = -1;
	ck_assert_int_eq(seal_txn_hash(&t, h), SEAL_ERR_ARG);
	/* a txn with no entries still has a text (the audit reports it) */
	t.n_entries = 0;
	ck_assert_int_eq(seal_txn_hash(&t, h), SEAL_OK);
	ck_assert_int_eq(seal_digest(NULL, 1, 0, 1, h, 1, h), SEAL_ERR_ARG);
	ck_assert_int_eq(seal_digest(h, 1, 0, 1, NULL, 1, h), SEAL_ERR_ARG);
	ck_assert_str_eq(seal_strerror(SEAL_ERR_NOMEM), "out of memory");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("seal");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, canonical_text);
	tcase_add_test(tc, txn_hash_vector);
	tcase_add_test(tc, any_field_changes_the_hash);
	tcase_add_test(tc, seal_digest_vectors);
	tcase_add_test(tc, bad_arguments);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
