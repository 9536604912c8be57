/* feltctl audit — the ledger against its seals and balances.  See feltctl.h
 * and lib/money/audit.h. */
#include "feltctl.h"

#include "core/db.h"
#include "core/hash.h"
#include "money/audit.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ANCHORS 64
#define MAX_PRINTED 100 /* problems printed; the count is always exact */

struct printer {
	int64_t printed;
};

static void print_problem(void *arg, const char *line)
{
	struct printer *p = arg;

	if (p->printed++ < MAX_PRINTED)
		printf("problem: %s\n", line);
}

/* "SEAL:HEXDIGEST" into a; false when malformed. */
static bool parse_anchor(const char *s, struct audit_anchor *a)
{
	char *end;
	long long id = strtoll(s, &end, 10);

	if (end == s || *end != ':' || id < 1)
		return false;
	a->seal_id = id;
	return hash_unhex(end + 1, a->digest, SEAL_HASH_SIZE);
}

int feltctl_audit(int argc, char **argv)
{
	struct audit_anchor anchors[MAX_ANCHORS];
	struct audit_report r;
	struct printer p = {0};
	char digest[2 * SEAL_HASH_SIZE + 1];
	int n = 0, rc;
	PGconn *c;

	for (int i = 1; i < argc; i++) {
		const char *v = NULL;

		if (strcmp(argv[i], "--anchor") == 0 && i + 1 < argc)
			v = argv[++i];
		else if (strncmp(argv[i], "--anchor=", 9) == 0)
			v = argv[i] + 9;
		else
			return feltctl_usage(argv[0], "unexpected argument '%s'", argv[i]);
		if (n == MAX_ANCHORS)
			return feltctl_usage(argv[0], "at most %d --anchor", MAX_ANCHORS);
		if (!parse_anchor(v, &anchors[n++]))
			return feltctl_usage(argv[0], "--anchor takes SEAL:DIGEST (a seal number, a colon,"
					     " 64 hex digits), not '%s'", v);
	}
	if (!(c = feltctl_connect()))
		return FELTCTL_FAIL;
	rc = audit_run(c, anchors, n, print_problem, &p, &r);
	db_close(c);
	if (rc != AUDIT_OK)
		return feltctl_fail("audit: %s (has `feltctl migrate` run?)", audit_strerror(rc));
	if (p.printed > MAX_PRINTED)
		printf("problem: ... and %" PRId64 " more\n", p.printed - MAX_PRINTED);
	printf("ledger: %" PRId64 " txns (%" PRId64 " sealed in %" PRId64 " seals, %" PRId64
	       " newer than the last seal), %" PRId64 " entries, %" PRId64 " accounts\n",
	       r.txns, r.sealed_txns, r.seals, r.unsealed_txns, r.entries, r.accounts);
	hash_hex(r.head_digest, SEAL_HASH_SIZE, digest);
	if (r.head_seal_id)
		printf("head: seal %" PRId64 " through txn %" PRId64 " digest %s\n"
		       "      (keep it outside the database; `feltctl audit --anchor %" PRId64 ":%s`"
		       " proves later that the chain up to it was not rewritten)\n",
		       r.head_seal_id, r.head_through_txn_id, digest, r.head_seal_id, digest);
	else
		printf("head: no seal yet\n");
	if (r.problems == 0) {
		printf("audit: ok: every sealed txn matches its seal, every txn balances, every balance"
		       " is the sum of its entries\n");
		return FELTCTL_OK;
	}
	if (r.first_bad_txn)
		return feltctl_fail("audit: FAILED, %" PRId64 " problem%s; first bad txn %" PRId64 ": %s",
				    r.problems, r.problems == 1 ? "" : "s", r.first_bad_txn,
				    r.first_bad_why);
	return feltctl_fail("audit: FAILED, %" PRId64 " problem%s (balances; no txn is bad)",
			    r.problems, r.problems == 1 ? "" : "s");
}
