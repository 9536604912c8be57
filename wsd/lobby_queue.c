/*
 * lobby_queue.c — the lobby's waiting line: an array kept in arrival order
 * (removal from the middle shifts the rest; the queue is bounded, so this
 * stays cheap).
 */
#include "lobby_queue.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int lobby_queue_init(struct lobby_queue *q, int cap)
{
	memset(q, 0, sizeof(*q));
	if (cap < 1)
		cap = 1;
	q->e = calloc((size_t)cap, sizeof(*q->e));
	if (!q->e)
		return LOBBY_QUEUE_ENOMEM;
	q->cap = cap;
	q->seat_ms = LOBBY_QUEUE_DEFAULT_SEAT_MS;
	return LOBBY_QUEUE_OK;
}

void lobby_queue_free(struct lobby_queue *q)
{
	free(q->e);
	q->e = NULL;
	q->len = q->cap = 0;
}

int lobby_queue_position(const struct lobby_queue *q, const void *who)
{
	int i;

	for (i = 0; i < q->len; i++)
		if (q->e[i].who == who)
			return i + 1;
	return 0;
}

int lobby_queue_push(struct lobby_queue *q, const struct lobby_entry *e)
{
	if (lobby_queue_position(q, e->who))
		return LOBBY_QUEUE_EDUP;
	if (q->len >= q->cap)
		return LOBBY_QUEUE_EFULL;
	q->e[q->len++] = *e;
	return q->len;
}

bool lobby_queue_remove(struct lobby_queue *q, const void *who)
{
	int at = lobby_queue_position(q, who) - 1;

	if (at < 0)
		return false;
	memmove(&q->e[at], &q->e[at + 1], (size_t)(q->len - at - 1) * sizeof(*q->e));
	q->len--;
	return true;
}

bool lobby_queue_pop(struct lobby_queue *q, struct lobby_entry *out)
{
	if (q->len == 0)
		return false;
	*out = q->e[0];
	return lobby_queue_remove(q, out->who);
}

void lobby_queue_seated(struct lobby_queue *q, int64_t elapsed_ms)
{
	if (elapsed_ms < 0)
		elapsed_ms = 0;
	q->seat_ms += (elapsed_ms - q->seat_ms) / 4;
}

int64_t lobby_queue_wait_ms(const struct lobby_queue *q, int position)
{
	return (int64_t)(position > 0 ? position : 1) * q->seat_ms;
}

char *lobby_queue_wait_text(int64_t ms, char *buf, size_t len)
{
	int64_t s = ms > 0 ? (ms + 999) / 1000 : 1;

	snprintf(buf, len, "~%" PRId64 "s", s > 0 ? s : 1);
	return buf;
}

const char *lobby_queue_strerror(int err)
{
	switch (err) {
	case LOBBY_QUEUE_OK: return "ok";
	case LOBBY_QUEUE_EFULL: return "the lobby queue is full";
	case LOBBY_QUEUE_EDUP: return "already in the lobby queue";
	case LOBBY_QUEUE_ENOMEM: return "out of memory";
	default: return "unknown lobby queue error";
	}
}
