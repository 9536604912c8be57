/* bot_agent — an agent's life cycle and REST steps.  See bot_run.h. */
#include "bot_run.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bot_http.h"
#include "core/log.h"

#define BOT_RATE_WAITS 20 /* 429 answers an agent waits out before giving up */

static void step_register(struct bot_agent *a);
static void step_join(struct bot_agent *a);
static void step_connect(struct bot_agent *a);

int64_t bot_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static bool molt(const struct bot_agent *a)
{
	return a->run->opts->protocol == BOT_PROTOCOL_MOLTPOKER;
}

static void on_retry(lws_sorted_usec_list_t *sul)
{
	struct bot_agent *a = lws_container_of(sul, struct bot_agent, sul_retry);

	/* a signal stops everything at once, even before the tick sees it */
	if (a->run->stopping || *a->run->signals) {
		bot_agent_done(a);
		return;
	}
	a->step(a);
}

void bot_agent_resume(struct bot_agent *a)
{
	lws_sul_schedule(a->run->cx, 0, &a->sul_retry, on_retry, 1);
}

/* Run step after delay_us (0: on the next loop turn, never from inside a callback chain). */
static void schedule(struct bot_agent *a, void (*step)(struct bot_agent *), int64_t delay_us)
{
	a->step = step;
	lws_sul_schedule(a->run->cx, 0, &a->sul_retry, on_retry, delay_us > 0 ? delay_us : 1);
}

/* Exponential backoff from 250 ms to 8 s, with ±25 % jitter so agents do not stampede. */
static int64_t backoff_us(struct bot_agent *a)
{
	int n = a->attempts < 1 ? 1 : a->attempts > 6 ? 6 : a->attempts;
	int64_t base = (int64_t)250000 << (n - 1);
	uint64_t rng = (uint64_t)bot_now_us() ^ ((uint64_t)a->index << 32);

	return base * 3 / 4 + (int64_t)(bot_rng_next(&rng) % (uint64_t)(base / 2 + 1));
}

/* One more failure of the current step: retry after a backoff, or give up. */
static void retry(struct bot_agent *a, void (*step)(struct bot_agent *), const char *why)
{
	if (++a->attempts > a->run->opts->retries) {
		char reason[160];

		snprintf(reason, sizeof reason, "%s (after %d attempts)", why, a->attempts);
		bot_agent_fail(a, reason);
		return;
	}
	if (log_enabled(LOG_DEBUG)) {
		char q[160];

		log_event(LOG_DEBUG, "bot_retry", "agent=%d step_failed=%s attempt=%d", a->index,
			  log_quote(why, q, sizeof q), a->attempts);
	}
	schedule(a, step, backoff_us(a));
}

/*
 * Common handling of a REST answer: true when it is the expected success;
 * otherwise the step is retried (no answer, 5xx, 429) or the agent fails
 * (any other 4xx, with the surface's error code).
 */
static bool answer_ok(struct bot_agent *a, int status, int want, const char *body, size_t len,
		      int retry_after_s, void (*step)(struct bot_agent *), const char *what)
{
	char code[64], why[128];

	if (a->run->finished) /* the context is being torn down: no new work */
		return false;
	bot_pool_give(a, BOT_POOL_HTTP);
	a->run->stats.http_requests++;
	if (a->run->stopping) {
		bot_agent_done(a);
		return false;
	}
	if (status == want)
		return true;
	a->run->stats.http_retries++;
	if (status == 429) {
		static bool warned;

		if (!warned) {
			warned = true;
			log_event(LOG_WARN, "bot_rate_limited",
				  "what=%s retry_after_s=%d hint=\"the server limits %s per address "
				  "(nginx FELT_REGISTER_RATE); waiting\"",
				  what, retry_after_s, what);
		}
		if (++a->rate_waits > BOT_RATE_WAITS) {
			bot_agent_fail(a, "rate limited too long (429)");
			return false;
		}
		schedule(a, step, (int64_t)(retry_after_s > 0 ? retry_after_s : 1) * 1000000);
		return false;
	}
	if (status == 0 || status >= 500) {
		snprintf(why, sizeof why, "%s: %s", what, status ? "server error" : "no answer");
		if (status)
			snprintf(why, sizeof why, "%s: HTTP %d", what, status);
		retry(a, step, why);
		return false;
	}
	bot_rest_error_code(status, body, len, code, sizeof code);
	snprintf(why, sizeof why, "%s: HTTP %d %s", what, status, code);
	/* A seat race (the table filled or started meanwhile) is worth another try. */
	if (strcmp(code, "TABLE_FULL") == 0 || strcmp(code, "INVALID_TABLE_STATE") == 0) {
		retry(a, step, why);
		return false;
	}
	bot_agent_fail(a, why);
	return false;
}

