/*
 * enum_eval — make check-long: evaluates every one of the C(52,7) =
 * 133,784,560 seven-card hands with eval_7 and checks the category counts
 * and the number of distinct ranks against the known totals.  Prints the
 * counts, the elapsed time (informational only) and PASS or FAIL; exits
 * non-zero on FAIL.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "poker/eval.h"

static const long long EXPECTED[9] = {
	23294460, 58627800, 31433400, 6461620, 6180020, 4047644, 3473184, 224848, 41584,
};
#define EXPECTED_TOTAL 133784560LL
#define EXPECTED_DISTINCT 4824

int main(void)
{
	static unsigned char seen[1 << 16];
	long long count[9] = {0}, total = 0;
	card_t c[7];
	struct timespec t0, t1;
	int ok = 1, distinct = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (c[0] = 0; c[0] < 52; c[0]++)
	for (c[1] = c[0] + 1; c[1] < 52; c[1]++)
	for (c[2] = c[1] + 1; c[2] < 52; c[2]++)
	for (c[3] = c[2] + 1; c[3] < 52; c[3]++)
	for (c[4] = c[3] + 1; c[4] < 52; c[4]++)
	for (c[5] = c[4] + 1; c[5] < 52; c[5]++)
	for (c[6] = c[5] + 1; c[6] < 52; c[6]++) {
		eval_rank_t r = eval_7(c);
		if (r >= 1u << 16 || eval_category(r) > EVAL_STRAIGHT_FLUSH) {
			fprintf(stderr, "enum_eval: out-of-range rank %u\n", r);
			return 1;
		}
		count[eval_category(r)]++;
		seen[r] = 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);

	for (int k = 0; k < 9; k++) {
		int good = count[k] == EXPECTED[k];
		ok &= good;
		total += count[k];
		printf("%-16s %10lld %s\n", eval_category_name((enum eval_category)k), count[k],
		       good ? "ok" : "WRONG");
	}
	for (int r = 0; r < 1 << 16; r++)
		distinct += seen[r];
	ok &= total == EXPECTED_TOTAL && distinct == EXPECTED_DISTINCT;
	printf("%-16s %10lld\n", "total", total);
	printf("%-16s %10d %s\n", "distinct ranks", distinct,
	       distinct == EXPECTED_DISTINCT ? "ok" : "WRONG");
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("enum_eval: %.2f s, %.1f M evals/s\n", secs, (double)total / secs / 1e6);
	printf("enum_eval: %s\n", ok ? "PASS" : "FAIL");
	return ok ? 0 : 1;
}
