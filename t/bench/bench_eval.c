/*
 * bench_eval — evaluator throughput on one core (make bench).
 *
 * sequential: eval_7 over all C(52,7) hands in enumeration order (the
 *   tables stay hot and consecutive hands share most cards).
 * random: eval_7 over a pre-generated array of random 7-card hands, so the
 *   random number generator is not measured; the array (28 MB) is streamed
 *   several times.
 * Prints one machine-readable line per case:
 *   bench_eval case=<name> evals=<n> seconds=<s> mevals_per_s=<m> checksum=<x>
 * The checksum (sum of ranks) keeps the compiler from dropping the work and
 * lets two builds be compared.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "poker/eval.h"
#include "../unit/poker/randhand.h"

#define RANDOM_HANDS (1 << 22)
#define RANDOM_PASSES 24

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void report(const char *name, uint64_t evals, double secs, uint64_t checksum)
{
	printf("bench_eval case=%s evals=%" PRIu64 " seconds=%.3f mevals_per_s=%.1f "
	       "checksum=%" PRIu64 "\n",
	       name, evals, secs, (double)evals / secs / 1e6, checksum);
}

static void bench_sequential(void)
{
	card_t c[7];
	uint64_t sum = 0, n = 0;
	double t0 = now();
	for (c[0] = 0; c[0] < 52; c[0]++)
	for (c[1] = c[0] + 1; c[1] < 52; c[1]++)
	for (c[2] = c[1] + 1; c[2] < 52; c[2]++)
	for (c[3] = c[2] + 1; c[3] < 52; c[3]++)
	for (c[4] = c[3] + 1; c[4] < 52; c[4]++)
	for (c[5] = c[4] + 1; c[5] < 52; c[5]++)
	for (c[6] = c[5] + 1; c[6] < 52; c[6]++) {
		sum += eval_7(c);
		n++;
	}
	report("sequential", n, now() - t0, sum);
}

static void bench_random(void)
{
	card_t *hands = malloc((size_t)RANDOM_HANDS * 7);
	if (hands == NULL) {
		fprintf(stderr, "bench_eval: out of memory\n");
		exit(1);
	}
	uint64_t state = 1;
	for (size_t h = 0; h < RANDOM_HANDS; h++)
		randhand_7(&state, hands + h * 7);
	uint64_t sum = 0;
	double t0 = now();
	for (int pass = 0; pass < RANDOM_PASSES; pass++)
		for (size_t h = 0; h < RANDOM_HANDS; h++)
			sum += eval_7(hands + h * 7);
	report("random", (uint64_t)RANDOM_HANDS * RANDOM_PASSES, now() - t0, sum);
	free(hands);
}

int main(void)
{
	bench_sequential();
	bench_random();
	return 0;
}
