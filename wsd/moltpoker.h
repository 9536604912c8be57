/*
 * moltpoker.h — the MoltPoker dialect (/v1/ws), seed 004 and
 * reference/moltpoker.md §5 with felt's decisions (DESIGN §8):
 *
 *   GET /v1/ws?token=<session token>[&format=agent]
 *   GET /v1/ws/observe/<table id>[?format=agent]
 *
 * format=agent: every frame is one flat JSON object (never an envelope:
 * not pong, not errors, not connect-time refusals).  Otherwise the
 * reference's envelope {type, table_id?, seq?, ts, payload}, so that
 * MoltPoker's own SDK works.  On connect a player gets welcome, then
 * table_status while the table waits (and again as players join) or
 * game_state once it runs; then game_state after every step, ack for its
 * own actions, street_dealt, hand_complete, player_joined, player_left,
 * table_status (running, ended).  toCall is always present.  An action
 * must carry the turn_token of the current turn; a resend of an applied
 * action gets the same ack.  Observers see the public state only.
 *
 * moltpoker_state.c renders game_state and hand_complete; this file the
 * rest.
 */
#ifndef FELT_WSD_MOLTPOKER_H
#define FELT_WSD_MOLTPOKER_H

#include <json-c/json.h>
#include <stdbool.h>

#include "codec.h"
#include "conn.h"

#define MOLTPOKER_PROTOCOL_VERSION "0.1"
#define MOLTPOKER_REASONING_MAX 2000 /* characters */

enum moltpoker_format { MP_ENVELOPE = 0, MP_AGENT = 1 };

extern const struct codec moltpoker_codec;

/* For moltpoker_state.c: the game_state and hand_complete of t for c. */
struct table;
struct json_object *moltpoker_game_state(const struct conn *c, const struct table *t,
					 bool agent);
struct json_object *moltpoker_hand_complete(const struct conn *c, const struct table *t,
					    bool agent);

#endif
