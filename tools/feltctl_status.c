/* feltctl status — migrations, heartbeats, accounting invariant.
 * See feltctl.h. */
#include "feltctl.h"

#include "core/db.h"
#include "core/migrate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Returns true when every migration on disk is applied and unchanged. */
static bool show_migrations(PGconn *c)
{
	struct migrate_info *info = calloc(MIGRATE_MAX_FILES, sizeof *info);
	char err[1024];
	int n = 0, pending = 0, rc;

	if (!info)
		return false;
	rc = migrate_status(c, feltctl_sql_dir(), info, MIGRATE_MAX_FILES, &n, err, sizeof err);
	if (rc != MIGRATE_OK && rc != MIGRATE_ERR_CHECKSUM) {
		printf("migrations: unknown (%s)\n", err);
		free(info);
		return false;
	}
	for (int i = 0; i < n; i++)
		pending += !info[i].applied;
	printf("migrations: %d applied, %d pending (%s)\n", n - pending, pending, feltctl_sql_dir());
	for (int i = 0; i < n; i++)
		printf("  %-28s %s\n", info[i].name,
		       info[i].applied ? info[i].applied_at : "PENDING");
	if (rc == MIGRATE_ERR_CHECKSUM)
		printf("  ERROR: %s\n", err);
	free(info);
	return rc == MIGRATE_OK && pending == 0;
}

/* A database that was never migrated lacks the views; say so instead of
 * logging the query errors. */
static bool relation_exists(PGconn *c, const char *name)
{
	const char *params[1] = {name};
	PGresult *res = db_exec(c, "SELECT to_regclass($1) IS NOT NULL", 1, params, NULL);
	bool yes = res && PQntuples(res) == 1 && PQgetvalue(res, 0, 0)[0] == 't';

	PQclear(res);
	return yes;
}

static void show_heartbeats(PGconn *c)
{
	PGresult *res = !relation_exists(c, "heartbeat_status") ? NULL : db_exec(c,
		"SELECT component, instance, pid, age_s, started_at::text FROM heartbeat_status",
		0, NULL, NULL);

	if (!res) {
		printf("heartbeats: unavailable (not migrated?)\n");
		return;
	}
	printf("heartbeats: %d\n", PQntuples(res));
	for (int i = 0; i < PQntuples(res); i++)
		printf("  %-5s %-24s pid=%-7s last_seen=%ss_ago started=%s\n",
		       PQgetvalue(res, i, 0), PQgetvalue(res, i, 1), PQgetvalue(res, i, 2),
		       PQgetvalue(res, i, 3), PQgetvalue(res, i, 4));
	PQclear(res);
}

/* Returns true when the invariant holds. */
static bool show_invariant(PGconn *c)
{
	static const char *const labels[] = {
		"deposited", "balances", "in_play", "rake", "withdrawn",
		"pending", "adjustments", "drift", "balance_drift",
	};
	PGresult *res = !relation_exists(c, "accounting_invariant") ? NULL : db_exec(c,
		"SELECT total_deposited_ucents, total_balance_ucents, total_in_play_ucents,"
		" total_rake_ucents, total_withdrawn_ucents, total_pending_withdrawals_ucents,"
		" net_adjustments_ucents, drift_ucents, balance_drift_ucents, invariant_holds"
		" FROM accounting_invariant",
		0, NULL, NULL);
	bool holds;

	if (!res || PQntuples(res) != 1) {
		printf("invariant: unavailable (not migrated?)\n");
		PQclear(res);
		return false;
	}
	holds = strcmp(PQgetvalue(res, 0, 9), "t") == 0;
	printf("invariant: %s (ucents)", holds ? "holds" : "BROKEN");
	for (int i = 0; i < 9; i++)
		printf(" %s=%s", labels[i], PQgetvalue(res, 0, i));
	printf("\n");
	PQclear(res);
	return holds;
}

/* The hash chain's head and what is not sealed yet (no check: feltctl
 * audit does that). */
static void show_seals(PGconn *c)
{
	PGresult *res = !relation_exists(c, "ledger_seals") ? NULL : db_exec(c,
		"SELECT count(*), coalesce(max(through_txn_id), 0),"
		" (SELECT count(*) FROM ledger_txns WHERE id > (SELECT coalesce(max(through_txn_id), 0)"
		"   FROM ledger_seals)),"
		" coalesce((SELECT encode(digest, 'hex') FROM ledger_seals ORDER BY id DESC LIMIT 1), '-')"
		" FROM ledger_seals", 0, NULL, NULL);

	if (!res || PQntuples(res) != 1)
		printf("seals: unavailable (not migrated?)\n");
	else
		printf("seals: %s through txn %s, %s txns not sealed yet, head digest %s\n",
		       PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 2),
		       PQgetvalue(res, 0, 3));
	PQclear(res);
}

int feltctl_status(int argc, char **argv)
{
	struct feltctl_cli cl;
	PGconn *c;
	bool ok;
	int rc;

	if ((rc = feltctl_args(&cl, argc, argv, "", NULL, 0, 0)) != CLI_OK)
		return cli_status(rc);
	if (!(c = feltctl_connect()))
		return FELTCTL_FAIL;
	ok = show_migrations(c);
	show_heartbeats(c);
	ok = show_invariant(c) && ok;
	show_seals(c);
	db_close(c);
	return ok ? FELTCTL_OK : FELTCTL_FAIL;
}
