/*
 * history.h — what a viewer may read of a stored hand, as felt-api answers
 * it: the pure half of GET /api/me/hand-history, GET /api/hands/{id}.phh
 * and GET /api/me/active-game (the handlers, in api_history.c, only fetch
 * rows and call these).
 *
 * Every card comes out of the hand's log (lib/poker/handlog) filtered by
 * view_event_visible (lib/poker/view), the one redaction point: a seat
 * sees its own hole cards and the cards shown at showdown, the platform
 * every card, nobody a folded or mucked hand.
 *
 * Money: a table with chip_ucents > 0 (cash) has its amounts in dollars
 * (and exact *_ucents twins), a play-chip table (chip_ucents 0, /v1) in
 * chips; both always carry the *_chips figures as integers.
 */
#ifndef FELT_CGI_HISTORY_H
#define FELT_CGI_HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "poker/handlog.h"

/* Room for a hand id (a uuid, 36 characters) and its NUL. */
#define HISTORY_ID_SIZE 37

enum history_error {
	HISTORY_OK = 0,
	HISTORY_ENOMEM = -1, /* out of memory */
	HISTORY_ELOG = -2,   /* the log has no hand to write (handlog_phh) */
};

/*
 * history_hand_log_json — the parts of a hand's log that viewer (a seat,
 * or VIEW_PLATFORM) may read, added to entry:
 *   num_players  how many seats were dealt in
 *   actions      [{seat, action, amount, street}] every player action in
 *                order: action fold | check | call | raise | all_in (a
 *                call or raise that put the player all-in), amount the
 *                bet it made in total on its street (raise-to) for raise
 *                and all_in, null for fold, check and call (as Open
 *                Poker's player_action), street where it was taken
 *   board        ["As", ...] the community cards dealt
 *   hole_cards   ["As", "Kd"] the viewer's own cards (null when the viewer
 *                is not a seat dealt in)
 *   shown_cards  {"<seat>": ["As", "Kd"]} the hands shown at showdown
 *   winners      [{seat, name, amount}] the seats that took chips from the
 *                pots (amount: chips taken, gross), names from names (a
 *                JSON object {"<seat>": name}, may be NULL)
 * Returns HISTORY_OK or HISTORY_ENOMEM.
 */
int history_hand_log_json(const struct handlog *log, int viewer,
			  struct json_object *names, struct json_object *entry);

/*
 * history_add_amount — add name (and name_ucents) to o for chips at
 * chip_ucents a chip: dollars and ucents for a money table, chips for a
 * play-chip table (chip_ucents 0). Always adds name_chips too. An amount
 * whose ucents do not fit int64 is null (it cannot happen for the chip
 * counts the schema allows at any sane chip value).
 */
void history_add_amount(struct json_object *o, const char *name,
			int64_t chips, int64_t chip_ucents);

/*
 * history_active_game_json — the body of GET /api/me/active-game:
 * {playing, table_id, seat, stack_cents, stack_ucents, stack} with
 * stack_cents the stack in whole cents (rounded toward zero; stack_ucents
 * is exact) for a money table and null for a play-chip table, stack in
 * chips. table_id NULL: not seated (playing false, the rest null). A new
 * reference, NULL when out of memory.
 */
struct json_object *history_active_game_json(const char *table_id, int seat,
					     int64_t stack_chips,
					     int64_t chip_ucents);

/*
 * history_phh_file_id — the hand id of a PHH file name "<uuid>.phh" (hex
 * digits in either case) into id (lowercase). Returns true, or false for
 * anything else (then the answer is 404).
 */
bool history_phh_file_id(const char *name, char id[HISTORY_ID_SIZE]);

/*
 * history_phh_text — the hand in log as viewer may see it, as PHH text
 * (handlog_phh then phh_write) after the comment line "# <comment>" when
 * comment is not NULL: a malloc'd NUL-terminated text into *out (the
 * caller frees it), its length in *len. Returns HISTORY_OK, HISTORY_ELOG
 * or HISTORY_ENOMEM.
 */
int history_phh_text(const struct handlog *log, int viewer,
		     const char *comment, char **out, size_t *len);

#endif
