/* feltctl migrate — apply pending migrations as the owner role.  See feltctl.h. */
#include "feltctl.h"

#include "core/config.h"
#include "core/db.h"
#include "core/migrate.h"

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

int feltctl_migrate(int argc, char **argv)
{
	const char *dir = feltctl_sql_dir(), *conninfo = NULL, *what = "--db";
	char err[1024];
	int applied = 0, rc;
	PGconn *c;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
			conninfo = argv[++i];
		else if (strncmp(argv[i], "--db=", 5) == 0)
			conninfo = argv[i] + 5;
		else
			return feltctl_usage(argv[0], "unexpected argument '%s'", argv[i]);
	}
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
	db_close(c);
	if (rc != MIGRATE_OK)
		return feltctl_fail("migrate: %s", err[0] ? err : migrate_strerror(rc));
	printf("migrate: %d migration%s applied from %s\n", applied, applied == 1 ? "" : "s", dir);
	return FELTCTL_OK;
}
