/*
 * queries.c — the SQL texts of felt-payd (see queries.h).
 */
#include "queries.h"

#include "money/payments.h"

const char queries_listen[] = "LISTEN felt_payd";

/* Two felt-payd sending from one hot wallet would race for nonces: one
 * sends, any other waits on standby until the lock is free (its holder's
 * session ends, e.g. when it dies). */
static const char lock_sql[] =
	"SELECT pg_try_advisory_lock(hashtextextended('felt-payd sender', 0))";

static const char heartbeat_sql[] =
	"SELECT heartbeat_touch('payd', $1, $2::int, $3::jsonb)";

const struct db_stmt payd_queries[] = {
	PAYMENTS_STMTS,
	{ QUERIES_LOCK, lock_sql, 0 },
	{ QUERIES_HEARTBEAT, heartbeat_sql, 3 },
	{ NULL, NULL, 0 },
};
