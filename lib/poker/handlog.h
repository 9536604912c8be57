/*
 * handlog — the log of one hand: how it started (the configuration, the deck
 * seed and its commitment) and every engine event in order, each with the
 * time it happened, and for the players' actions whether it was a timeout
 * and the agent's reasoning.  It is the one source of everything said about
 * a hand: the live broadcasts, the stored history (hands.events, as JSON)
 * and PHH exports.
 *
 * The log drives the engine: a table runtime calls handlog_start /
 * handlog_apply / handlog_muck / handlog_settle instead of hand_start /
 * hand_apply / hand_muck / hand_settle, and each call moves the events the
 * engine emitted into the log (clearing h->events), so that nothing can be
 * missed and the engine's outbox never fills.
 *
 * How a table runtime uses it:
 *
 *     struct handlog log;
 *     handlog_init(&log);                           once per table
 *     ...
 *     handlog_start(&log, &h, &cfg, seed, shuffler, now_ms);   each hand
 *     while (h.phase == HAND_PHASE_BETTING)
 *             handlog_apply(&log, &h, seat, &action, now_ms, timeout, reasoning);
 *     if (h.phase == HAND_PHASE_SHOWDOWN)
 *             handlog_settle(&log, &h, now_ms);
 *     handlog_json(&log, &events);   -> hands.events, committed with the hand
 *     ...
 *     handlog_free(&log);                           when the table goes
 *
 * After each call the new entries are log.entries[seen .. log.n - 1]: every
 * consumer (each dialect's broadcaster, a spectator feed) keeps its own
 * index `seen` (reset to 0 at handlog_start) and sends each new entry to
 * each recipient for which view_event_visible(&entry->ev, viewer) is true
 * (view.h).  log.entries may move when the log grows: keep indexes, never
 * pointers, across calls.
 *
 * Bounds.  A hand has no fixed number of events: a raise war lasts as long
 * as the stacks allow.  The log grows as needed up to HANDLOG_MAX_ENTRIES;
 * within HANDLOG_RESERVE of that it refuses raises (HANDLOG_EFULL) but not
 * folds, checks and calls, and a hand without raises ends within 4 streets
 * x 10 seats of actions plus a settlement (< HANDLOG_RESERVE events), so a
 * hand always finishes.  Reasoning is copied, at most
 * HANDLOG_REASONING_MAX bytes per action and HANDLOG_REASONING_TOTAL per
 * hand (beyond that it is not kept).  So a log holds at most about
 * 4,096 x 48 bytes + 1 MiB, its JSON is at most HANDLOG_JSON_MAX_BYTES and
 * its PHH always fits a struct phh_hand.  A real hand is a few dozen
 * entries; refusing raises takes about 3,500 actions in one hand, which
 * only a min-raise war over stacks of well over 1,000 big blinds reaches.
 *
 * Errors: the engine's refusals come back unchanged (negative hand_error
 * codes, hand.h); the log's own are the handlog_error codes below, all
 * below -100.  handlog_strerror names both.  When handlog_apply,
 * handlog_muck or handlog_settle fails, neither the hand nor the log has
 * changed.
 */
#ifndef FELT_HANDLOG_H
#define FELT_HANDLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "poker/deck.h"
#include "poker/hand.h"
#include "poker/phh.h"

#define HANDLOG_MAX_ENTRIES 4096 /* = PHH_MAX_ACTIONS */
#define HANDLOG_RESERVE 512
#define HANDLOG_REASONING_MAX 2000           /* bytes kept per action */
#define HANDLOG_REASONING_TOTAL (1024 * 1024) /* bytes kept per hand */
#define HANDLOG_JSON_MAX_BYTES (16 * 1024 * 1024)

