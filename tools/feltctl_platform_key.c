/* feltctl platform-key — issue/rotate the platform agent's API key.
 * See feltctl.h. */
#include "feltctl.h"

#include "db.h"
#include "ledger.h"
#include "token.h"

#include <stdio.h>
#include <string.h>

int feltctl_platform_key(int argc, char **argv)
{
	char key[TOKEN_OP_KEY_SIZE], hash[TOKEN_HASH_SIZE], prefix[TOKEN_PREFIX_SIZE];
	const char *params[3] = {hash, prefix, LEDGER_PLATFORM_AGENT_ID};
	struct db_err err;
	PGresult *res;
	PGconn *c;
	int rc = token_api_key_op(key);

	if (argc > 1)
		return feltctl_usage(argv[0], "unexpected argument '%s'", argv[1]);
	if (rc != TOKEN_OK)
		return feltctl_fail("platform-key: %s", token_strerror(rc));
	token_key_hash(key, hash);
	token_key_prefix(key, prefix);
	if (!(c = feltctl_connect()))
		return FELTCTL_FAIL;
	res = db_exec(c,
		      "UPDATE agents SET api_key_hash = $1, api_key_prefix = $2, key_rotated_at = now()"
		      " WHERE id = $3::uuid RETURNING id",
		      3, params, &err);
	db_close(c);
	if (!res)
		return feltctl_fail("platform-key: %s (has `feltctl migrate` run?)", err.message);
	rc = PQntuples(res);
	PQclear(res);
	if (rc != 1)
		return feltctl_fail("platform-key: the platform agent is missing; run `feltctl migrate`");
	/* stdout carries only the key, so scripts can capture it; the
	 * warning goes to stderr */
	fprintf(stderr, "feltctl: new platform key issued (prefix %s); the previous key no longer works."
			" It is shown only now:\n", prefix);
	printf("%s\n", key);
	memset(key, 0, sizeof key);
	return FELTCTL_OK;
}
