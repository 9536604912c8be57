/* dbloop_conn — the life of a dbloop connection: connect without blocking,
 * set up (statements, LISTENs), report up, drop and retry on a backoff,
 * the timer.  See dbloop.h; the pipeline itself is dbloop.c. */
#include "core/dbloop_int.h"

#include "core/log.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

int64_t dbloop_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void set_write(struct dbloop *db, bool on)
{
	if (db->writing == on || db->fd < 0)
		return;
	db->writing = on;
	db->hooks.want_write(db->hooks.ctx, on);
}

/* Which socket fd is: its inode in sockfs (0 when none). */
static ino_t socket_id(int fd)
{
	struct stat st;

	return fd >= 0 && fstat(fd, &st) == 0 ? st.st_ino : 0;
}

/*
 * Tell the loop when libpq's socket changed (write interest restarts off).
 * The number alone does not tell: trying the next address of a host, libpq
 * closes one socket and opens the next, which usually gets the same
 * number, and a loop watching a dup() of the old one would wait forever.
 */
static void sync_fd(struct dbloop *db)
{
	int fd = db->conn ? PQsocket(db->conn) : -1;
	ino_t id = socket_id(fd);

	if (fd == db->fd && id == db->fd_id)
		return;
	if (db->writing && db->fd >= 0)
		db->hooks.want_write(db->hooks.ctx, false);
	db->writing = false;
	db->hooks.watch(db->hooks.ctx, db->fd, fd);
	db->fd = fd;
	db->fd_id = id;
}

/* Set the hook timer for the earliest thing we wait for. */
void dbloop_arm(struct dbloop *db)
{
	int64_t at = -1, now = dbloop_now_ms();

	if (db->st == ST_FREEING || db->st == ST_IDLE)
		at = -1;
	else if (db->lost_pending)
		at = now;
	else if (db->st == ST_WAIT)
		at = db->retry_at;
	else if (db->st == ST_CONNECTING || db->st == ST_SETUP)
		at = db->connect_deadline;
	else if (db->head && db->settings.statement_timeout_ms > 0)
		at = db->progress_at + db->settings.statement_timeout_ms + DBLOOP_GRACE_MS;
	if (at == db->timer_at)
		return;
	db->timer_at = at;
	db->hooks.timer(db->hooks.ctx, at < 0 ? -1 : (int)(at > now ? at - now : 0));
}

/* Close the socket and libpq's connection; the loop stops watching first. */
void dbloop_close_conn(struct dbloop *db)
{
	if (db->writing && db->fd >= 0)
		db->hooks.want_write(db->hooks.ctx, false);
	db->writing = false;
	if (db->fd >= 0)
		db->hooks.watch(db->hooks.ctx, db->fd, -1);
	db->fd = -1;
	db->fd_id = 0;
	PQfinish(db->conn);
	db->conn = NULL;
	db->lost_pending = false;
}

/*
 * The connection (or the attempt) is gone: fail what is in flight, report
 * down once, retry after the backoff.  Logged once per change of state:
 * the loss (db_down) or the first failed attempt at warn, the retries that
 * follow at debug, and their count and the time down when it comes back
 * (db_up): a 10 s outage is three lines, not one per attempt.
 */
void dbloop_drop(struct dbloop *db, const char *why)
{
	bool was_up = db->st == ST_UP;
	struct dbloop_item *list = db->head;
	char q[300];

	db->head = db->tail = NULL;
	db->inflight = 0;
	dbloop_close_conn(db);
	memset(db->prepared, PREP_NONE, (size_t)db->nstmts);
	if (!db->down_since)
		db->down_since = dbloop_now_ms();
	if (was_up) {
		log_event(LOG_WARN, "db_down", "error=%s", log_quote(why, q, sizeof q));
	} else {
		db->failures++;
		log_event(db->down_logged ? LOG_DEBUG : LOG_WARN, "db_connect_failed",
			  "attempt=%d retry_ms=%d error=%s", db->failures, db->backoff_ms,
			  log_quote(why, q, sizeof q));
	}
	db->down_logged = true;
	db->st = ST_WAIT;
	db->retry_at = dbloop_now_ms() + db->backoff_ms;
	db->backoff_ms = db->backoff_ms * 2 > DBLOOP_BACKOFF_MAX_MS ? DBLOOP_BACKOFF_MAX_MS
								     : db->backoff_ms * 2;
	if (was_up)
		db->hooks.state(db->hooks.ctx, false);
	dbloop_fail_all(list, why);
	dbloop_arm(db);
}

