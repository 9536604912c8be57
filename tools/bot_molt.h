/*
 * bot_molt — felt-bot's MoltPoker protocol layer (seed 004, reference
 * moltpoker.md §5, agent format): one server frame in, at most one client
 * frame out.  No I/O and no clock: the connection code feeds every text
 * frame to molt_on_frame and sends what it returns.
 *
 * Besides playing, the layer checks what it is sent, because felt-bot is
 * also a conformance and load client: a frame that is not JSON, lacks a
 * field the seed or DESIGN §8 promises (game_state's seq, players, toCall
 * ...), arrives in the envelope ("human") format, or shows a hole card it
 * must not (another seat's cards during a hand, a folded hand in
 * hand_complete) is reported with a negative bot_frame_error, after the
 * frame was used as far as possible.
 */
#ifndef FELT_BOT_MOLT_H
#define FELT_BOT_MOLT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bot_frame.h"
#include "bot_strategy.h"

#define MOLT_TOKEN_MAX 128 /* longest turn_token accepted */
#define MOLT_SEATS 10

enum molt_type {
	MOLT_UNKNOWN,
	MOLT_WELCOME,
	MOLT_GAME_STATE,
	MOLT_ACK,
	MOLT_ERROR,
	MOLT_HAND_COMPLETE,
	MOLT_STREET_DEALT,
	MOLT_TABLE_STATUS,
	MOLT_PLAYER_JOINED,
	MOLT_PLAYER_LEFT,
	MOLT_PONG,
};

/* One agent's view of its connection; zero it with molt_agent_init. */
struct molt_agent {
	enum bot_strategy strategy;
	uint64_t rng;
	int seat;              /* from welcome; -1 before */
	int64_t timeout_ms;    /* from welcome */
	int64_t seq;           /* highest game_state seq seen; -1 before */
	int64_t hand;          /* current hand number; -1 before */
	int64_t hands_done;    /* hand_complete frames seen */
	bool running;          /* a game_state has been seen */
	bool ended;            /* table_status ended seen */
	char end_reason[32];
	/* the turn last answered, for de-duplication and one fallback */
	char token[MOLT_TOKEN_MAX];
	int64_t token_seq;
	bool awaiting_ack;     /* an action was sent and neither ack nor error came */
	bool fallback_sent;    /* the safety default was sent after an INVALID_ACTION */
	struct bot_legal legal; /* of the last actionable state */
	unsigned folded_mask;  /* seats seen folded in the current hand */
};

/* molt_type_name — the wire name of t ("game_state"...), "unknown" else. */
const char *molt_type_name(enum molt_type t);

/* molt_agent_init — a fresh agent playing strategy s, randomness seeded by seed. */
void molt_agent_init(struct molt_agent *a, enum bot_strategy s, uint64_t seed);

/*
 * molt_reconnected — forget the answered turn after a reconnect, so that the
 * state the server sends on reconnect is answered again (an action lost
 * with the old socket would otherwise wait for the timeout; felt acks a
 * resend of an action it already applied).
 */
void molt_reconnected(struct molt_agent *a);

/*
 * molt_on_frame — handle one text frame (len bytes at p).  *out is always
 * filled (out->send says whether to answer).  Returns BOT_FRAME_OK or a
 * negative bot_frame_error describing what was wrong with the frame (an
 * envelope is BOT_FRAME_EENVELOPE); the frame was still used as far as it
 * could be (an action may be in out even then).
 */
int molt_on_frame(struct molt_agent *a, const char *p, size_t len,
		  struct bot_out *out);

/*
 * molt_build_action — the client frame for choice c answering token at
 * expected_seq seq (seq < 0: omitted), into buf (size len).  BOT_ALLIN is
 * sent as raiseTo its amount.  Returns the length, or -1 if it did not fit.
 */
int molt_build_action(const char *token, int64_t seq, const struct bot_choice *c,
		      const char *reasoning, char *buf, size_t len);

/* molt_build_ping — {"type":"ping","payload":{"timestamp":ms}} into buf;
 * returns the length or -1. */
int molt_build_ping(int64_t ms, char *buf, size_t len);

#endif
