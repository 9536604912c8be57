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
	int rc;

	if ((rc = feltctl_args(&cl, argc, argv, "", NULL, 0, 0)) != CLI_OK)
		return cli_status(rc);
	rc = auth_new_key(AUTH_KEY_OP, &k);
	if (rc != AUTH_OK)
		return feltctl_fail("platform-key: %s", auth_strerror(rc));
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
			" It is shown only now:\n", k.prefix);
	printf("%s\n", k.key);
	memset(&k, 0, sizeof k);
	return FELTCTL_OK;
}
