/*
 * bot_frame — what felt-bot's two protocol layers (bot_molt, bot_open)
 * share: the verdict on a server frame, reading card arrays, and turning a
 * json-c object into the text of a client frame.
 */
#ifndef FELT_BOT_FRAME_H
#define FELT_BOT_FRAME_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bot_strategy.h"
#include "poker/cards.h"

#define BOT_OUT_MAX 640  /* longest client frame built */
#define BOT_CODE_MAX 48  /* longest error code kept */

/* What was wrong with a server frame (the first problem found). */
enum bot_frame_error {
	BOT_FRAME_OK = 0,
	BOT_FRAME_EJSON = -1,     /* not a JSON object */
	BOT_FRAME_ESHAPE = -2,    /* a field missing or of the wrong type */
	BOT_FRAME_EENVELOPE = -3, /* the wrong framing: an envelope where flat frames are due
				   * (MoltPoker agent format), a table frame without a valid
				   * envelope (Open Poker) */
	BOT_FRAME_ELEAK = -4,     /* a hole card shown that must not be */
	BOT_FRAME_ETYPE = -5,     /* unknown message type */
};

/* What one server frame produced, in both protocols. */
struct bot_out {
	char type[32];          /* the frame's type (truncated) */
	bool send;              /* text holds a client frame to send */
	char text[BOT_OUT_MAX];
	bool acted;             /* that frame is an action */
	enum bot_kind kind;     /* its kind, when acted */
	int64_t amount_chips;   /* its raise-to amount (raise, all-in), else 0 */
	bool healthy;           /* the connection plainly works (welcome, connected, a state) */
	bool state;             /* a broadcast after an action (ends a latency sample) */
	bool hand_done;         /* a hand ended (hand_complete / hand_result) */
	bool ended;             /* the table ended, or the connection has nothing more to do */
	bool fatal;             /* the server refused the agent for good */
	char error_code[BOT_CODE_MAX]; /* an error frame's code, else "" */
};

/* bot_frame_strerror — static English text for a bot_frame_error code. */
const char *bot_frame_strerror(int err);

/* bot_frame_note — record e in *err unless a problem is recorded already. */
void bot_frame_note(int *err, int e);

/*
 * bot_frame_parse — p (len bytes) as a JSON object with a string "type",
 * at most depth levels deep.  Returns the object (the caller puts it) and
 * sets *type (owned by the object); NULL with *err = BOT_FRAME_EJSON (not
 * a JSON object) or BOT_FRAME_ESHAPE (no "type").
 */
struct json_object *bot_frame_parse(const char *p, size_t len, int depth, const char **type,
				    int *err);

/*
 * bot_frame_cards — the card strings of array arr ("As", "Td") into out
 * (room for max); returns how many were read.  Not an array, more than
 * max cards or a string that is not a card notes BOT_FRAME_ESHAPE in *err.
 */
int bot_frame_cards(struct json_object *arr, card_t *out, int max, int *err);

/*
 * bot_frame_emit — the compact text of o into buf (size len), then drops
 * the reference to o.  Returns the length, or -1 if it did not fit.
 */
int bot_frame_emit(struct json_object *o, char *buf, size_t len);

#endif
