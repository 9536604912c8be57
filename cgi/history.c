/*
 * history.c — what a viewer may read of a stored hand (see history.h).
 */
#include "history.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "money/money.h"
#include "poker/phh.h"
#include "poker/view.h"

static struct json_object *cards_json(const card_t *cards, int n)
{
	struct json_object *a = json_object_new_array();
	char text[3];

	for (int i = 0; a && i < n; i++) {
		card_format(cards[i], text);
		json_object_array_add(a, json_object_new_string(text));
	}
	return a;
}

static const char *action_name(const struct hand_event *e)
{
	if (e->all_in && (e->type == HAND_EV_CALL || e->type == HAND_EV_RAISE))
		return "all_in";
	return hand_event_name((enum hand_event_type)e->type);
}

/* Open Poker's amount: the raise-to total for raises and all-ins. */
static struct json_object *action_amount(const struct hand_event *e)
{
	if (e->type == HAND_EV_RAISE)
		return json_object_new_int64(e->amount_chips);
	if (e->type == HAND_EV_CALL && e->all_in)
		return json_object_new_int64(e->amount2_chips);
	return NULL;
}

static struct json_object *action_json(const struct hand_event *e)
{
	struct json_object *a = json_object_new_object();

	json_object_object_add(a, "seat", json_object_new_int(e->seat));
	json_object_object_add(a, "action", json_object_new_string(action_name(e)));
	json_object_object_add(a, "amount", action_amount(e));
	json_object_object_add(a, "street", json_object_new_string(
		hand_street_name((enum hand_street)e->street)));
	return a;
}

static struct json_object *winners_json(const int64_t won[HAND_MAX_SEATS],
					int nseats, struct json_object *names)
{
	struct json_object *list = json_object_new_array();

	for (int s = 0; s < nseats; s++) {
		struct json_object *w, *name = NULL;
		char key[16];

		if (won[s] <= 0)
			continue;
		snprintf(key, sizeof(key), "%d", s);
		if (names)
			json_object_object_get_ex(names, key, &name);
		w = json_object_new_object();
		json_object_object_add(w, "seat", json_object_new_int(s));
		json_object_object_add(w, "name", json_object_get(name));
		json_object_object_add(w, "amount", json_object_new_int64(won[s]));
		json_object_array_add(list, w);
	}
	return list;
}

int history_hand_log_json(const struct handlog *log, int viewer,
			  struct json_object *names, struct json_object *entry)
{
	struct json_object *actions = json_object_new_array();
	struct json_object *shown = json_object_new_object();
	struct json_object *hole = NULL;
	card_t board[5];
	int64_t won[HAND_MAX_SEATS] = { 0 };
	int nboard = 0, dealt = 0;

	if (!actions || !shown) {
		json_object_put(actions);
		json_object_put(shown);
		return HISTORY_ENOMEM;
	}
	for (int i = 0; i < log->n; i++) {
		const struct handlog_entry *en = &log->entries[i];
		const struct hand_event *e = &en->ev;
		char key[16];

		if (!view_event_visible(e, viewer))
			continue;
		if (en->action) {
			json_object_array_add(actions, action_json(e));
			continue;
		}
		switch (e->type) {
		case HAND_EV_HOLE:
			if (e->seat == viewer) {
				json_object_put(hole);
				hole = cards_json(e->cards, 2);
			}
			break;
		case HAND_EV_STREET:
			for (int c = 0; c < e->ncards && nboard < 5; c++)
				board[nboard++] = e->cards[c];
			break;
		case HAND_EV_SHOW:
			snprintf(key, sizeof(key), "%d", e->seat);
			json_object_object_add(shown, key, cards_json(e->cards, 2));
			break;
		case HAND_EV_AWARD:
			if (e->seat >= 0 && e->seat < HAND_MAX_SEATS)
				won[e->seat] += e->amount_chips;
			break;
		default:
			break;
		}
	}
	for (int s = 0; s < log->cfg.nseats; s++)
		dealt += log->cfg.stacks_chips[s] > 0;
	json_object_object_add(entry, "num_players", json_object_new_int(dealt));
	json_object_object_add(entry, "actions", actions);
	json_object_object_add(entry, "board", cards_json(board, nboard));
	json_object_object_add(entry, "hole_cards", hole);
	json_object_object_add(entry, "shown_cards", shown);
	json_object_object_add(entry, "winners",
			       winners_json(won, log->cfg.nseats, names));
	return HISTORY_OK;
}

