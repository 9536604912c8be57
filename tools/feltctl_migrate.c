/* feltctl migrate — apply pending migrations as the owner role.  See feltctl.h. */
#include "feltctl.h"

#include "core/config.h"
#include "core/db.h"
#include "core/migrate.h"
#include "core/name.h"

#include <stdio.h>
#include <string.h>

/*
 * The owner must be neither an application role (which owns nothing, so
 * every CREATE fails half-way with a less helpful message) nor a superuser
 * (SECURITY DEFINER functions owned by a superuser would run as one).
 */
static int check_role(PGconn *c)
{
	PGresult *r = db_exec(c, "SELECT current_user, rolsuper FROM pg_roles"
				 " WHERE rolname = current_user", 0, NULL, NULL);
	int rc = FELTCTL_OK;

	if (!r || PQntuples(r) != 1)
		rc = feltctl_fail("migrate: cannot read the connected role");
	else if (strcmp(PQgetvalue(r, 0, 0), "felt_app") == 0 ||
		 strcmp(PQgetvalue(r, 0, 0), "felt_read") == 0)
		rc = feltctl_fail("migrate: connected as %s, which owns nothing; connect as"
				  " the owner role (FELT_DB_OWNER or --db)", PQgetvalue(r, 0, 0));
	else if (PQgetvalue(r, 0, 1)[0] == 't')
		rc = feltctl_fail("migrate: connected as superuser %s; connect as the owner"
				  " role (FELT_DB_OWNER or --db): the ledger's functions run with"
				  " their owner's rights", PQgetvalue(r, 0, 0));
	PQclear(r);
	return rc;
}

static const char names_missing_sql[] =
	"SELECT id::text, name FROM agents WHERE name_key IS NULL ORDER BY created_at, id";
static const char name_key_set_sql[] =
	"UPDATE agents SET name_key = $2 WHERE id = $1 AND name_key IS NULL";

/*
 * agents.name_key (sql/050) needs ICU, which SQL does not have: fill it in
 * for rows written before that migration, oldest first.  A name whose key
 * an older agent already holds keeps NULL (a warning names it): the older
 * one keeps blocking lookalikes, and the operator decides about the other.
 * Returns 0, or -1 when the database failed.
 */
static int fill_name_keys(PGconn *c, int *filled)
{
	PGresult *r = db_exec(c, names_missing_sql, 0, NULL, NULL);

	*filled = 0;
	if (r == NULL)
		return -1;
	for (int i = 0; i < PQntuples(r); i++) {
		char key[NAME_KEY_SIZE];
		const char *params[2] = { PQgetvalue(r, i, 0), key };
		struct db_err err;

		if (name_key(PQgetvalue(r, i, 1), key, sizeof key) != NAME_OK) {
			fprintf(stderr, "feltctl: migrate: agent %s: name has no "
				"key (not valid UTF-8 or too long)\n", params[0]);
			continue;
		}
		if (db_command(c, name_key_set_sql, 2, params, &err) == DB_OK) {
			(*filled)++;
		} else if (err.code == DB_ERR_UNIQUE) {
			fprintf(stderr, "feltctl: migrate: agent %s: name looks "
				"like an older agent's; left without a key\n",
				params[0]);
		} else {
			PQclear(r);
			return -1;
		}
	}
	PQclear(r);
	return 0;
}

int feltctl_migrate(int argc, char **argv)
{
	static const struct cli_option options[] = {
		{"--db", NULL, "CONNINFO", "FELT_DB_OWNER, else FELT_DB",
		 "connect as the owner role with this libpq\n"
		 "conninfo or URI"},
		{NULL, NULL, NULL, NULL, NULL},
	};
	const char *dir = feltctl_sql_dir(), *conninfo, *what = "--db";
	struct feltctl_cli cl;
	char err[1024];
	int applied = 0, keys = 0, rc;
	PGconn *c;

	if ((rc = feltctl_args(&cl, argc, argv, "[--db CONNINFO]", options, 0, 0)) != CLI_OK)
		return cli_status(rc);
	conninfo = cl.args.value[0];
	if (!conninfo) {
		conninfo = config_str("FELT_DB_OWNER", NULL);
		what = "FELT_DB_OWNER";
	}
	if (!conninfo) {
		conninfo = config_get(config_common_vars, "FELT_DB");
		what = "FELT_DB";
	}
	if (!(c = feltctl_connect_to(conninfo, what)))
		return FELTCTL_FAIL;
	if (check_role(c) != FELTCTL_OK) {
		db_close(c);
		return FELTCTL_FAIL;
	}
	rc = migrate_run(c, dir, &applied, err, sizeof err);
	if (rc == MIGRATE_OK && fill_name_keys(c, &keys) != 0) {
		db_close(c);
		return feltctl_fail("migrate: could not fill agents.name_key");
	}
	db_close(c);
	if (rc != MIGRATE_OK)
		return feltctl_fail("migrate: %s", err[0] ? err : migrate_strerror(rc));
	printf("migrate: %d migration%s applied from %s\n", applied, applied == 1 ? "" : "s", dir);
	if (keys > 0)
		printf("migrate: name keys computed for %d agent%s\n", keys, keys == 1 ? "" : "s");
	return FELTCTL_OK;
}
