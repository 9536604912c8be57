/* Unit tests for lib/keccak: known Keccak-256 vectors and the sponge
 * checked against nettle's SHA3-256 across block boundaries. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nettle/sha3.h>

#include "money/keccak.h"

static void hex(const uint8_t *b, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
}

static void check_vector(const char *msg, const char *want)
{
	uint8_t d[KECCAK256_DIGEST_SIZE];
	char got[2 * KECCAK256_DIGEST_SIZE + 1];

	keccak256(msg, strlen(msg), d);
	hex(d, sizeof d, got);
	ck_assert_str_eq(got, want);
}

START_TEST(known_vectors)
{
	/* Empty input: the well-known Ethereum "empty code hash". */
	check_vector("",
		"c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
	check_vector("The quick brown fox jumps over the lazy dog",
		"4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15");
	/* ERC-20 Transfer event topic0, the one deposits scan for. */
	check_vector("Transfer(address,address,uint256)",
		"ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef");
	/* ERC-20 transfer(address,uint256) selector a9059cbb. */
	check_vector("transfer(address,uint256)",
		"a9059cbb2ab09eb219583f4a59a5d0623ade346d962bcd4e46b11da047c9049b");
}
END_TEST

START_TEST(differs_from_sha3)
{
	uint8_t k[KECCAK256_DIGEST_SIZE], s[KECCAK256_DIGEST_SIZE];

	keccak256("", 0, k);
	keccak256_padded("", 0, KECCAK_PAD_SHA3, s);
	ck_assert(memcmp(k, s, sizeof k) != 0);
}
END_TEST

START_TEST(sponge_matches_nettle_sha3_on_all_lengths)
{
	/* Same sponge, FIPS padding: must equal nettle's SHA3-256 for every
	 * length through three blocks, so absorb and padding are right at
	 * rate-1, rate and rate+1. */
	uint8_t data[3 * 136 + 2];

	for (size_t i = 0; i < sizeof data; i++)
		data[i] = (uint8_t)(i * 31 + 7);
	for (size_t len = 0; len <= sizeof data; len++) {
		struct sha3_256_ctx ctx;
		uint8_t want[SHA3_256_DIGEST_SIZE], got[KECCAK256_DIGEST_SIZE];

		sha3_256_init(&ctx);
		sha3_256_update(&ctx, len, data);
		sha3_256_digest(&ctx, sizeof want, want);
		keccak256_padded(data, len, KECCAK_PAD_SHA3, got);
		ck_assert_msg(memcmp(want, got, sizeof want) == 0,
			      "length %zu differs", len);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("keccak");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, known_vectors);
	tcase_add_test(tc, differs_from_sha3);
	tcase_add_test(tc, sponge_matches_nettle_sha3_on_all_lengths);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