void history_add_amount(struct json_object *o, const char *name,
			int64_t chips, int64_t chip_ucents)
{
	char key[64];
	int64_t ucents;

	snprintf(key, sizeof(key), "%s_chips", name);
	json_object_object_add(o, key, json_object_new_int64(chips));
	if (chip_ucents <= 0) {
		json_object_object_add(o, name, json_object_new_int64(chips));
		return;
	}
	snprintf(key, sizeof(key), "%s_ucents", name);
	if (__builtin_mul_overflow(chips, chip_ucents, &ucents)) {
		json_object_object_add(o, name, NULL);
		json_object_object_add(o, key, NULL);
		return;
	}
	json_object_object_add(o, name, money_json_dollars(ucents));
	json_object_object_add(o, key, json_object_new_int64(ucents));
}

struct json_object *history_active_game_json(const char *table_id, int seat,
					     int64_t stack_chips,
					     int64_t chip_ucents)
{
	struct json_object *o = json_object_new_object();
	struct json_object *cents = NULL, *ucents_json = NULL;
	int64_t ucents;

	if (!o)
		return NULL;
	json_object_object_add(o, "playing", json_object_new_boolean(table_id != NULL));
	json_object_object_add(o, "table_id",
			       table_id ? json_object_new_string(table_id) : NULL);
	json_object_object_add(o, "seat", table_id ? json_object_new_int(seat) : NULL);
	if (table_id && chip_ucents > 0 &&
	    !__builtin_mul_overflow(stack_chips, chip_ucents, &ucents)) {
		cents = json_object_new_int64(money_ucents_to_cents(ucents));
		ucents_json = json_object_new_int64(ucents);
	}
	json_object_object_add(o, "stack_cents", cents);
	json_object_object_add(o, "stack_ucents", ucents_json);
	json_object_object_add(o, "stack",
			       table_id ? json_object_new_int64(stack_chips) : NULL);
	return o;
}

bool history_phh_file_id(const char *name, char id[HISTORY_ID_SIZE])
{
	static const char shape[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";

	if (strlen(name) != sizeof(shape) - 1 + 4 ||
	    strcmp(name + sizeof(shape) - 1, ".phh") != 0)
		return false;
	for (size_t i = 0; i < sizeof(shape) - 1; i++) {
		unsigned char c = (unsigned char)name[i];

		if (shape[i] == '-' ? c != '-' : !isxdigit(c))
			return false;
		id[i] = (char)tolower(c);
	}
	id[sizeof(shape) - 1] = '\0';
	return true;
}

int history_phh_text(const struct handlog *log, int viewer,
		     const char *comment, char **out, size_t *len)
{
	struct phh_hand *ph = malloc(sizeof(*ph));
	char *text = NULL;
	size_t n = 0;
	FILE *f;
	int rc = HISTORY_OK;

	*out = NULL;
	*len = 0;
	if (!ph)
		return HISTORY_ENOMEM;
	if (handlog_phh(log, viewer, ph) != 0) {
		free(ph);
		return HISTORY_ELOG;
	}
	f = open_memstream(&text, &n);
	if (!f) {
		free(ph);
		return HISTORY_ENOMEM;
	}
	if (comment)
		fprintf(f, "# %s\n", comment);
	/* A log handlog_phh accepted has only the verbs phh_write knows, so a
	 * failure here is a failed write into memory. */
	if (phh_write(f, ph, NULL) != 0)
		rc = HISTORY_ENOMEM;
	if (fclose(f) != 0)
		rc = HISTORY_ENOMEM;
	free(ph);
	if (rc != HISTORY_OK) {
		free(text);
		return rc;
	}
	*out = text;
	*len = n;
	return HISTORY_OK;
}
