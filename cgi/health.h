/*
 * health.h — the health probes of seed 000: /health/live, /health/ready,
 * /health.
 *
 * Only what felt has is reported: the database, felt-wsd and felt-payd (from
 * their heartbeat rows), game figures from felt-wsd's heartbeat stats, the
 * money tables' pending work once those tables exist, and the ledger's
 * accounting invariant. Redis, a flush worker or WAL lag do not exist in
 * felt and are not invented.
 */
#ifndef FELT_CGI_HEALTH_H
#define FELT_CGI_HEALTH_H

#include <stdint.h>

#include <json-c/json.h>
#include <libpq-fe.h>

#include "router.h"

/* GET /health/live: 200 {"status":"ok"}; never touches the database. */
int health_live(struct handler_ctx *ctx, struct request *req,
		struct response *res);

/*
 * GET /health/ready: 200 {"status":"ok"} when not draining and the
 * database watcher (dbwatch.h) saw SELECT 1 succeed lately; otherwise 503
 * {"status":"unavailable","reason":"draining" | "database unreachable" |
 * "database not answering"}. Never touches the database itself, so it
 * answers at once whatever the database does.
 */
int health_ready(struct handler_ctx *ctx, struct request *req,
		 struct response *res);

/*
 * GET /health: the full report. 200 with "status" "ok" or "degraded" (wsd
 * or payd not running); 503 with "status" "down" when the database is
 * unreachable.
 */
int health_full(struct handler_ctx *ctx, struct request *req,
		struct response *res);

/*
 * health_seconds: a JSON number with one decimal for a duration in
 * milliseconds (1234 -> 1.2), written from integers so it prints exactly.
 * Returns a new json-c reference.
 */
struct json_object *health_seconds(int64_t ms);

/*
 * health_reconciliation: the seed's "financial_reconciliation" object from
 * the maintained account balances (one pass over accounts, never over the
 * ledger: /api/accounting has the raw recompute): units_match (all
 * balances add up to zero, i.e. deposited + adjustments = balances + in
 * play + rake + withdrawn + pending), balance_* (agents' spendable funds),
 * locked_* (chips on tables), the pending withdrawals, in ucents and whole
 * cents, and drift_ucents (how far from zero). Returns a new json-c
 * reference, or NULL (JSON null) when accounts cannot be read.
 */
struct json_object *health_reconciliation(PGconn *c);

#endif
