/*
 * feltctl_adjust.h — `feltctl credit` and `feltctl debit`: operator
 * adjustments of an agent's balance.
 *
 *   feltctl credit AGENT AMOUNT --reason TEXT
 *   feltctl debit  AGENT AMOUNT --reason TEXT
 *
 * AGENT is an agent id (uuid) or name (case-insensitive); AMOUNT is dollars
 * with at most 2 decimals ("12.50"). Each run posts one balanced ledger txn
 * of kind "adjustment" between the agent's balance account and the
 * platform's adjustments account, with the reason and the operator in its
 * reference, so it shows in the agent's /api/transactions and in the
 * accounting invariant (net_adjustments_ucents). A debit larger than the
 * balance is refused by the ledger (nothing is posted), and so is any
 * adjustment of the platform agent, whose balance account no report shows. This is how
 * operators, and the tests, fund agents without a chain.
 */
#ifndef FELT_TOOLS_FELTCTL_ADJUST_H
#define FELT_TOOLS_FELTCTL_ADJUST_H

#include <libpq-fe.h>
#include <stdint.h>
#include <stdio.h>

enum adjust_direction {
	ADJUST_CREDIT,
	ADJUST_DEBIT,
};

enum adjust_error {
	ADJUST_OK = 0,
	ADJUST_EUSAGE = -1,        /* wrong arguments */
	ADJUST_EAMOUNT = -2,       /* not a positive dollar amount, 2 decimals */
	ADJUST_ENOAGENT = -3,      /* no agent with that id or name */
	ADJUST_EINSUFFICIENT = -4, /* debit larger than the balance */
	ADJUST_EDB = -5,           /* database failure */
	ADJUST_EAMBIGUOUS = -6,    /* AGENT is one agent's id and another's name */
	ADJUST_EPLATFORM = -7,     /* AGENT is the platform agent */
};

#define ADJUST_REASON_MAX 500 /* characters of --reason kept in the ledger */

/* What an adjustment did, for the caller to report. */
struct adjust_result {
	char agent_id[37];
	int64_t txn_id;
	int64_t amount_ucents;
	int64_t balance_ucents; /* the agent's balance after the txn */
};

/* The help texts of `feltctl credit` and `feltctl debit`. */
extern const char adjust_credit_help[];
extern const char adjust_debit_help[];

/*
 * adjust_parse_args: read "credit|debit AGENT AMOUNT --reason TEXT" (the
 * option anywhere) from argv[0..argc) by the felt command-line convention
 * (lib/core/cli.h). Sets *agent, *reason (pointing into argv) and
 * *amount_ucents (> 0). Returns CLI_OK, CLI_EXIT (--help or --version was
 * printed) or CLI_EUSAGE (what is wrong was printed on stderr: a missing
 * or blank reason, an amount that is not positive dollars with at most 2
 * decimals, ...).
 */
int adjust_parse_args(int argc, char **argv, const char **agent,
		      int64_t *amount_ucents, const char **reason);

/*
 * adjust_post: post the adjustment on c (autocommit). agent is an exact
 * agent id or an exact (case-sensitive) name, matching exactly one agent
 * (else ADJUST_ENOAGENT or ADJUST_EAMBIGUOUS, and nothing is posted);
 * operator (may be NULL) is recorded in the reference. Fills *out on
 * success. Returns ADJUST_OK or a negative enum adjust_error.
 */
int adjust_post(PGconn *c, enum adjust_direction dir, const char *agent,
		int64_t amount_ucents, const char *reason,
		const char *operator_name, struct adjust_result *out);

/*
 * feltctl_adjust_main: the whole command. argv[0] is "credit" or "debit";
 * connects with FELT_DB, posts, prints one line to out
 * ("credit txn=42 agent=<uuid> amount=12.50 balance=30.00") and errors to
 * err. Returns the process exit status: 0 done, 1 refused (no agent,
 * insufficient balance, database), 2 usage.
 */
int feltctl_adjust_main(int argc, char **argv, FILE *out, FILE *err);

/*
 * feltctl_adjust: the feltctl dispatch entry for "credit" and "debit"
 * (declared in feltctl.h): feltctl_adjust_main on stdout/stderr.
 */
int feltctl_adjust(int argc, char **argv);

/* adjust_strerror: static English text for an adjust_error code. */
const char *adjust_strerror(int err);

#endif
