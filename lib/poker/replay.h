/*
 * replay — run a PHH hand (phh.h) through the hand engine (hand.h) and judge
 * the outcome against the file's finishing_stacks.  felt-replay is a thin
 * command-line wrapper; the unit tests replay the oracle with it too.
 *
 * Mapping: PHH player k (0-based) sits in seat k and the last player has the
 * button, so p1 is the first seat left of the button and dealing, action after
 * the flop and odd chips all start there.  Heads-up this makes p2 the button
 * and small blind, as PokerKit does; the positional antes array is swapped to
 * match.  The deck is built from the file's cards in the engine's dealing
 * order; unknown cards (`????`) are taken from a shown hand (`sm`) when there
 * is one, otherwise from the unused cards.  Blinds beyond p1's and p2's
 * that are no larger than the big blind are posts (cfg.posts_chips, as
 * felt's cash tables write them); larger ones are straddles, unsupported.
 */
#ifndef FELT_REPLAY_H
#define FELT_REPLAY_H

#include "poker/hand.h"
#include "poker/handlog.h"
#include "poker/phh.h"

enum replay_verdict {
	REPLAY_PASS,        /* final stacks equal finishing_stacks */
	REPLAY_FAIL,        /* they differ, or the hand could not be replayed */
	REPLAY_FRACTIONAL,  /* finishing_stacks hold half chips: not comparable */
	REPLAY_UNCHECKED,   /* replayed, but the file has no finishing_stacks */
	REPLAY_UNSUPPORTED, /* not NLHE as the engine plays it (variant, straddles) */
};

struct replay_result {
	enum replay_verdict verdict;
	int err;               /* 0, or the hand_error of an illegal action */
	int line;              /* line of the offending action, or of the hand */
	char msg[160];         /* why it failed / is unsupported; empty on success */
	bool finished;         /* the hand ran to the end */
	int nplayers;
	/* stacks at the end; if the replay stopped early (illegal action), the
	 * chips behind at that point */
	int64_t final_chips[HAND_MAX_SEATS];
	int64_t won_chips[HAND_MAX_SEATS];
	struct pot pots[POTS_MAX]; /* eligible: bit k = player k */
	int npots;
	int64_t rake_chips;
};

/*
 * replay_hand — replay ph with the given rake (rake_bp basis points capped at
 * rake_cap_chips; 0, 0 for none, as in PHH files) and fill *out, verdict
 * included.  h is the engine state to use (the caller's, so that no large
 * struct lives on the stack); it holds the finished hand afterwards.  When
 * log is not NULL the hand is driven through it (handlog.h), so that it
 * holds the whole hand: handlog_phh(log, ...) writes it back as PHH.
 * Never fails: illegal actions and unsupported hands are reported in *out.
 */
void replay_hand(const struct phh_hand *ph, int rake_bp, int64_t rake_cap_chips,
		 struct hand *h, struct handlog *log, struct replay_result *out);

/* replay_verdict_name — "passed", "failed", "fractional", "unchecked", "unsupported". */
const char *replay_verdict_name(enum replay_verdict v);

#endif
