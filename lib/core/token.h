/*
 * token — random secrets: API keys, session and turn tokens.
 *
 * Randomness comes from getrandom(2) only.  API keys have two public shapes
 * (DESIGN §7): `op_live_` + 43 base62 characters (32 random bytes) for the
 * Open Poker surface and `mpk_` + 64 hex characters for MoltPoker; both are
 * accepted everywhere.  The database only ever sees token_key_hash() of a key
 * plus token_key_prefix() for display.  No state, thread-safe.
 */
#ifndef FELT_TOKEN_H
#define FELT_TOKEN_H

#include <stdbool.h>
#include <stddef.h>

/* Fixed lengths, including the terminating NUL. */
#define TOKEN_OP_KEY_SIZE (8 + 43 + 1)   /* "op_live_" + base62(32 bytes) */
#define TOKEN_MPK_KEY_SIZE (4 + 64 + 1)  /* "mpk_" + hex(32 bytes) */
#define TOKEN_SESSION_SIZE (43 + 1)      /* base64url(32 bytes), no padding */
#define TOKEN_HASH_SIZE 65               /* hex SHA-256 */
#define TOKEN_PREFIX_LEN 12              /* characters shown to humans */
#define TOKEN_PREFIX_SIZE (TOKEN_PREFIX_LEN + 1)
#define TOKEN_MAX_KEY_LEN 128            /* longest string token_looks_like_key accepts */

enum token_error {
	TOKEN_OK = 0,
	TOKEN_ERR_RANDOM = -1, /* getrandom(2) failed (errno kept) */
	TOKEN_ERR_ARG = -2,    /* bad argument (NULL, size) */
};

/* token_strerror — static English text for a token_error code. */
const char *token_strerror(int err);

/*
 * token_random — fill buf with n random bytes from getrandom(2), retrying on
 * EINTR and short reads.  Returns TOKEN_OK or TOKEN_ERR_RANDOM.
 */
int token_random(void *buf, size_t n);

/*
 * token_api_key_op — a new Open Poker style key, "op_live_" followed by
 * exactly 43 base62 characters encoding 32 random bytes, NUL-terminated in
 * out.  Returns TOKEN_OK or TOKEN_ERR_RANDOM.
 */
int token_api_key_op(char out[TOKEN_OP_KEY_SIZE]);

/*
 * token_api_key_mpk — a new MoltPoker style key, "mpk_" followed by 64
 * lowercase hex characters, NUL-terminated in out.  Returns TOKEN_OK or
 * TOKEN_ERR_RANDOM.
 */
int token_api_key_mpk(char out[TOKEN_MPK_KEY_SIZE]);

/*
 * token_session — a new session/turn token: 43 URL-safe base64 characters
 * (32 random bytes, no padding), NUL-terminated.  Returns TOKEN_OK or
 * TOKEN_ERR_RANDOM.
 */
int token_session(char out[TOKEN_SESSION_SIZE]);

/*
 * token_key_hash — hex SHA-256 of the NUL-terminated key, the value stored
 * in agents.api_key_hash and compared on authentication.
 */
void token_key_hash(const char *key, char out[TOKEN_HASH_SIZE]);

/*
 * token_key_prefix — the first TOKEN_PREFIX_LEN characters of key (fewer if
 * the key is shorter), NUL-terminated; safe to log and to show to humans.
 */
void token_key_prefix(const char *key, char out[TOKEN_PREFIX_SIZE]);

/*
 * token_looks_like_key — true when s has the exact shape of either key
 * kind (prefix, length, alphabet).  A cheap filter before hashing and a DB
 * lookup; says nothing about whether the key exists.
 */
bool token_looks_like_key(const char *s);

/*
 * token_equal — constant-time comparison of two NUL-terminated tokens, for
 * checking session and turn tokens without a timing side channel.  Strings
 * of different lengths compare unequal.
 */
bool token_equal(const char *a, const char *b);

#endif
