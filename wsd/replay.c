/*
 * replay.c — a table's recent public frames: a ring of at most
 * REPLAY_MAX_FRAMES texts, oldest first (replay.h).
 */
#include "replay.h"

#include <stdlib.h>
#include <string.h>

struct replay_frame {
	int hand;
	int64_t seq;
	size_t len;
	char *text;
};

struct replay {
	struct replay_frame f[REPLAY_MAX_FRAMES];
	int head, n;          /* the oldest frame and how many */
	size_t bytes;
};

struct replay *replay_new(void)
{
	return calloc(1, sizeof(struct replay));
}

static struct replay_frame *nth(struct replay *r, int i)
{
	return &r->f[(r->head + i) % REPLAY_MAX_FRAMES];
}

static void drop_oldest(struct replay *r)
{
	struct replay_frame *f = nth(r, 0);

	r->bytes -= f->len;
	free(f->text);
	memset(f, 0, sizeof(*f));
	r->head = (r->head + 1) % REPLAY_MAX_FRAMES;
	r->n--;
}

void replay_free(struct replay *r)
{
	if (!r)
		return;
	while (r->n)
		drop_oldest(r);
	free(r);
}

int replay_add(struct replay *r, int hand, int64_t seq, const char *text, size_t len)
{
	struct replay_frame *f;
	char *copy;

	if (len > REPLAY_MAX_BYTES)
		return -1;
	copy = malloc(len + 1);
	if (!copy)
		return -1;
	memcpy(copy, text, len);
	copy[len] = '\0';
	while (r->n && (nth(r, 0)->hand < hand - 1 || r->n == REPLAY_MAX_FRAMES ||
			r->bytes + len > REPLAY_MAX_BYTES))
		drop_oldest(r);
	f = nth(r, r->n);
	f->hand = hand;
	f->seq = seq;
	f->len = len;
	f->text = copy;
	r->n++;
	r->bytes += len;
	return 0;
}

int replay_since(const struct replay *r, int64_t after, replay_frame_cb *cb, void *arg)
{
	int i, count = 0;

	for (i = 0; i < r->n; i++) {
		const struct replay_frame *f = &r->f[(r->head + i) % REPLAY_MAX_FRAMES];

		if (f->seq > after) {
			cb(arg, f->seq, f->text, f->len);
			count++;
		}
	}
	return count;
}

size_t replay_bytes(const struct replay *r)
{
	return r ? r->bytes : 0;
}