static void on_register(void *user, int status, const char *body, size_t len, int ra)
{
	struct bot_agent *a = user;

	if (!answer_ok(a, status, 201, body, len, ra, step_register, "register"))
		return;
	if (bot_rest_parse_register(body, len, a->agent_id, a->api_key) != 0) {
		bot_agent_fail(a, "register: the answer lacks agent_id or api_key");
		return;
	}
	a->attempts = 0;
	bot_run_keys_append(a->run, a);
	log_event(LOG_DEBUG, "bot_registered", "agent=%d id=%s name=%s", a->index, a->agent_id,
		  a->name);
	/* The next step starts from the loop, not from inside this connection's callback. */
	if (a->run->opts->register_only)
		bot_agent_done(a);
	else
		schedule(a, molt(a) ? step_join : step_connect, 0);
}

static void step_register(struct bot_agent *a)
{
	struct bot_run *r = a->run;
	char body[256], email[96], path[BOT_URL_PATH_MAX];

	a->state = AG_REGISTER;
	if (!bot_pool_take(a, BOT_POOL_HTTP, step_register))
		return;
	snprintf(a->name, sizeof a->name, "%s_%s_%d", r->opts->name, r->run_tag, a->index);
	snprintf(email, sizeof email, "%s@bots.example.com", a->name);
	if (bot_rest_register_body(a->name, molt(a) ? NULL : email, body, sizeof body) != 0 ||
	    bot_url_join(&r->opts->base_url, molt(a) ? "/v1/agents" : "/api/register", path,
			 sizeof path) != 0) {
		bot_pool_give(a, BOT_POOL_HTTP);
		bot_agent_fail(a, "register: request too long");
		return;
	}
	if (bot_http_start(r->cx, &r->opts->base_url, "POST", path, NULL, body, on_register, a)) {
		bot_pool_give(a, BOT_POOL_HTTP);
		retry(a, step_register, "register: out of memory");
	}
}

int bot_run_table(struct bot_run *r, const char *id)
{
	for (int i = r->n_tables - 1; i >= 0; i--)
		if (strcmp(r->tables[i].id, id) == 0)
			return i;
	if (r->n_tables == r->cap_tables) {
		int cap = r->cap_tables ? r->cap_tables * 2 : 64;
		struct table_count *t = realloc(r->tables, (size_t)cap * sizeof *t);

		if (!t)
			return -1;
		r->tables = t;
		r->cap_tables = cap;
	}
	snprintf(r->tables[r->n_tables].id, sizeof r->tables[0].id, "%s", id);
	r->tables[r->n_tables].hands = 0;
	r->stats.tables = r->n_tables + 1;
	return r->n_tables++;
}

static void on_join(void *user, int status, const char *body, size_t len, int ra)
{
	struct bot_agent *a = user;
	struct bot_join j;

	if (!answer_ok(a, status, 200, body, len, ra, step_join, "auto-join"))
		return;
	if (bot_rest_parse_join(body, len, &j) != 0) {
		bot_agent_fail(a, "auto-join: the answer lacks table_id, seat_id, session_token or ws_url");
		return;
	}
	/* attempts are not reset here: a session refused right after every join must
	 * still run out of retries; a working connection resets them (bot_conn) */
	if (strcmp(j.table_id, a->join.table_id) != 0) {
		a->hands_before += a->hands_table;
		a->hands_table = 0;
		a->table_slot = bot_run_table(a->run, j.table_id);
		molt_agent_init(&a->p.molt, a->run->opts->strategy,
				a->run->opts->seed + (uint64_t)a->index * 0x9E3779B97F4A7C15ull +
				(uint64_t)a->hands_before);
	}
	a->join = j;
	a->table_ended = false;
	log_event(LOG_DEBUG, "bot_joined", "agent=%d table=%s seat=%d", a->index, j.table_id,
		  j.seat_id);
	schedule(a, step_connect, 0);
}

static void step_join(struct bot_agent *a)
{
	struct bot_run *r = a->run;
	char body[160], bucket[80], path[BOT_URL_PATH_MAX];

	a->state = AG_JOIN;
	if (!bot_pool_take(a, BOT_POOL_HTTP, step_join))
		return;
	if (bot_opts_bucket(r->opts, a->index, bucket, sizeof bucket) != 0 ||
	    bot_rest_join_body(bucket, body, sizeof body) != 0 ||
	    bot_url_join(&r->opts->base_url, "/v1/tables/auto-join", path, sizeof path) != 0) {
		bot_pool_give(a, BOT_POOL_HTTP);
		bot_agent_fail(a, "auto-join: request too long");
		return;
	}
	if (bot_http_start(r->cx, &r->opts->base_url, "POST", path, a->api_key, body, on_join, a)) {
		bot_pool_give(a, BOT_POOL_HTTP);
		retry(a, step_join, "auto-join: out of memory");
	}
}

static void step_connect(struct bot_agent *a)
{
	a->state = AG_CONNECT;
	if (!bot_pool_take(a, BOT_POOL_CONNECT, step_connect))
		return;
	a->close_code[0] = '\0';
	a->closing = false;
	bot_conn_open(a);
}

