/* feltctl migrate — apply pending migrations.  See feltctl.h. */
#include "feltctl.h"

#include "core/db.h"
#include "core/migrate.h"

#include <stdio.h>

int feltctl_migrate(int argc, char **argv)
{
	const char *dir = feltctl_sql_dir();
	char err[1024];
	int applied = 0, rc;
	PGconn *c;

	if (argc > 1)
		return feltctl_usage(argv[0], "unexpected argument '%s'", argv[1]);
	if (!(c = feltctl_connect()))
		return FELTCTL_FAIL;
	rc = migrate_run(c, dir, &applied, err, sizeof err);
	db_close(c);
	if (rc != MIGRATE_OK)
		return feltctl_fail("migrate: %s", err[0] ? err : migrate_strerror(rc));
	printf("migrate: %d migration%s applied from %s\n", applied, applied == 1 ? "" : "s", dir);
	return FELTCTL_OK;
}
