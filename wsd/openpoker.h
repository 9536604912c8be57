/*
 * openpoker.h — the Open Poker dialect (/ws): reference/openpoker.md §1–§9
 * (era-C framing, integer chips) with felt's decisions (DESIGN §8).
 *
 *   GET /ws   Authorization: Bearer <api key>   (or ?token=<api key>)
 *
 * One socket per agent, from table to table: connected on success (else
 * error auth_failed and close 4001); a second socket of the same agent
 * takes over (the old one is closed 4002).  join_lobby {buy_in} queues the
 * agent in the lobby (lobby.h: lobby_joined with its place), which reserves
 * the buy-in and seats it at a cash table (table_joined, table_state); then hand_start, hole_cards, table_state
 * after every step, your_turn, player_action, community_cards, hand_result,
 * player_joined/left, busted, table_closed.  Table frames carry the
 * envelope (stream, table_id, hand_id, table_seq, hand_seq, ts,
 * state_hash); table_state's state_hash is reference §2's recipe over the
 * frame as Python's json.dumps spells it (lib/core/pyjson), and every
 * frame is sent in that spelling.
 *
 * openpoker.c: connecting and client messages; openpoker_state.c: the
 * envelope and table_state; openpoker_frames.c: the other table frames.
 */
#ifndef FELT_WSD_OPENPOKER_H
#define FELT_WSD_OPENPOKER_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdint.h>

#include "codec.h"
#include "conn.h"
#include "table.h"

#define OP_NAME_MAX 65
#define OP_ACTION_ID_MAX 129
/* Reference §3: 20 messages in any second per connection (server.c drops
 * the excess with error rate_limited). */
#define OP_RATE_PER_S 20
/* Reference §7: 10 rejected actions or dropped messages within 5 s get
 * flood_warning, 20 get flood_kick (the player leaves the table). */
#define OP_FLOOD_WINDOW_MS 5000
#define OP_FLOOD_WARN 10
#define OP_FLOOD_KICK 20

/* What the dialect keeps per connection (conn->codec_data). */
struct op_conn {
	char name[OP_NAME_MAX];
	/* The client_action_id of the action being applied (for action_ack),
	 * and the last accepted one with its payload (a retry of the same
	 * payload is acknowledged again, another payload is a conflict). */
	char acting_id[OP_ACTION_ID_MAX];
	char done_id[OP_ACTION_ID_MAX];
	char done_payload[96];
	char done_hand[37];
	/* The turn token of the last your_turn sent (one per turn). */
	char turn_sent[TABLE_TOKEN_MAX];
	bool auto_rebuy;
	int64_t last_buy_in;     /* chips, for auto-rebuy */
	/* A join whose balance is being read before it is queued (chips, 0:
	 * none), whether it is an automatic rebuy, and whether a leave_table
	 * came meanwhile (the join is then dropped). */
	int64_t checking_buy_in;
	bool checking_auto, checking_left;
	/* When its last OP_FLOOD_KICK actions were rejected (loop_mono_ms),
	 * a ring: reference §7's flood control. */
	int64_t rejected_ms[OP_FLOOD_KICK];
	int rejected_next;
	/* Not a socket: the spectator whose frames a table keeps for resync
	 * (op_broadcast); op_send_public stores them instead of sending. */
	bool recording;
};

extern const struct codec openpoker_codec;

/* openpoker_state.c ---------------------------------------------------------*/

/* op_hand_id — the hand_id of t's current (or last) hand: a UUID made of
 * its deck commitment; "" before the first hand. */
void op_hand_id(const struct table *t, char out[37]);

/* op_send_table_frame — send frame o (consumed; its "type" set) to c with
 * t's envelope: stream "event" or "state" (state: state_hash computed),
 * with_hash false for frames that carry none (action_ack). */
void op_send_table_frame(struct conn *c, struct table *t, struct json_object *o,
			 const char *stream, bool with_hash);

/* op_send_public — send c the public frame o (consumed; stream "event") of
 * the message being broadcast: under the numbers its first copy got (every
 * recipient sees the same table_seq; the copy of a recording spectator is
 * kept in t's replay), or fresh ones outside a broadcast. */
void op_send_public(struct conn *c, struct table *t, struct json_object *o);

/* op_state_hash — reference §2: "sha256:" + hex SHA-256 of o without ts,
 * table_seq, hand_seq, state_hash, spelled as Python's json.dumps; into
 * out (at least 72 bytes).  -1 when memory is short. */
int op_state_hash(struct json_object *o, char *out, size_t len);

/* op_table_state — the table_state frame for c (hero = c's seat); with the
 * hero's turn_token when with_token (resync snapshots). */
struct json_object *op_table_state(const struct conn *c, const struct table *t,
				   bool with_token);

/* op_send_state — send c its table_state (stream "state", no turn_token):
 * the members every viewer shares are spelled once per broadcast
 * (t->frame_cache), c's own ones (hero, to_call, raise range) and the
 * numbers each time. */
void op_send_state(struct conn *c, struct table *t);

/* op_state_text — the text op_send_state sends (malloc'd, *len its
 * length); NULL when memory is short. */
char *op_state_text(const struct conn *c, struct table *t, size_t *len);

/* op_drop_frame_cache — free what one broadcast spelled for all its
 * viewers (t->frame_cache, t->frame_shared_text). */
void op_drop_frame_cache(struct table *t);

/* op_frame — a new frame {type}. */
struct json_object *op_frame(const char *type);

/* op_cards — n cards as ["As", "Kd", ...]. */
struct json_object *op_cards(const card_t *c, int n);

/* op_players — the occupied seats {seat, name, stack, avatar_url,
 * public_profile_slug, is_pro}; stacks from view v during a hand (v may be
 * NULL). */
struct json_object *op_players(const struct table *t, const struct hand_view *v);

/* op_valid_actions — what the player to act in v may do: entries with
 * action, amount, min, max (null where not applicable). */
struct json_object *op_valid_actions(const struct hand_view *v);

/* openpoker_frames.c --------------------------------------------------------*/

/* op_emit_frames — render runtime message m for c (codec.emit). */
void op_emit_frames(struct conn *c, struct table *t, const struct tmsg *m);

/* op_broadcast — codec.broadcast: before a public message goes to the
 * viewers, render it once as a spectator sees it; that copy numbers the
 * frame for everyone (op_send_public) and is kept in t->replay. */
void op_broadcast(struct table *t, const struct tmsg *m, bool begin);

/* op_player_action — the player_action frame of log entry i (an action). */
struct json_object *op_player_action(const struct table *t, int i);

/* op_send — send a frame without envelope (consumed). */
void op_send(struct conn *c, struct json_object *o);

#endif
