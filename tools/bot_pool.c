/* bot_pool — slots for what agents may only do so many at a time.  See bot_run.h. */
#include "bot_run.h"

/* A slot may be taken: one is free, and the pool's rate (if any) has a start left. */
static bool pool_open(const struct bot_pool *p)
{
	return p->inflight < p->limit && (!p->rate || p->tokens >= 1.0);
}

static void pool_start(struct bot_pool *p, struct bot_agent *a, enum bot_pool_id id)
{
	p->inflight++;
	if (p->rate)
		p->tokens -= 1.0;
	a->holds[id] = true;
}

bool bot_pool_take(struct bot_agent *a, enum bot_pool_id id, void (*step)(struct bot_agent *))
{
	struct bot_pool *p = &a->run->pool[id];

	if (a->holds[id])
		return true; /* kept for us when our turn came */
	if (pool_open(p) && !p->head) {
		pool_start(p, a, id);
		return true;
	}
	a->step = step;
	a->wait_next = NULL;
	if (p->tail)
		p->tail->wait_next = a;
	else
		p->head = a;
	p->tail = a;
	return false;
}

/* Hand free slots to the agents waiting first in line. */
static void pool_next(struct bot_run *r, enum bot_pool_id id)
{
	struct bot_pool *p = &r->pool[id];
	struct bot_agent *next;

	while (pool_open(p) && (next = p->head)) {
		p->head = next->wait_next;
		if (!p->head)
			p->tail = NULL;
		if (next->state == AG_DONE || next->state == AG_FAILED)
			continue;
		pool_start(p, next, id);
		bot_agent_resume(next);
	}
}

void bot_pool_give(struct bot_agent *a, enum bot_pool_id id)
{
	if (!a->holds[id])
		return;
	a->holds[id] = false;
	a->run->pool[id].inflight--;
	pool_next(a->run, id);
}

void bot_pool_refill(struct bot_run *r, enum bot_pool_id id, int64_t now)
{
	struct bot_pool *p = &r->pool[id];
	double cap = p->rate / 10.0 > 1.0 ? p->rate / 10.0 : 1.0;

	if (!p->rate)
		return;
	p->tokens += p->rate * (double)(now - p->refilled_us) / 1e6;
	if (p->tokens > cap)
		p->tokens = cap;
	p->refilled_us = now;
	pool_next(r, id);
}
