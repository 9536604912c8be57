/*
 * randhand — reproducible random 7-card hands for the evaluator's test and
 * benchmark.  splitmix64 from a caller-held state: the same seed gives the
 * same hands on every machine, so nothing that uses it can flake.
 */
#ifndef FELT_T_RANDHAND_H
#define FELT_T_RANDHAND_H

#include <stdint.h>

#include "poker/cards.h"

/* randhand_next — next 64-bit value of the splitmix64 sequence in *state. */
static inline uint64_t randhand_next(uint64_t *state)
{
	uint64_t z = (*state += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* randhand_7 — seven distinct cards into c, drawn from *state.  The tiny
 * modulo bias of % 52 is irrelevant for tests and benchmarks. */
static inline void randhand_7(uint64_t *state, card_t c[7])
{
	uint64_t used = 0;
	for (int i = 0; i < 7;) {
		card_t x = (card_t)(randhand_next(state) % 52);
		if (!(used >> x & 1)) {
			used |= UINT64_C(1) << x;
			c[i++] = x;
		}
	}
}

#endif