enum handlog_error {
	HANDLOG_OK = 0,
	HANDLOG_ENOMEM = -101, /* out of memory: nothing was applied */
	HANDLOG_EFULL = -102,  /* the log is nearly full: raises are refused,
				  fold, check or call */
	HANDLOG_ESTATE = -103, /* the call does not fit the log (no hand started) */
	HANDLOG_EJSON = -104,  /* handlog_from_json: not a valid stored log */
	HANDLOG_EPHH = -105,   /* handlog_phh: the log is not one hand from its
				  start (nothing started) */
};

/* One thing that happened in the hand. */
struct handlog_entry {
	struct hand_event ev;  /* what the engine reported (hand.h) */
	int64_t at_ms;         /* when (the caller's clock, ms) */
	int32_t reasoning;     /* offset of the agent's reasoning in the log's
				  text (handlog_reasoning), -1 when none */
	bool action;           /* a player's action: fold/check/call/raise */
	bool timeout;          /* action: the safety default on a timeout */
};

struct handlog {
	/* The start: hand_config as the engine took it (min_bet filled in). */
	struct hand_config cfg;
	bool has_seed;         /* false for hands dealt from a given deck */
	uint8_t seed[DECK_SEED_SIZE];
	uint8_t commitment[DECK_COMMITMENT_SIZE];
	int64_t started_ms;
	bool started;          /* a hand was started (or read from JSON) */
	/* The events, in order. */
	int n;
	struct handlog_entry *entries;
	/* private: capacity and the reasoning text */
	int cap;
	char *text;
	size_t text_len, text_cap;
};

/* handlog_init — an empty log (no allocation yet). */
void handlog_init(struct handlog *log);

/* handlog_free — release what log holds; it is then empty, as after
 * handlog_init.  NULL is allowed. */
void handlog_free(struct handlog *log);

/*
 * handlog_start — begin a hand in h: shuffle a deck from seed (32 bytes
 * from getrandom(), deck.h) with shuffler (or deck_shuffle when NULL),
 * compute its commitment, hand_start(h, cfg, deck), and record the start
 * and the events (blinds, hole cards, any run-out).  The log forgets the
 * previous hand (its memory is reused).  Returns 0, HAND_ECONFIG (bad
 * cfg: the log is then empty) or HANDLOG_ENOMEM.
 */
int handlog_start(struct handlog *log, struct hand *h, const struct hand_config *cfg,
		  const uint8_t seed[DECK_SEED_SIZE], struct deck_shuffler *shuffler,
		  int64_t now_ms);

/*
 * handlog_start_deck — handlog_start with a deck the caller laid out
 * (tests, PHH replays): no seed or commitment is recorded.
 */
int handlog_start_deck(struct handlog *log, struct hand *h, const struct hand_config *cfg,
		       const struct deck *deck, int64_t now_ms);

/*
 * handlog_apply — hand_apply(h, seat, a) and record its events at now_ms.
 * The action's entry gets timeout (true when the runtime applied the
 * safety default, hand_timeout_action) and a copy of reasoning (NULL or a
 * NUL-terminated string; cut to HANDLOG_REASONING_MAX bytes at a character
 * boundary, invalid UTF-8 replaced by U+FFFD, so that it can always be
 * stored as JSON).  Returns 0, the engine's hand_error (nothing applied),
 * HANDLOG_EFULL or HANDLOG_ENOMEM.
 */
int handlog_apply(struct handlog *log, struct hand *h, int seat, const struct hand_action *a,
		  int64_t now_ms, bool timeout, const char *reasoning);

/* handlog_muck — hand_muck(h, seat) and record it.  Returns as hand_muck,
 * or HANDLOG_ENOMEM. */
int handlog_muck(struct handlog *log, struct hand *h, int seat, int64_t now_ms);

/* handlog_settle — hand_settle(h) and record the shows, pots and awards.
 * Returns as hand_settle, or HANDLOG_ENOMEM. */
int handlog_settle(struct handlog *log, struct hand *h, int64_t now_ms);

/* handlog_reasoning — the reasoning of entry i (owned by the log, valid
 * until the log changes), or NULL when it has none. */
