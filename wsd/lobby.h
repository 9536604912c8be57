/*
 * lobby.h — the Open Poker lobby of one felt-wsd: a FIFO queue of players
 * waiting for a cash table (reference/openpoker.md §3, §9; DESIGN §4).
 *
 * join_lobby, rebuy and an automatic rebuy after a bust queue the player in
 * arrival order; the players are seated one at a time (at most one
 * cash_join, sql/061, in flight per process, from the moment the request is
 * sent until the player is attached to its seat), so seats follow the
 * queue.  The queue is bounded (LOBBY_MAX_WAITING): a join beyond it is
 * refused.  A player leaves the queue with leave_table or by closing its
 * socket; a leave while it is being seated takes effect once seated (it
 * leaves the table at once, its buy-in going back).
 *
 * A seat the database still holds for a player whose socket has already
 * left it (a bust or leave being written) answers "already_seated": the
 * lobby asks again every LOBBY_SEATED_RETRY_MS, up to
 * LOBBY_SEATED_RETRIES times, before passing that answer on.  A step that
 * takes more than LOBBY_STEP_TIMEOUT_MS is given up (the player is told)
 * so the queue never stalls.
 *
 * The dialect renders every answer (struct lobby_client); the lobby knows
 * no wire format.
 */
#ifndef FELT_WSD_LOBBY_H
#define FELT_WSD_LOBBY_H

#include <stdbool.h>
#include <stdint.h>

#include "conn.h"
#include "tables.h"

#define LOBBY_MAX_WAITING 1000
#define LOBBY_SEATED_RETRY_MS 50
#define LOBBY_SEATED_RETRIES 40
#define LOBBY_ATTACH_RETRIES 2
#define LOBBY_STEP_TIMEOUT_MS 20000

enum lobby_err {
	LOBBY_OK = 0,
	LOBBY_EALREADY = -1,   /* c waits or is being seated already */
	LOBBY_EFULL = -2,      /* LOBBY_MAX_WAITING players wait */
	LOBBY_ENOMEM = -3,
};

/* What a lobby_leave did. */
enum lobby_leave {
	LOBBY_NOT_QUEUED,      /* c was not in the lobby */
	LOBBY_REMOVED,         /* c's entry is gone */
	LOBBY_LEAVE_SEATED,    /* c is being seated: it leaves once seated */
};

/* The dialect's side: how each outcome reaches the client.  c is open
 * whenever one of these is called. */
struct lobby_client {
	/* c is queued at 1-based position, estimated_wait "~Ns". */
	void (*queued)(struct conn *c, int position, const char *estimated_wait);
	/* c was not seated: rep says why (rep->err set, or rep->result
	 * "already_seated" / "insufficient_funds"); c is out of the lobby. */
	void (*refused)(struct conn *c, const struct cash_reply *rep);
	/* c left the lobby (a leave while being seated that found no seat). */
	void (*left)(struct conn *c);
};

struct lobby;

/* lobby_new — an empty lobby seating players through registry r (borrowed).
 * Returns NULL when memory is short. */
struct lobby *lobby_new(struct tables *r, struct loop *loop);

/* lobby_free — free l (the waiting players are simply forgotten). */
void lobby_free(struct lobby *l);

/*
 * lobby_join — queue c (authenticated, not seated) with buy_in_chips (in
 * the configured range: the caller checks); rebuy marks an automatic rebuy.
 * cl->queued is called at once; the rest of cl later.  Returns LOBBY_OK or
 * LOBBY_EALREADY / LOBBY_EFULL / LOBBY_ENOMEM (nothing queued then).
 */
int lobby_join(struct lobby *l, struct conn *c, int64_t buy_in_chips, bool rebuy,
	       const struct lobby_client *cl);

/* lobby_has — true while c waits or is being seated. */
bool lobby_has(const struct lobby *l, const struct conn *c);

/* lobby_leave — c asks to leave (leave_table): see enum lobby_leave. */
enum lobby_leave lobby_leave(struct lobby *l, struct conn *c);

/* lobby_forget — c's socket closed: its entry (if any) goes, silently (l
 * NULL: nothing to do). */
void lobby_forget(struct lobby *l, struct conn *c);

/* lobby_length — players waiting or being seated (the heartbeat's
 * lobby_queue). */
int lobby_length(const struct lobby *l);

/* lobby_strerror — the text of a lobby_err. */
const char *lobby_strerror(int err);

#endif
