/*
 * table_button.c — a cash table's dead button (TDA, DESIGN §3) in the table
 * runtime: which seats the next hand deals in, where its button and blinds
 * go (poker/button.h decides), and who plays from then on.  Agent tables
 * (/v1) keep the engine's moving button (hand_next_button in table.c).
 */
#include "table.h"

#include <string.h>

#include "core/log.h"

enum button_seat table_button_state(const struct table_seat *s, bool post_bb)
{
	if (!s->occupied || s->leaving || s->stack_chips <= 0)
		return BUTTON_EMPTY;
	/* Sitting out (DESIGN §3): not dealt in until its player is back. */
	if (s->timeout_hands >= TABLE_SIT_OUT_HANDS && !s->conn)
		return BUTTON_EMPTY;
	if (s->dealt_in)
		return BUTTON_PLAYING;
	return post_bb ? BUTTON_POSTING : BUTTON_WAITING;
}

int table_button_deal(struct table *t, struct hand_config *cfg)
{
	enum button_seat seats[HAND_MAX_SEATS];
	struct button_deal deal;
	int i, n = t->cfg.max_seats, rc;

	for (i = 0; i < n; i++) {
		seats[i] = table_button_state(&t->seat[i], t->post_bb);
		/* A player sitting out misses its blinds: back, it waits for
		 * the big blind like a newcomer. */
		if (seats[i] == BUTTON_EMPTY && t->seat[i].occupied)
			t->seat[i].dealt_in = false;
	}
	rc = button_next(&t->pos, n, seats, &deal);
	if (rc == BUTTON_ETOO_FEW) {
		/* One player plays, the others wait for a big blind that only a
		 * hand can move: a new game, everyone seated in. */
		struct button_pos fresh = { t->pos.button, -1, -1 };

		rc = button_next(&fresh, n, seats, &deal);
	}
	if (rc) {
		if (rc != BUTTON_ETOO_FEW)
			log_event(LOG_ERROR, "button_failed", "table=%s button=%d sb=%d bb=%d "
				  "error=\"%s\"", t->id, t->pos.button, t->pos.sb, t->pos.bb,
				  button_strerror(rc));
		return rc;
	}
	button_config(&deal, cfg);
	t->deal_pos = deal.pos;
	return 0;
}

void table_button_committed(struct table *t)
{
	int i;

	t->pos = t->deal_pos;
	for (i = 0; i < t->cfg.max_seats; i++)
		if (t->hand.seat[i].in_hand && t->seat[i].occupied)
			t->seat[i].dealt_in = true;
}

/* Whether agent_id is one of the comma-separated ids in list. */
static bool listed(const char *list, const char *agent_id)
{
	size_t n = strlen(agent_id);
	const char *p = list;

	if (!list || !n)
		return false;
	while ((p = strstr(p, agent_id))) {
		if ((p == list || p[-1] == ',') && (p[n] == ',' || p[n] == '\0'))
			return true;
		p += n;
	}
	return false;
}

static bool seat_ok(int seat, int n)
{
	return seat >= -1 && seat < n;
}

void table_button_loaded(struct table *t, const struct button_pos *pos, const char *playing)
{
	int i, n = t->cfg.max_seats;

	t->pos = (struct button_pos){ seat_ok(t->button, n) ? t->button : -1, -1, -1 };
	if (seat_ok(pos->button, n) && seat_ok(pos->sb, n) && seat_ok(pos->bb, n) &&
	    pos->button >= 0 && pos->sb >= 0 && pos->bb >= 0)
		t->pos = *pos;
	else if (seat_ok(pos->button, n) && pos->button >= 0)
		t->pos.button = pos->button;
	t->deal_pos = t->pos;
	for (i = 0; i < n; i++)
		t->seat[i].dealt_in = t->seat[i].occupied && listed(playing, t->seat[i].agent_id);
}

bool table_seat_waits(const struct table *t, int seat)
{
	const struct table_seat *s = &t->seat[seat];

	return t->cfg.cash && s->occupied && !s->leaving && !s->dealt_in;
}
