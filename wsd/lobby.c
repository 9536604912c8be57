/*
 * lobby.c — the lobby's driver: one player at a time from the queue
 * (lobby_queue.h) through cash_join and onto its seat (tables_cash.c).
 */
#include "lobby.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "lobby_queue.h"
#include "server.h"
#include "table.h"

struct lobby {
	struct tables *r;
	struct lobby_queue q;
	const struct lobby_client *cl;
	/* The player being seated (NULL: none) and its request. */
	struct conn *cur;
	struct lobby_entry entry;
	int64_t started_ms;
	int seated_retries, attach_retries;
	bool cancel;               /* it asked to leave meanwhile */
	struct loop_timer pump_timer, retry_timer, step_timer;
};

static struct lobby *of(const struct conn *c)
{
	return tables_lobby(c->srv->tables);
}

static void pump_soon(struct lobby *l)
{
	if (!l->cur && l->q.len > 0 && !loop_timer_armed(&l->pump_timer))
		loop_timer_arm(&l->pump_timer, 0);
}

/* The player being seated is done with (seated, refused or gone). */
static void release(struct lobby *l)
{
	if (l->cur)
		conn_unref(l->cur);
	l->cur = NULL;
	l->cancel = false;
	loop_timer_cancel(&l->retry_timer);
	loop_timer_cancel(&l->step_timer);
	pump_soon(l);
}

static void on_joined(struct conn *c, const struct cash_reply *rep);
static void on_attached(struct conn *c, int err, const char *message);

static void ask(struct lobby *l)
{
	tables_cash_join(l->r, l->cur, l->entry.buy_in_chips, on_joined, on_attached);
}

static void pump(void *arg)
{
	struct lobby *l = arg;
	struct lobby_entry e;

	if (l->cur || tables_stopping(l->r) || !lobby_queue_pop(&l->q, &e))
		return;
	l->cur = e.who;
	conn_ref(l->cur);
	l->entry = e;
	l->started_ms = loop_mono_ms();
	l->seated_retries = l->attach_retries = 0;
	l->cancel = false;
	loop_timer_arm(&l->step_timer, LOBBY_STEP_TIMEOUT_MS);
	ask(l);
}

static void retry(void *arg)
{
	struct lobby *l = arg;

	if (l->cur && conn_open(l->cur))
		ask(l);
	else
		release(l);
}

static void step_timeout(void *arg)
{
	struct lobby *l = arg;
	struct conn *c = l->cur;
	struct cash_reply rep = { .err = WSD_EUNAVAILABLE, .seat = -1,
				  .message = "The lobby could not seat you in time: try again" };

	if (!c)
		return;
	log_event(LOG_WARN, "lobby_step_timeout", "conn=%" PRIu64, c->id);
	conn_ref(c);
	release(l);
	if (conn_open(c))
		l->cl->refused(c, &rep);
	conn_unref(c);
}

static void on_joined(struct conn *c, const struct cash_reply *rep)
{
	struct lobby *l = of(c);
	bool cancel = l->cancel;

	if (c != l->cur)
		return; /* given up on (timeout): its answer is not awaited */
	if (!rep->err && strcmp(rep->result, "ok") == 0)
		return; /* seated: the attach answers */
	if (!rep->err && strcmp(rep->result, "already_seated") == 0 && !c->table &&
	    l->seated_retries < LOBBY_SEATED_RETRIES) {
		/* Its socket left that seat: the database has not cleared it
		 * yet (a bust or a leave being written). */
		l->seated_retries++;
		loop_timer_arm(&l->retry_timer, LOBBY_SEATED_RETRY_MS);
		return;
	}
	release(l);
	if (cancel && !rep->err)
		l->cl->left(c);
	else
		l->cl->refused(c, rep);
}

