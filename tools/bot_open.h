/*
 * bot_open — felt-bot's Open Poker protocol layer (reference openpoker.md
 * §1–§9, the era-C framing felt speaks on /ws, DESIGN §8): one server frame
 * in, at most one client frame out.  No I/O and no clock.
 *
 * Flow: connected → join_lobby {buy_in} → lobby_joined → table_joined →
 * hand_start / hole_cards / your_turn → action {hand_id, action, amount,
 * client_action_id, turn_token} → action_ack | action_rejected (one
 * fallback: check, else fold) → ... → hand_result.  busted → rebuy when
 * offered; table_closed → join the lobby again when rejoining; a stop
 * request → leave_table.
 *
 * Like bot_molt it also judges what it is sent: frames that are not JSON,
 * table frames without the envelope (table_id, table_seq increasing per
 * table, a sha256 state_hash on table_state), and hole cards shown that
 * must not be (another seat's before showdown, a folded hand's at showdown).
 */
#ifndef FELT_BOT_OPEN_H
#define FELT_BOT_OPEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bot_frame.h"
#include "bot_strategy.h"

#define OPEN_ID_MAX 80    /* longest table_id / hand_id / turn_token kept */
#define OPEN_SEATS 10

enum open_phase {
	OPEN_CONNECTING, /* waiting for connected */
	OPEN_LOBBY,      /* join_lobby sent */
	OPEN_SEATED,
	OPEN_LEAVING,    /* leave_table sent */
	OPEN_DONE,       /* nothing more to do on this connection */
};

/* One agent's protocol state; set up with open_agent_init. */
struct open_agent {
	enum bot_strategy strategy;
	uint64_t rng;
	int64_t buy_in_chips;
	bool rejoin;            /* join the lobby again after table_closed */
	char id_prefix[24];     /* client_action_id = prefix-N */
	unsigned action_no;
	enum open_phase phase;
	int seat;               /* -1 when not seated */
	char table_id[OPEN_ID_MAX];
	char hand_id[OPEN_ID_MAX];
	int64_t table_seq;      /* highest table_seq of table_id; -1 before */
	card_t hole[2];
	int n_hole;
	card_t board[5];
	int n_board;
	int64_t stack_chips;
	unsigned folded_mask;   /* seats seen folding in this hand */
	int64_t hands_done;     /* hand_result frames seen */
	char token[OPEN_ID_MAX]; /* the turn last answered */
	bool awaiting_ack;
	bool fallback_sent;
	struct bot_legal legal;
	int64_t rebuys;
	/* busted offered a rebuy: sent once the seat is gone (own player_left
	 * or table_closed); felt seats a rebuy through the lobby, so sent while
	 * still seated it is refused with already_seated. */
	bool rebuy_due;
};

/*
 * open_agent_init — a fresh agent: strategy s, randomness from seed, buying
 * in for buy_in chips, rejoining the lobby after a table closes if rejoin;
 * client_action_ids start with prefix (truncated to fit).
 */
void open_agent_init(struct open_agent *a, enum bot_strategy s, uint64_t seed,
		     int64_t buy_in, bool rejoin, const char *prefix);

/* open_reconnected — a new socket for the same agent: expect connected again. */
void open_reconnected(struct open_agent *a);

/*
 * open_on_frame — handle one text frame.  *out is always filled.  Returns
 * BOT_FRAME_OK or a negative bot_frame_error about the frame (a table frame
 * without its envelope is BOT_FRAME_EENVELOPE); the frame was still used
 * as far as possible.
 */
int open_on_frame(struct open_agent *a, const char *p, size_t len, struct bot_out *out);

/*
 * open_stop — ask the agent to leave: fills out with leave_table when it is
 * seated or queued (then out->send), else marks it done (out->ended).
 */
void open_stop(struct open_agent *a, struct bot_out *out);

/*
 * open_build_action — the action frame for choice c in hand hand_id
 * answering token, with client_action_id id, into buf (size len).  Returns
 * the length or -1 if it did not fit.  Raises carry the raise-to amount;
 * BOT_ALLIN is the all_in action.
 */
int open_build_action(const char *hand_id, const char *token, const char *id,
		      const struct bot_choice *c, char *buf, size_t len);

#endif
