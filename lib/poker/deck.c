/*
 * deck — ChaCha20-seeded Fisher-Yates shuffle and SHA-256 commitment.
 * The exact byte-level recipe is documented in deck.h, because agents
 * re-implement it to verify deals; change nothing here without changing it.
 */
#include "poker/deck.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "core/hash.h"

/* Keystream is produced in chunks; a full shuffle needs about 60 bytes. */
#define KEYSTREAM_CHUNK 128

struct deck_shuffler {
	EVP_CIPHER_CTX *ctx;
	/* OpenSSL 3 looks the cipher up in its providers on every init unless
	 * it is fetched once; that lookup is most of a shuffle's cost. */
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
	EVP_CIPHER *cipher;
#else
	const EVP_CIPHER *cipher;
#endif
};

struct keystream {
	EVP_CIPHER_CTX *ctx;
	uint8_t buf[KEYSTREAM_CHUNK];
	size_t pos;
};

static void die(const char *what)
{
	/* A deck we cannot shuffle must never be dealt. */
	fprintf(stderr, "deck: %s failed\n", what);
	abort();
}

static void keystream_refill(struct keystream *ks)
{
	/* ChaCha20 "encrypting" zeros yields the raw keystream; successive
	 * updates continue it, so chunking does not change the bytes. */
	static const uint8_t zeros[KEYSTREAM_CHUNK];
	int outl = 0;
	if (EVP_EncryptUpdate(ks->ctx, ks->buf, &outl, zeros, KEYSTREAM_CHUNK) != 1 ||
	    outl != KEYSTREAM_CHUNK)
		die("EVP_EncryptUpdate");
	ks->pos = 0;
}

static uint8_t keystream_byte(struct keystream *ks)
{
	if (ks->pos == KEYSTREAM_CHUNK)
		keystream_refill(ks);
	return ks->buf[ks->pos++];
}

/* Uniform in 0..n-1 for 1 <= n <= 256, without modulo bias. */
static int keystream_below(struct keystream *ks, int n)
{
	int limit = 256 - 256 % n;
	for (;;) {
		int b = keystream_byte(ks);
		if (b < limit)
			return b % n;
	}
}

struct deck_shuffler *deck_shuffler_new(void)
{
	struct deck_shuffler *sh = calloc(1, sizeof *sh);
	if (sh == NULL)
		return NULL;
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
	sh->cipher = EVP_CIPHER_fetch(NULL, "ChaCha20", NULL);
#else
	sh->cipher = EVP_chacha20();
#endif
	sh->ctx = EVP_CIPHER_CTX_new();
	if (sh->cipher == NULL || sh->ctx == NULL) {
		deck_shuffler_free(sh);
		return NULL;
	}
	return sh;
}

void deck_shuffler_free(struct deck_shuffler *sh)
{
	if (sh == NULL)
		return;
	EVP_CIPHER_CTX_free(sh->ctx);
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
	EVP_CIPHER_free(sh->cipher);
#endif
	free(sh);
}

void deck_shuffle_with(struct deck_shuffler *sh, struct deck *d, const uint8_t seed[32])
{
	/* OpenSSL's ChaCha20 IV is 4 bytes block counter + 12 bytes nonce,
	 * all zero here: the seed is used once per hand. */
	static const uint8_t iv[16];
	struct keystream ks;
	ks.ctx = sh->ctx;
	if (EVP_EncryptInit_ex(ks.ctx, sh->cipher, NULL, seed, iv) != 1)
		die("EVP_EncryptInit_ex(chacha20)");
	keystream_refill(&ks);

	for (int i = 0; i < CARDS_COUNT; i++)
		d->cards[i] = (card_t)i;
	for (int i = CARDS_COUNT - 1; i > 0; i--) {
		int j = keystream_below(&ks, i + 1);
		card_t t = d->cards[i];
		d->cards[i] = d->cards[j];
		d->cards[j] = t;
	}
	d->next = 0;
	OPENSSL_cleanse(ks.buf, sizeof ks.buf);
}

void deck_shuffle(struct deck *d, const uint8_t seed[32])
{
	struct deck_shuffler *sh = deck_shuffler_new();
	if (sh == NULL)
		die("deck_shuffler_new");
	deck_shuffle_with(sh, d, seed);
	deck_shuffler_free(sh);
}

card_t deck_deal(struct deck *d)
{
	if (d->next < 0 || d->next >= CARDS_COUNT)
		return CARD_NONE;
	return d->cards[d->next++];
}

int deck_remaining(const struct deck *d)
{
	if (d->next < 0 || d->next >= CARDS_COUNT)
		return 0;
	return CARDS_COUNT - d->next;
}

void deck_commitment(const uint8_t seed[32], const struct deck *d, uint8_t out[32])
{
	uint8_t msg[DECK_SEED_SIZE + CARDS_COUNT];
	memcpy(msg, seed, DECK_SEED_SIZE);
	memcpy(msg + DECK_SEED_SIZE, d->cards, CARDS_COUNT);
	hash_sha256(msg, sizeof msg, out);
}