void bot_agent_start(struct bot_agent *a)
{
	const struct bot_opts *o = a->run->opts;

	a->table_slot = -1;
	if (molt(a))
		molt_agent_init(&a->p.molt, o->strategy, o->seed + (uint64_t)a->index);
	else {
		char prefix[24];

		snprintf(prefix, sizeof prefix, "fb%d", a->index);
		open_agent_init(&a->p.open, o->strategy, o->seed + (uint64_t)a->index, o->buy_in,
				o->rejoin, prefix);
	}
	if (!a->api_key[0])
		schedule(a, step_register, 0);
	else if (o->register_only)
		bot_agent_done(a);
	else if (molt(a))
		schedule(a, step_join, 0);
	else
		schedule(a, step_connect, 0);
}

void bot_agent_fail(struct bot_agent *a, const char *reason)
{
	char q[256];

	if (a->state == AG_FAILED || a->state == AG_DONE)
		return;
	log_event(LOG_ERROR, "bot_agent_failed", "agent=%d name=%s reason=%s", a->index,
		  a->name[0] ? a->name : "-", log_quote(reason, q, sizeof q));
	a->run->stats.agents_failed++;
	bot_pool_give(a, BOT_POOL_CONNECT);
	lws_sul_cancel(&a->sul_retry);
	lws_sul_cancel(&a->sul_think);
	a->state = AG_FAILED;
	if (a->wsi) {
		a->closing = true;
		bot_conn_close(a);
	}
	bot_run_check(a->run);
}

void bot_agent_done(struct bot_agent *a)
{
	if (a->state == AG_FAILED || a->state == AG_DONE)
		return;
	bot_pool_give(a, BOT_POOL_CONNECT);
	lws_sul_cancel(&a->sul_retry);
	lws_sul_cancel(&a->sul_think);
	a->state = AG_DONE;
	if (a->wsi) {
		a->closing = true;
		bot_conn_close(a);
	}
	bot_run_check(a->run);
}

bool bot_agent_satisfied(const struct bot_agent *a)
{
	const struct bot_run *r = a->run;
	int64_t table = a->table_slot >= 0 ? r->tables[a->table_slot].hands : 0;

	return r->opts->hands > 0 && a->hands_before + table >= r->opts->hands;
}

void bot_agent_hand(struct bot_agent *a)
{
	struct bot_run *r = a->run;

	r->stats.hand_frames++;
	a->hands_table++;
	if (a->table_slot >= 0 && a->hands_table > r->tables[a->table_slot].hands) {
		r->tables[a->table_slot].hands = a->hands_table;
		r->stats.hands++;
		log_event(LOG_DEBUG, "bot_hand_done", "table=%.8s hands=%lld",
			  r->tables[a->table_slot].id, (long long)a->hands_table);
	}
	if (r->opts->hands && a->hands_before + a->hands_table == r->opts->hands)
		bot_run_check(r); /* this agent just got its hands: maybe the run is complete */
}

void bot_agent_table_ended(struct bot_agent *a)
{
	struct bot_run *r = a->run;

	a->table_ended = true;
	if (molt(a) && r->opts->rejoin && !r->stopping && !bot_agent_satisfied(a)) {
		log_event(LOG_DEBUG, "bot_rejoin", "agent=%d old_table=%s", a->index,
			  a->join.table_id);
		if (a->wsi) {
			a->closing = true;
			bot_conn_close(a);
		}
		a->attempts = 0;
		a->state = AG_JOIN;
		schedule(a, step_join, 1000);
		return;
	}
	bot_agent_done(a);
}

static bool session_gone(const char *code)
{
	return strcmp(code, "SESSION_EXPIRED") == 0 || strcmp(code, "INVALID_SESSION") == 0 ||
	       strcmp(code, "UNAUTHORIZED") == 0;
}

void bot_agent_ws_closed(struct bot_agent *a)
{
	struct bot_run *r = a->run;

	if (a->closing) {
		a->closing = false;
		if (a->state == AG_PLAY || a->state == AG_CONNECT)
			bot_agent_done(a);
		bot_run_check(r);
		return;
	}
	if (a->state == AG_DONE || a->state == AG_FAILED)
		return;
	if (r->stopping) {
		bot_agent_done(a);
		return;
	}
	if (!molt(a)) {
		if (a->p.open.phase == OPEN_DONE) {
			bot_agent_done(a);
			return;
		}
		open_reconnected(&a->p.open);
		a->reconnecting = true;
		retry(a, step_connect, "connection closed");
		return;
	}
	if (a->table_ended || a->p.molt.ended ||
	    strcmp(a->close_code, "TABLE_ENDED") == 0 ||
	    strcmp(a->close_code, "TABLE_NOT_FOUND") == 0) {
		bot_agent_table_ended(a);
		return;
	}
	molt_reconnected(&a->p.molt);
	a->reconnecting = true;
	if (session_gone(a->close_code))
		retry(a, step_join, a->close_code); /* seed 004: on SESSION_EXPIRED, join again */
	else
		retry(a, step_connect, a->close_code[0] ? a->close_code : "connection closed");
}