/* The connection's own message, on one line. */
static const char *conn_error(struct dbloop *db, char *buf, size_t cap)
{
	log_one_line(buf, cap, db->conn ? PQerrorMessage(db->conn) : "");
	return buf[0] ? buf : "connection lost";
}

void dbloop_drop_conn_error(struct dbloop *db)
{
	char msg[256];

	dbloop_drop(db, conn_error(db, msg, sizeof msg));
}

/* Send what libpq buffered; watch for writability while some is left. */
bool dbloop_flush(struct dbloop *db)
{
	int r = PQflush(db->conn);

	if (r < 0)
		return false;
	set_write(db, r == 1);
	return true;
}

void dbloop_become_up(struct dbloop *db)
{
	db->st = ST_UP;
	db->backoff_ms = DBLOOP_BACKOFF_MIN_MS;
	log_event(LOG_INFO, "db_up",
		  "failed_attempts=%d down_ms=%lld statements=%d channels=%d", db->failures,
		  db->down_since ? (long long)(dbloop_now_ms() - db->down_since) : 0LL,
		  db->nstmts, db->nlisten);
	db->failures = 0;
	db->down_since = 0;
	db->down_logged = false;
	db->progress_at = dbloop_now_ms();
	dbloop_arm(db);
	db->hooks.state(db->hooks.ctx, true);
}

/* Send PREPARE for statement i; synced during setup (failures stay
 * independent), unsynced just before a query that needs it. */
bool dbloop_send_prepare(struct dbloop *db, int i, bool synced)
{
	const struct db_stmt *s = &db->stmts[i];
	struct dbloop_item *it = dbloop_item_new(IT_PREPARE, i, synced);

	if (!it || !PQsendPrepare(db->conn, s->name, s->sql, s->nparams, NULL) ||
	    (synced && !PQpipelineSync(db->conn))) {
		free(it);
		return false;
	}
	db->prepared[i] = PREP_SENT;
	dbloop_push(db, it);
	return true;
}

/* LISTEN takes no parameter: the channel is quoted as an identifier (the
 * names are the program's constants, never input). */
static bool send_listen(struct dbloop *db, const char *channel)
{
	char *ident = PQescapeIdentifier(db->conn, channel, strlen(channel));
	struct dbloop_item *it = dbloop_item_new(IT_LISTEN, -1, true);
	char *sql = ident ? malloc(strlen(ident) + 8) : NULL;
	bool ok = it && sql;

	if (ok) {
		sprintf(sql, "LISTEN %s", ident);
		ok = PQsendQueryParams(db->conn, sql, 0, NULL, NULL, NULL, NULL, 0) &&
		     PQpipelineSync(db->conn);
	}
	PQfreemem(ident);
	free(sql);
	if (!ok) {
		free(it);
		return false;
	}
	dbloop_push(db, it);
	return true;
}

/* Connected: enter pipeline mode and send the whole setup at once. */
static void start_setup(struct dbloop *db)
{
	bool ok;

	db_log_notices(db->conn);
	ok = PQsetnonblocking(db->conn, 1) == 0 && PQenterPipelineMode(db->conn);
	db->st = ST_SETUP;
	db->setup_left = 0;
	for (int i = 0; ok && i < db->nstmts; i++)
		ok = dbloop_send_prepare(db, i, true);
	for (int i = 0; ok && i < db->nlisten; i++)
		ok = send_listen(db, db->listen[i]);
	if (!ok || !dbloop_flush(db)) {
		dbloop_drop_conn_error(db);
		return;
	}
	db->setup_left = db->nstmts + db->nlisten;
	if (db->setup_left == 0)
		dbloop_become_up(db);
	else
		dbloop_arm(db);
}