const char *handlog_reasoning(const struct handlog *log, int i);

/* handlog_done — whether the log holds a whole hand (its last entry is
 * HAND_EV_END). */
bool handlog_done(const struct handlog *log);

/*
 * handlog_final_stacks — each seat's stack after the events in the log
 * (for a finished hand, its final stacks), computed from the start and the
 * events alone, into stacks_chips[0 .. cfg.nseats-1].
 */
void handlog_final_stacks(const struct handlog *log, int64_t stacks_chips[HAND_MAX_SEATS]);

/*
 * handlog_json — the log as the JSON array stored in hands.events, into
 * *out (a new json-c reference the caller releases with json_object_put).
 * Entry 0 is the start:
 *   {"type":"start","at":MS,"nseats":N,"button":S,"stacks":[..],
 *    "antes":[..],"sb":C,"bb":C,"min_bet":C,"ante_trimming":B,"rake_bp":BP,
 *    "rake_cap":C,"show_all":B,"sb_seat":S,"bb_seat":S,"posts":[..],
 *    "seed":HEX,"commitment":HEX}
 * (sb_seat and bb_seat only for blinds placed by the caller, sb_seat -1
 * for a dead small blind; posts only when someone posted; seed and
 * commitment only for hands dealt from a seed); then one object
 * per event: "type" (hand_event_name), "at" (ms) and "street"
 * (hand_street_name) always, and by type:
 *   ante, small_blind, big_blind  seat, amount, all_in
 *   hole                          seat, cards
 *   fold, check                   seat, timeout, reasoning?
 *   call                          seat, amount (added), bet (after), all_in,
 *                                 timeout, reasoning?
 *   raise                         seat, amount (raise-to), all_in, timeout,
 *                                 reasoning?
 *   return                        seat, amount
 *   street                        cards (the cards dealt)
 *   show                          seat, cards, rank (eval.h value)
 *   muck                          seat
 *   pot                           pot (0 = main), amount, eligible [seats]
 *   rake                          pot, amount
 *   award                         seat, pot, amount
 *   end                           -
 * Chips are integers, cards strings ("As"), seats 0-based.  These names are
 * stable: stored hands are read back with them.  Returns 0 or
 * HANDLOG_ENOMEM.
 */
struct json_object;
int handlog_json(const struct handlog *log, struct json_object **out);

/*
 * handlog_from_json — read a log written by handlog_json (text[0..len-1],
 * e.g. hands.events as PostgreSQL returns it: member order and spacing do
 * not matter) into log (handlog_init'ed or used; its previous contents are
 * dropped).  Strict: every member is checked for presence, type and range
 * (seats inside the table, cards valid and never dealt twice, chips
 * 0 .. HAND_MAX_CHIPS, known types only, no unknown members), at most
 * HANDLOG_JSON_MAX_BYTES and HANDLOG_MAX_ENTRIES entries.  Returns 0, or
 * HANDLOG_EJSON with a one-line reason in err (errlen bytes, may be NULL),
 * or HANDLOG_ENOMEM; on error log is left empty.
 */
int handlog_from_json(struct handlog *log, const char *text, size_t len, char *err,
		      size_t errlen);

/*
 * handlog_phh — the PHH record of the hand in log as viewer may see it
 * (view.h: VIEW_PLATFORM every hole card, a seat its own and the ones shown
 * at showdown, VIEW_SPECTATOR only shown ones; any other card is written
 * `??`).  Players in PHH order (p1 = the first seat dealt in after the
 * button), antes and blinds positional as PokerKit expects, every deal,
 * action, show and muck, and finishing_stacks once the hand is done.  It
 * replays in felt-replay (replay.h) to the same final stacks.  Returns 0 or
 * HANDLOG_EPHH when no hand was started.
 */
int handlog_phh(const struct handlog *log, int viewer, struct phh_hand *out);

/* handlog_strerror — static English text for a handlog_error or hand_error. */
const char *handlog_strerror(int err);

#endif
