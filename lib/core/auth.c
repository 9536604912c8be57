/* auth — API key to agent. See auth.h. */
#include "core/auth.h"

#include <string.h>

#include "core/db.h"
#include "core/token.h"

/* $1: hex SHA-256 of the key (agents.api_key_hash is unique, so indexed). */
const char auth_lookup_sql[] =
	"SELECT id::text, name FROM agents WHERE api_key_hash = $1";

static void copy_field(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);

	if (n >= size)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

int auth_key_hash(const char *key, char hash[TOKEN_HASH_SIZE])
{
	hash[0] = '\0';
	if (key == NULL || key[0] == '\0')
		return AUTH_EMISSING;
	if (!token_looks_like_key(key))
		return AUTH_EMALFORMED;
	token_key_hash(key, hash);
	return AUTH_OK;
}

int auth_lookup(PGconn *c, const char *key, struct auth_agent *out)
{
	char hash[TOKEN_HASH_SIZE];
	const char *params[1];
	struct db_err err;
	PGresult *res;
	int rc;

	memset(out, 0, sizeof *out);
	rc = auth_key_hash(key, hash);
	if (rc != AUTH_OK)
		return rc;
	params[0] = hash;
	/* Every authenticated request starts here: prepared once per
	 * connection, not parsed and planned each time. */
	res = db_exec_prepared(c, AUTH_LOOKUP_STMT, 1, params, &err);
	if (res == NULL)
		return AUTH_EDB;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return AUTH_EUNKNOWN;
	}
	copy_field(out->id, sizeof out->id, PQgetvalue(res, 0, 0));
	copy_field(out->name, sizeof out->name, PQgetvalue(res, 0, 1));
	out->is_platform = strcmp(out->id, LEDGER_PLATFORM_AGENT_ID) == 0;
	PQclear(res);
	return AUTH_OK;
}

int auth_new_key(enum auth_key_kind kind, struct auth_new_key *out)
{
	int rc;

	memset(out, 0, sizeof *out);
	_Static_assert(TOKEN_MPK_KEY_SIZE >= TOKEN_OP_KEY_SIZE,
		       "auth_new_key.key holds either shape");
	if (kind == AUTH_KEY_OP)
		rc = token_api_key_op(out->key);
	else
		rc = token_api_key_mpk(out->key);
	if (rc != TOKEN_OK)
		return AUTH_ERANDOM;
	token_key_hash(out->key, out->hash);
	token_key_prefix(out->key, out->prefix);
	return AUTH_OK;
}

const char *auth_strerror(int err)
{
	switch (err) {
	case AUTH_OK:
		return "ok";
	case AUTH_EMISSING:
		return "Not authenticated";
	case AUTH_EMALFORMED:
		return "Invalid API key";
	case AUTH_EUNKNOWN:
		return "Invalid API key";
	case AUTH_EDB:
		return "Authentication unavailable";
	case AUTH_ERANDOM:
		return "No randomness available for a new key";
	}
	return "unknown auth error";
}
