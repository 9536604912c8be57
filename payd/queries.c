/*
 * queries.c — the SQL texts of felt-payd (see queries.h).
 */
#include "queries.h"

const char queries_session[] =
	"SELECT set_config('statement_timeout', '10s', false),"
	" set_config('lock_timeout', '5s', false)";

const char queries_listen[] = "LISTEN felt_payd";

/* Two felt-payd sending from one hot wallet would race for nonces: one
 * sends, any other waits on standby until the lock is free (its holder's
 * session ends, e.g. when it dies). */
const char queries_lock[] =
	"SELECT pg_try_advisory_lock(hashtextextended('felt-payd sender', 0))";

const char queries_heartbeat[] =
	"SELECT heartbeat_touch('payd', $1, $2::int, $3::jsonb)";
