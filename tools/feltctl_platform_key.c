/* feltctl platform-key — issue/rotate the platform agent's API key.
 * See feltctl.h. */
#include "feltctl.h"

#include "core/auth.h"
#include "core/db.h"
#include "money/ledger.h"

#include <stdio.h>
#include <string.h>

int feltctl_platform_key(int argc, char **argv)
{
	struct auth_new_key k;
	const char *params[3] = {k.hash, k.prefix, LEDGER_PLATFORM_AGENT_ID};
	struct db_err err;
	PGresult *res;
	PGconn *c;
	struct feltctl_cli cl;
	bool replaced;
	int rc;

	if ((rc = feltctl_args(&cl, argc, argv, "", NULL, 0, 0)) != CLI_OK)
		return cli_status(rc);
	rc = auth_new_key(AUTH_KEY_OP, &k);
	if (rc != AUTH_OK)
		return feltctl_fail("platform-key: %s", auth_strerror(rc));
	if (!(c = feltctl_connect()))
		return FELTCTL_FAIL;
	/* The old hash is read in the same statement, so the message can say
	 * whether a key stopped working (none did on the first issue). */
	res = db_exec(c,
		      "WITH old AS (SELECT api_key_hash FROM agents WHERE id = $3::uuid FOR UPDATE)"
		      " UPDATE agents SET api_key_hash = $1, api_key_prefix = $2, key_rotated_at = now()"
		      " WHERE id = $3::uuid RETURNING (SELECT api_key_hash IS NOT NULL FROM old)",
		      3, params, &err);
	db_close(c);
	if (!res)
		return feltctl_fail("platform-key: %s (has `feltctl migrate` run?)", err.message);
	rc = PQntuples(res);
	replaced = rc == 1 && PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	if (rc != 1)
		return feltctl_fail("platform-key: the platform agent is missing; run `feltctl migrate`");
	/* stdout carries only the key, so scripts can capture it; the
	 * notice goes to stderr */
	fprintf(stderr, "feltctl: %s platform key issued (prefix %s)%s; only its hash is stored,"
			" so it is shown only now, on the next line\n", replaced ? "new" : "the first",
		k.prefix, replaced ? " and the previous one no longer works" : "");
	printf("%s\n", k.key);
	memset(&k, 0, sizeof k);
	return FELTCTL_OK;
}
