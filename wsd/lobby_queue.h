/*
 * lobby_queue.h — the Open Poker lobby's waiting line, as plain data: who
 * waits, in arrival order, bounded, and how long the wait should be.  No
 * I/O and no clock (times come in as arguments), so it is unit-tested on its
 * own (t/unit/wsd/test_lobby_queue.c); lobby.c drives it.
 */
#ifndef FELT_WSD_LOBBY_QUEUE_H
#define FELT_WSD_LOBBY_QUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum lobby_queue_err {
	LOBBY_QUEUE_OK = 0,
	LOBBY_QUEUE_EFULL = -1,   /* cap entries wait already */
	LOBBY_QUEUE_EDUP = -2,    /* this owner waits already */
	LOBBY_QUEUE_ENOMEM = -3,
};

/* The wait assumed per player ahead before any seating was measured. */
#define LOBBY_QUEUE_DEFAULT_SEAT_MS 200

struct lobby_entry {
	void *who;                /* the waiting client (compared, never read) */
	int64_t buy_in_chips;
	int64_t queued_ms;        /* when it was queued (the caller's clock) */
	bool rebuy;               /* an automatic rebuy after a bust */
};

struct lobby_queue {
	struct lobby_entry *e;    /* e[0] is the head */
	int len, cap;
	int64_t seat_ms;          /* smoothed time to seat one player */
};

/* lobby_queue_init — an empty queue holding at most cap entries (cap >= 1).
 * Returns 0 or LOBBY_QUEUE_ENOMEM. */
int lobby_queue_init(struct lobby_queue *q, int cap);

/* lobby_queue_free — release q's memory (q is empty afterwards). */
void lobby_queue_free(struct lobby_queue *q);

/*
 * lobby_queue_push — e joins the tail.  Returns its 1-based place in q, or
 * LOBBY_QUEUE_EDUP (e->who waits already) or LOBBY_QUEUE_EFULL.
 */
int lobby_queue_push(struct lobby_queue *q, const struct lobby_entry *e);

/* lobby_queue_position — who's 1-based place in q, 0 when it is not there. */
int lobby_queue_position(const struct lobby_queue *q, const void *who);

/* lobby_queue_remove — take who out of q (the others keep their order);
 * false when it was not there. */
bool lobby_queue_remove(struct lobby_queue *q, const void *who);

/* lobby_queue_pop — take the head into *out; false when q is empty. */
bool lobby_queue_pop(struct lobby_queue *q, struct lobby_entry *out);

/* lobby_queue_seated — one player took elapsed_ms to seat: the estimate
 * moves a quarter of the way towards it. */
void lobby_queue_seated(struct lobby_queue *q, int64_t elapsed_ms);

/* lobby_queue_wait_ms — the expected wait of the player at 1-based place
 * position: position times the smoothed seating time. */
int64_t lobby_queue_wait_ms(const struct lobby_queue *q, int position);

/* lobby_queue_wait_text — ms as Open Poker's estimated_wait, "~Ns" (whole
 * seconds rounded up, at least 1) into buf of len bytes; returns buf. */
char *lobby_queue_wait_text(int64_t ms, char *buf, size_t len);

/* lobby_queue_strerror — the text of a lobby_queue_err. */
const char *lobby_queue_strerror(int err);

#endif
