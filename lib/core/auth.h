/*
 * auth — who is calling: API key -> agent, for /api and /v1 alike.
 *
 * Both key shapes (DESIGN §7: "op_live_" + 43 base62, "mpk_" + 64 hex) are
 * accepted on both surfaces. The key itself is never stored or logged: it
 * is hashed (SHA-256, token_key_hash) and the hash is looked up through
 * the unique index agents_api_key_hash_key: one prepared statement,
 * AUTH_STMTS, which a program that authenticates lists in its statement
 * table (db.h) so that it is prepared with the rest after each connect.
 *
 * Extracting the key from the Authorization header (scheme
 * case-insensitive) is the HTTP layer's job (request_bearer in felt-api).
 */
#ifndef FELT_AUTH_H
#define FELT_AUTH_H

#include <libpq-fe.h>
#include <stdbool.h>

#include "money/ledger.h"
#include "core/token.h"

#define AUTH_ID_SIZE 37   /* uuid text + NUL */
/* agents.name is at most 64 characters (sql/001_agents.sql); MoltPoker
 * names are any UTF-8, up to 4 bytes a character. */
#define AUTH_NAME_SIZE (64 * 4 + 1)

/* The statement auth_lookup runs: an entry for a struct db_stmt table. */
#define AUTH_LOOKUP_STMT "auth_lookup"
#define AUTH_STMTS { AUTH_LOOKUP_STMT, auth_lookup_sql, 1 }
extern const char auth_lookup_sql[];

enum auth_error {
	AUTH_OK = 0,
	AUTH_EMISSING = -1,   /* no credential at all */
	AUTH_EMALFORMED = -2, /* not shaped like either key kind */
	AUTH_EUNKNOWN = -3,   /* well-formed but no agent has it */
	AUTH_EDB = -4,        /* the lookup itself failed (answer 5xx/503) */
	AUTH_ERANDOM = -5,    /* no randomness for a new key */
};

enum auth_key_kind {
	AUTH_KEY_OP,  /* "op_live_..." for /api registrations */
	AUTH_KEY_MPK, /* "mpk_..." for /v1 registrations */
};

/* A freshly issued key and what the database stores of it. */
struct auth_new_key {
	char key[TOKEN_MPK_KEY_SIZE]; /* the longer of the two shapes */
	char hash[TOKEN_HASH_SIZE];   /* agents.api_key_hash */
	char prefix[TOKEN_PREFIX_SIZE]; /* agents.api_key_prefix */
};

/* The authenticated caller. */
struct auth_agent {
	char id[AUTH_ID_SIZE];
	char name[AUTH_NAME_SIZE];
	bool is_platform; /* the platform agent of DESIGN §7 */
};

/*
 * The stored form of key (NUL-terminated, may be NULL): its hex SHA-256
 * into hash, after checking it has the shape of a key. Returns AUTH_OK,
 * AUTH_EMISSING or AUTH_EMALFORMED. For callers that look the hash up
 * together with other data in one query.
 */
int auth_key_hash(const char *key, char hash[TOKEN_HASH_SIZE]);

/*
 * Find the agent whose key is key (NUL-terminated, may be NULL) on
 * connection c, whose statement table holds AUTH_STMTS. Fills *out and
 * returns AUTH_OK, or a negative enum auth_error (*out then zeroed).
 * Malformed keys are refused before any database round trip.
 */
int auth_lookup(PGconn *c, const char *key, struct auth_agent *out);

/*
 * Make a new random key of the given kind with its hash and display
 * prefix into *out. The key must be shown to its owner once and then
 * forgotten; only hash and prefix are stored. Returns AUTH_OK or
 * AUTH_ERANDOM.
 */
int auth_new_key(enum auth_key_kind kind, struct auth_new_key *out);

/* A static English description of an auth_error code. Never NULL. */
const char *auth_strerror(int err);

#endif
