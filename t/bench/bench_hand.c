/*
 * bench_hand — full random 6-max hands per second through the engine, in
 * process, one core: ChaCha20 deck shuffle (deck_shuffle, as felt-wsd deals),
 * hand_start, random legal actions until the end, showdown and settlement.
 * Also measured without the shuffle (the engine alone), and the memory a
 * table's hand state takes.  Run from a non-sanitizer build: make bench.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "../unit/poker/handtest.h"

/* CPU time of this thread: hands per CPU-second is the per-core figure even
 * when other processes share the machine. */
static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Play n hands; returns actions applied.  shuffle: ChaCha20 deck per hand. */
static long play(struct hand *h, long n, struct deck_shuffler *shuffler, uint64_t *rs)
{
	int64_t stacks[6] = {2000, 2000, 2000, 2000, 2000, 2000};
	struct hand_config c = ht_config(6, 0, stacks, 10, 20);
	struct deck d;
	uint8_t seed[32] = {0};
	long actions = 0;

	c.rake_bp = 500;
	c.rake_cap_chips = 60;
	for (long i = 0; i < n; i++) {
		c.button = (int)(i % 6);
		if (shuffler) {
			for (int k = 0; k < 4; k++) {
				uint64_t r = ht_rand(rs);
				for (int b = 0; b < 8; b++)
					seed[k * 8 + b] = (uint8_t)(r >> (8 * b));
			}
			deck_shuffle_with(shuffler, &d, seed);
		} else {
			ht_shuffle(&d, rs);
		}
		if (hand_start(h, &c, &d) != HAND_OK)
			abort();
		while (h->phase == HAND_PHASE_BETTING) {
			struct hand_legal l;
			hand_legal(h, &l);
			struct hand_action a = ht_random_action(&l, rs);
			if (hand_apply(h, l.seat, &a) != HAND_OK)
				abort();
			actions++;
		}
		if (h->phase == HAND_PHASE_SHOWDOWN)
			hand_settle(h);
	}
	return actions;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 2000000;
	uint64_t rs = 12345;
	struct hand *h = malloc(sizeof *h);
	struct deck_shuffler *shuffler = deck_shuffler_new();

	if (!h || !shuffler)
		return 1;
	play(h, n / 20, NULL, &rs); /* warm up */
	double t0 = now();
	long actions = play(h, n, NULL, &rs);
	double engine = now() - t0;
	t0 = now();
	play(h, n / 4, shuffler, &rs);
	double with_shuffle = now() - t0;
	printf("engine only:           %.2f M hands/s (%.1f ns/hand, %.1f actions/hand)\n",
	       n / engine / 1e6, engine / n * 1e9, (double)actions / n);
	printf("with ChaCha20 shuffle: %.2f M hands/s\n", n / 4 / with_shuffle / 1e6);
	printf("sizeof(struct hand) = %zu bytes (events %zu of it); 1000 tables = %.1f MB\n",
	       sizeof(struct hand), sizeof h->events, 1000.0 * sizeof(struct hand) / 1e6);
	deck_shuffler_free(shuffler);
	free(h);
	return 0;
}
