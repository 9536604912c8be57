/*
 * deck — a provably fair shuffled deck.
 *
 * The deck order is a pure function of a 32-byte seed: ChaCha20 (OpenSSL
 * EVP_chacha20, key = seed, 16-byte IV of zeros i.e. block counter 0 and
 * nonce 0) produces a keystream; Fisher-Yates from the top (i = 51 .. 1)
 * swaps cards[i] with cards[j], j uniform in 0..i, drawn by rejection
 * sampling on single keystream bytes (a byte b is accepted when
 * b < 256 - 256 % (i + 1), and j = b % (i + 1)), so there is no modulo bias.
 * The starting order is card values 0..51 (2c 2d 2h 2s 3c ... As).
 *
 * The commitment published at hand start is
 *     SHA-256( seed[0..31] || cards[0..51] )
 * i.e. 84 bytes: the 32 seed bytes then the 52 card bytes in deal order,
 * each card byte being rank * 4 + suit (see cards.h).  After the hand the
 * seed is revealed; anyone can reshuffle and check the hash.
 *
 * Cards are dealt from cards[0] upwards.  No allocation, no global state.
 */
#ifndef FELT_DECK_H
#define FELT_DECK_H

#include <stdint.h>

#include "poker/cards.h"

#define DECK_SEED_SIZE 32
#define DECK_COMMITMENT_SIZE 32

struct deck {
	card_t cards[52]; /* deal order: cards[next] is dealt next */
	int next;         /* number of cards already dealt, 0..52 */
};

/*
 * deck_shuffle — set d to the order determined by seed (see above) with
 * nothing dealt.  Deterministic: the same seed always gives the same deck.
 * Aborts the process if OpenSSL cannot run ChaCha20 (out of memory), since
 * dealing an unshuffled deck would be worse.
 */
void deck_shuffle(struct deck *d, const uint8_t seed[32]);

/*
 * A shuffler holds OpenSSL's ChaCha20 cipher and a cipher context for reuse:
 * deck_shuffle sets both up and tears them down on every call, which costs
 * about twice the shuffle itself.  A long-running owner (a table, a thread,
 * a benchmark) keeps one shuffler; it is not safe to share between threads.
 * The decks are exactly those deck_shuffle produces.
 */
struct deck_shuffler;

/* deck_shuffler_new — a shuffler owned by the caller (free it with
 * deck_shuffler_free), or NULL if OpenSSL cannot provide ChaCha20 or memory
 * runs out. */
struct deck_shuffler *deck_shuffler_new(void);

/* deck_shuffler_free — release sh; NULL is allowed. */
void deck_shuffler_free(struct deck_shuffler *sh);

/* deck_shuffle_with — deck_shuffle using the reusable sh. */
void deck_shuffle_with(struct deck_shuffler *sh, struct deck *d, const uint8_t seed[32]);

/* deck_deal — the next card, or CARD_NONE when all 52 are dealt. */
card_t deck_deal(struct deck *d);

/* deck_remaining — number of cards not yet dealt. */
int deck_remaining(const struct deck *d);

/*
 * deck_commitment — SHA-256 over seed || the 52 card bytes of d (the whole
 * deck in deal order, regardless of how many were dealt) into out.
 */
void deck_commitment(const uint8_t seed[32], const struct deck *d, uint8_t out[32]);

#endif