void dbloop_connect_begin(struct dbloop *db)
{
	db->st = ST_CONNECTING;
	db->connect_deadline = dbloop_now_ms() + (int64_t)db->settings.connect_timeout_s * 1000;
	db->conn = PQconnectStart(db->conninfo);
	if (!db->conn || PQstatus(db->conn) == CONNECTION_BAD) {
		dbloop_drop_conn_error(db);
		return;
	}
	/* libpq's first wait is for the socket to become writable. */
	db->poll_want = PGRES_POLLING_WRITING;
	sync_fd(db);
	set_write(db, true);
	dbloop_arm(db);
}

/* Zero-timeout poll: is fd ready for events (or in error)?  The loop may
 * report readability while libpq waits to write; PQconnectPoll must only
 * run when what it waits for is there. */
static bool socket_ready(int fd, short events)
{
	struct pollfd p = {.fd = fd, .events = events};

	return fd < 0 || poll(&p, 1, 0) != 0;
}

void dbloop_connect_step(struct dbloop *db)
{
	/* Bounded: a few steps of the handshake may be ready at once. */
	for (int step = 0; step < 32; step++) {
		short ev = db->poll_want == PGRES_POLLING_READING ? POLLIN : POLLOUT;
		PostgresPollingStatusType r;

		if (!socket_ready(db->fd, ev))
			return;
		r = PQconnectPoll(db->conn);
		sync_fd(db);
		if (r == PGRES_POLLING_FAILED) {
			dbloop_drop_conn_error(db);
			return;
		}
		if (r == PGRES_POLLING_OK) {
			start_setup(db);
			return;
		}
		db->poll_want = r;
		set_write(db, r == PGRES_POLLING_WRITING);
	}
}

void dbloop_writable(struct dbloop *db)
{
	if (!db)
		return;
	if (db->st == ST_CONNECTING) {
		dbloop_connect_step(db);
		return;
	}
	if ((db->st != ST_SETUP && db->st != ST_UP) || !db->conn)
		return;
	if (!dbloop_flush(db))
		dbloop_drop_conn_error(db);
}

void dbloop_timer(struct dbloop *db)
{
	int64_t now = dbloop_now_ms();
	char why[96];

	if (!db)
		return;
	db->timer_at = -1;
	if (db->lost_pending && db->conn) {
		dbloop_drop_conn_error(db);
		return;
	}
	switch (db->st) {
	case ST_WAIT:
		if (now >= db->retry_at) {
			dbloop_connect_begin(db);
			return;
		}
		break;
	case ST_CONNECTING:
	case ST_SETUP:
		if (now >= db->connect_deadline) {
			snprintf(why, sizeof why, "no connection within %d s",
				 db->settings.connect_timeout_s);
			dbloop_drop(db, why);
			return;
		}
		break;
	case ST_UP:
		if (db->head && db->settings.statement_timeout_ms > 0 &&
		    now >= db->progress_at + db->settings.statement_timeout_ms + DBLOOP_GRACE_MS) {
			snprintf(why, sizeof why, "no answer within %d ms",
				 db->settings.statement_timeout_ms + DBLOOP_GRACE_MS);
			dbloop_drop(db, why);
			return;
		}
		break;
	default:
		break;
	}
	dbloop_arm(db);
}

/* A send failed inside dbloop_query: drop the connection from the timer,
 * so no other query's callback runs inside the caller's dbloop_query. */
void dbloop_lose_later(struct dbloop *db)
{
	db->lost_pending = true;
	dbloop_arm(db);
}
