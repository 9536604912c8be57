/* bot_run — the run as a whole: completion, stopping, the tick, the keys file.
 * See bot_run.h. */
#include "bot_run.h"

#include <string.h>

#include "core/log.h"

#define BOT_TICK_US 100000

void bot_run_check(struct bot_run *r)
{
	r->check_due = true;
}

static bool complete(const struct bot_run *r)
{
	for (int i = 0; i < r->n_agents; i++) {
		const struct bot_agent *a = &r->agents[i];

		if (a->state == AG_DONE || a->state == AG_FAILED)
			continue;
		if (a->state == AG_PLAY && bot_agent_satisfied(a))
			continue;
		return false;
	}
	return true;
}

void bot_run_stop(struct bot_run *r, const char *why)
{
	if (r->stopping)
		return;
	r->stopping = true;
	r->stop_deadline_us = bot_now_us() + (int64_t)BOT_STOP_GRACE_S * 1000000;
	log_event(LOG_INFO, "bot_stopping", "why=%s", why);
	for (int i = 0; i < r->n_agents; i++) {
		struct bot_agent *a = &r->agents[i];
		struct bot_out o;

		lws_sul_cancel(&a->sul_retry);
		lws_sul_cancel(&a->sul_think);
		switch (a->state) {
		case AG_DONE:
		case AG_FAILED:
			break;
		case AG_IDLE:
		case AG_REGISTER:
		case AG_JOIN:
			/* a request in flight finishes the agent when it answers */
			if (!a->holds[BOT_POOL_HTTP])
				a->state = AG_DONE;
			break;
		case AG_CONNECT:
			bot_agent_done(a);
			break;
		case AG_PLAY:
			if (r->opts->protocol == BOT_PROTOCOL_MOLTPOKER) {
				bot_agent_done(a);
				break;
			}
			/* Open Poker: leave the table so the stack goes back to the balance. */
			open_stop(&a->p.open, &o);
			if (o.send && bot_conn_send(a, o.text, strlen(o.text), false) == 0)
				a->leave_by_us = r->stop_deadline_us;
			else
				bot_agent_done(a);
			break;
		}
	}
}

/* While stopping: done when no socket and no request is left, or the grace is over. */
static bool stopped(struct bot_run *r, int64_t now)
{
	bool busy = r->pool[BOT_POOL_HTTP].inflight > 0;

	for (int i = 0; i < r->n_agents; i++) {
		struct bot_agent *a = &r->agents[i];

		if (a->leave_by_us && now > a->leave_by_us && a->state == AG_PLAY) {
			log_event(LOG_WARN, "bot_leave_timeout", "agent=%d", a->index);
			bot_agent_done(a);
		}
		busy |= a->wsi != NULL;
	}
	return !busy || now > r->stop_deadline_us + 2000000;
}

static void on_tick(lws_sorted_usec_list_t *sul)
{
	struct bot_run *r = lws_container_of(sul, struct bot_run, tick);
	int64_t now = bot_now_us();

	if (*r->signals >= 2) { /* a second Ctrl-C: no more waiting */
		r->finished = true;
		lws_cancel_service(r->cx);
		return;
	}
	if (*r->signals)
		bot_run_stop(r, "signal");
	bot_pool_refill(r, BOT_POOL_HTTP, now);
	if (*r->snapshots != r->snapshots_done) {
		char line[1024];

		r->snapshots_done = *r->snapshots;
		bot_stats_snapshot(&r->stats, (double)(now - r->start_us) / 1e6, line, sizeof line);
		puts(line);
		fflush(stdout);
	}
	if (r->opts->duration_s && now - r->start_us >= (int64_t)r->opts->duration_s * 1000000)
		bot_run_stop(r, "duration");
	if (r->check_due && !r->stopping) {
		r->check_due = false;
		if (complete(r))
			bot_run_stop(r, "complete");
	}
	if (r->stopping && stopped(r, now)) {
		r->finished = true;
		lws_cancel_service(r->cx);
		return;
	}
	lws_sul_schedule(r->cx, 0, &r->tick, on_tick, BOT_TICK_US);
}

void bot_run_begin(struct bot_run *r, volatile sig_atomic_t *sigcount,
		   volatile sig_atomic_t *usr1count)
{
	r->signals = sigcount;
	r->snapshots = usr1count;
	r->pool[BOT_POOL_HTTP].limit = BOT_HTTP_SLOTS;
	r->pool[BOT_POOL_HTTP].rate = r->opts->rate;
	r->pool[BOT_POOL_HTTP].tokens = 1.0;
	r->pool[BOT_POOL_CONNECT].limit = BOT_CONNECT_SLOTS;
	r->start_us = bot_now_us();
	r->pool[BOT_POOL_HTTP].refilled_us = r->start_us;
	r->stats.agents = r->n_agents;
	for (int i = 0; i < r->n_agents; i++) {
		r->agents[i].run = r;
		r->agents[i].index = i;
		bot_agent_start(&r->agents[i]);
	}
	r->check_due = true;
	lws_sul_schedule(r->cx, 0, &r->tick, on_tick, BOT_TICK_US);
}

void bot_run_keys_append(struct bot_run *r, const struct bot_agent *a)
{
	if (!r->keys_out)
		return;
	if (fprintf(r->keys_out, "%s %s %s\n", a->api_key, a->agent_id, a->name) < 0 ||
	    fflush(r->keys_out) != 0)
		log_event(LOG_WARN, "bot_keys_write_failed", "agent=%d", a->index);
}
