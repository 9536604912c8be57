/*
 * bench_deck — shuffles per second on one core (make bench): deck_shuffle
 * (sets OpenSSL up on every call) and deck_shuffle_with (a reused
 * shuffler), plus deck_commitment.  One machine-readable line per case:
 *   bench_deck case=<name> ops=<n> seconds=<s> ns_per_op=<ns> checksum=<x>
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "poker/deck.h"

#define OPS 1000000

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void report(const char *name, double secs, uint64_t checksum)
{
	printf("bench_deck case=%s ops=%d seconds=%.3f ns_per_op=%.0f checksum=%" PRIu64 "\n",
	       name, OPS, secs, secs * 1e9 / OPS, checksum);
}

/* A different seed per op, without an RNG in the loop. */
static void seed_for(uint8_t seed[32], int i)
{
	seed[0] = (uint8_t)i;
	seed[1] = (uint8_t)(i >> 8);
	seed[2] = (uint8_t)(i >> 16);
}

int main(void)
{
	uint8_t seed[32] = {0}, commit[32];
	struct deck d;
	uint64_t sum = 0;

	double t0 = now();
	for (int i = 0; i < OPS; i++) {
		seed_for(seed, i);
		deck_shuffle(&d, seed);
		sum += d.cards[0];
	}
	report("shuffle", now() - t0, sum);

	struct deck_shuffler *sh = deck_shuffler_new();
	if (sh == NULL) {
		fprintf(stderr, "bench_deck: no ChaCha20\n");
		return 1;
	}
	sum = 0;
	t0 = now();
	for (int i = 0; i < OPS; i++) {
		seed_for(seed, i);
		deck_shuffle_with(sh, &d, seed);
		sum += d.cards[0];
	}
	report("shuffle_with", now() - t0, sum);
	deck_shuffler_free(sh);

	sum = 0;
	t0 = now();
	for (int i = 0; i < OPS; i++) {
		seed_for(seed, i);
		deck_commitment(seed, &d, commit);
		sum += commit[0];
	}
	report("commitment", now() - t0, sum);
	return 0;
}