static void on_attached(struct conn *c, int err, const char *message)
{
	struct lobby *l = of(c);

	if (c != l->cur) {
		if (err)
			log_event(LOG_INFO, "lobby_attach_failed", "conn=%" PRIu64 " error=\"%s\"",
				  c->id, message ? message : "");
		return;
	}
	if (err && l->cancel) {
		release(l);
		l->cl->left(c);
		return;
	}
	if (err && l->attach_retries < LOBBY_ATTACH_RETRIES) {
		/* The table ended under the new seat (its last player left
		 * meanwhile: the buy-in went back): ask again. */
		log_event(LOG_INFO, "lobby_attach_retry", "conn=%" PRIu64 " error=\"%s\"", c->id,
			  message ? message : "");
		l->attach_retries++;
		ask(l);
		return;
	}
	if (err) {
		struct cash_reply rep = { .err = err, .seat = -1,
					  .message = message ? message : "Could not seat you: try again" };

		release(l);
		l->cl->refused(c, &rep);
		return;
	}
	lobby_queue_seated(&l->q, loop_mono_ms() - l->started_ms);
	if (l->cancel && c->table && c->seat >= 0)
		table_leave(c->table, c->seat, c->agent_id, "leave", 0);
	release(l);
}

struct lobby *lobby_new(struct tables *r, struct loop *loop)
{
	struct lobby *l = calloc(1, sizeof(*l));

	if (!l)
		return NULL;
	if (lobby_queue_init(&l->q, LOBBY_MAX_WAITING) != LOBBY_QUEUE_OK) {
		free(l);
		return NULL;
	}
	l->r = r;
	loop_timer_init(&l->pump_timer, loop, pump, l);
	loop_timer_init(&l->retry_timer, loop, retry, l);
	loop_timer_init(&l->step_timer, loop, step_timeout, l);
	return l;
}

void lobby_free(struct lobby *l)
{
	if (!l)
		return;
	loop_timer_cancel(&l->pump_timer);
	loop_timer_cancel(&l->retry_timer);
	loop_timer_cancel(&l->step_timer);
	if (l->cur)
		conn_unref(l->cur);
	lobby_queue_free(&l->q);
	free(l);
}

int lobby_join(struct lobby *l, struct conn *c, int64_t buy_in_chips, bool rebuy,
	       const struct lobby_client *cl)
{
	struct lobby_entry e = { .who = c, .buy_in_chips = buy_in_chips,
				 .queued_ms = loop_mono_ms(), .rebuy = rebuy };
	char wait[24];
	int pos;

	if (lobby_has(l, c))
		return LOBBY_EALREADY;
	pos = lobby_queue_push(&l->q, &e);
	if (pos == LOBBY_QUEUE_EFULL)
		return LOBBY_EFULL;
	if (pos < 0)
		return LOBBY_EALREADY;
	l->cl = cl;
	/* Its place counts the player being seated, who is ahead of it. */
	pos += l->cur ? 1 : 0;
	log_event(LOG_INFO, "lobby_queued", "conn=%" PRIu64 " position=%d buy_in=%" PRId64
		  " rebuy=%d", c->id, pos, buy_in_chips, rebuy);
	cl->queued(c, pos, lobby_queue_wait_text(lobby_queue_wait_ms(&l->q, pos), wait,
						 sizeof(wait)));
	pump_soon(l);
	return LOBBY_OK;
}

bool lobby_has(const struct lobby *l, const struct conn *c)
{
	return l->cur == c || lobby_queue_position(&l->q, c) > 0;
}

enum lobby_leave lobby_leave(struct lobby *l, struct conn *c)
{
	if (lobby_queue_remove(&l->q, c))
		return LOBBY_REMOVED;
	if (l->cur == c) {
		l->cancel = true;
		return LOBBY_LEAVE_SEATED;
	}
	return LOBBY_NOT_QUEUED;
}

void lobby_forget(struct lobby *l, struct conn *c)
{
	if (!l)
		return;
	lobby_queue_remove(&l->q, c);
	if (l->cur == c)
		release(l);
}

int lobby_length(const struct lobby *l)
{
	return l->q.len + (l->cur ? 1 : 0);
}

const char *lobby_strerror(int err)
{
	switch (err) {
	case LOBBY_OK: return "ok";
	case LOBBY_EALREADY: return "already in the lobby";
	case LOBBY_EFULL: return "the lobby queue is full";
	case LOBBY_ENOMEM: return "out of memory";
	default: return "unknown lobby error";
	}
}
