/* feltctl seal — chain every committed txn onto the ledger's hash chain now.
 * See feltctl.h. */
#include "feltctl.h"

#include "core/db.h"
#include "money/ledger.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SEAL_BATCH 5000
#define SEAL_TIMEOUT_DEFAULT_S 60

static int64_t one_int(PGconn *c, const char *sql)
{
	int64_t v = -1;

	return db_query_int64(c, sql, 0, NULL, &v, NULL) == DB_OK ? v : -1;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int feltctl_seal(int argc, char **argv)
{
	long timeout_s = SEAL_TIMEOUT_DEFAULT_S;
	int64_t target, head = -1, total = 0;
	double deadline;
	PGconn *c;
	int rc = FELTCTL_OK;

	for (int i = 1; i < argc; i++) {
		char *end;

		if (strcmp(argv[i], "--timeout") == 0 && i + 1 < argc) {
			timeout_s = strtol(argv[++i], &end, 10);
			if (*end || timeout_s < 1 || timeout_s > 86400)
				return feltctl_usage(argv[0], "--timeout takes 1..86400 seconds");
		} else {
			return feltctl_usage(argv[0], "unexpected argument '%s'", argv[i]);
		}
	}
	if (!(c = feltctl_connect()))
		return FELTCTL_FAIL;
	target = one_int(c, "SELECT coalesce(max(id), 0) FROM ledger_txns");
	deadline = now_s() + (double)timeout_s;
	while (target >= 0) {
		int n = 0;

		head = one_int(c, "SELECT coalesce(max(through_txn_id), 0) FROM ledger_seals");
		if (head < 0 || head >= target)
			break;
		if (now_s() > deadline) {
			rc = feltctl_fail("seal: txns up to %" PRId64 " are still not sealed after %ld s:"
					  " a transaction older than them is still open"
					  " (look in pg_stat_activity)", target, timeout_s);
			break;
		}
		if (ledger_seal(c, SEAL_BATCH, &n) != LEDGER_OK) {
			head = -1;
			break;
		}
		total += n;
		/* nothing ready: wait for the transactions still running */
		if (n == 0)
			nanosleep(&(struct timespec){.tv_nsec = 100 * 1000 * 1000}, NULL);
	}
	if (rc == FELTCTL_OK && (target < 0 || head < 0))
		rc = feltctl_fail("seal: the seals cannot be read or written (has `feltctl migrate` run?)");
	if (rc == FELTCTL_OK) {
		PGresult *r = db_exec(c, "SELECT id, through_txn_id, encode(digest, 'hex')"
					 " FROM ledger_seals ORDER BY id DESC LIMIT 1", 0, NULL, NULL);

		if (r && PQntuples(r) == 1)
			printf("seal: %" PRId64 " txns sealed now; head: seal %s through txn %s digest %s\n",
			       total, PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 1), PQgetvalue(r, 0, 2));
		else
			printf("seal: nothing to seal yet (no txns)\n");
		PQclear(r);
	}
	db_close(c);
	return rc;
}
