/*
 * table_life.c — the table runtime's lifecycle: waiting for players,
 * starting, players leaving or kicked, ending (DESIGN §4).
 */
#include "table.h"

#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "tables.h"

/* Connections: players and observers -----------------------------------------*/


void table_emit_to(struct table *t, struct conn *c, const struct tmsg *m)
{
	if (conn_open(c))
		c->codec->emit(c, t, m);
}

void table_emit(struct table *t, const struct tmsg *m)
{
	const struct codec *k = t->framer;
	struct conn *c;

	if (k)
		k->broadcast(t, m, true);
	for (c = t->viewers; c; c = c->vnext)
		table_emit_to(t, c, m);
	if (k)
		k->broadcast(t, m, false);
}

int table_keep_frames(struct table *t, const struct codec *k)
{
	if (t->framer)
		return 0;
	t->replay = replay_new();
	if (!t->replay)
		return -1;
	t->framer = k;
	return 0;
}

/* c's player is off the table (left, kicked, the table ended): a dialect
 * whose socket outlives the table is told m (NULL: nothing more) and
 * detached; any other connection is closed with code and reason. */
static void let_go(struct table *t, struct conn *c, const struct tmsg *m, int code,
		   const char *reason)
{
	if (c->codec->keeps_socket) {
		if (m)
			table_emit_to(t, c, m);
		table_detach(t, c);
		return;
	}
	table_detach(t, c);
	conn_close(c, code, reason);
}

int table_attach(struct table *t, struct conn *c, int seat)
{
	struct tmsg m = { .type = TM_ATTACHED };
	bool back = false; /* a cash player sitting out returns */

	if (t->status == TABLE_ENDED)
		return WSD_ETABLE_ENDED;
	/* Attached twice (a reconnection's seat lookup and a join_lobby sent
	 * right after connected both found the seat): once is enough; added
	 * again, the connection would point to itself in the viewers list. */
	if (c->table == t && c->seat == seat)
		return 0;
	if (seat >= 0) {
		struct table_seat *s;

		if (seat >= t->cfg.max_seats)
			return WSD_ESESSION_EXPIRED;
		s = &t->seat[seat];
		if (!s->occupied || s->leaving || strcmp(s->agent_id, c->agent_id) != 0)
			return WSD_ESESSION_EXPIRED;
		back = t->cfg.cash && !s->conn && s->timeout_hands >= TABLE_SIT_OUT_HANDS;
		if (s->conn && s->conn != c) {
			struct conn *old = s->conn;

			/* One connection per seat: the newest wins. */
			table_detach(t, old);
			conn_close(old, 1008, "Replaced by a new connection");
		}
		s->conn = c;
		s->gone_ms = 0;
		t->connected_players++;
	}
	if (c->table)
		table_detach(c->table, c);
	c->table = t;
	c->seat = seat;
	c->vprev = NULL;
	c->vnext = t->viewers;
	if (t->viewers)
		t->viewers->vprev = c;
	t->viewers = c;
	table_check_abandon(t);
	table_emit_to(t, c, &m);
	/* Sitting out it was not dealt in: a table that waited for it deals. */
	if (back && t->status == TABLE_RUNNING && !t->in_hand && !t->committing &&
	    !loop_timer_armed(&t->next_timer))
		table_deal(t);
	return 0;
}

void table_detach(struct table *t, struct conn *c)
{
	if (c->table != t)
		return;
	if (c->vprev)
		c->vprev->vnext = c->vnext;
	else
		t->viewers = c->vnext;
	if (c->vnext)
		c->vnext->vprev = c->vprev;
	c->vprev = c->vnext = NULL;
	c->table = NULL;
	if (c->seat >= 0 && t->seat[c->seat].conn == c) {
		t->seat[c->seat].conn = NULL;
		t->seat[c->seat].gone_ms = loop_mono_ms();
		t->connected_players--;
		table_check_abandon(t);
		table_check_grace(t);
	}
}

void table_check_abandon(struct table *t)
{
	int ms = t->abandon_ms;

	if (t->cfg.cash || t->status != TABLE_RUNNING || t->connected_players > 0 ||
	    t->lost) {
		loop_timer_cancel(&t->abandon_timer);
		return;
	}
	if (!loop_timer_armed(&t->abandon_timer))
		loop_timer_arm(&t->abandon_timer, ms);
}

void table_check_grace(struct table *t)
{
	int64_t now = loop_mono_ms(), first = -1;
	int i;

	if (!t->cfg.cash || t->lost || t->status == TABLE_ENDED) {
		loop_timer_cancel(&t->grace_timer);
		return;
	}
	for (i = 0; i < t->cfg.max_seats; i++) {
		const struct table_seat *s = &t->seat[i];
		int64_t left;

		if (!s->occupied || s->leaving || s->conn || !s->gone_ms)
			continue;
		left = s->gone_ms + t->grace_ms - now;
		if (first < 0 || left < first)
			first = left > 0 ? left : 0;
	}
	if (first < 0)
		loop_timer_cancel(&t->grace_timer);
	else
		loop_timer_arm(&t->grace_timer, first);
}

void table_grace_due(void *arg)
{
	struct table *t = arg;
	int64_t now = loop_mono_ms();
	int i;

	if (t->lost || t->status == TABLE_ENDED)
		return;
	for (i = 0; i < t->cfg.max_seats; i++) {
		struct table_seat *s = &t->seat[i];

		if (s->occupied && !s->leaving && !s->conn && s->gone_ms &&
		    now - s->gone_ms >= t->grace_ms) {
			log_event(LOG_INFO, "grace_over", "table=%s seat=%d", t->id, i);
			s->gone_ms = 0;
			table_leave(t, i, s->agent_id, "leave", 0);
		}
	}
	table_check_grace(t);
}

void table_abandon_due(void *arg)
{
	struct table *t = arg;

	if (t->connected_players == 0 && t->status == TABLE_RUNNING) {
		log_event(LOG_INFO, "table_abandoned", "table=%s", t->id);
		table_end(t, "abandoned", 0);
	}
}


/* Start conditions of a waiting table: full starts at once; min_players
 * seated starts after the start delay. */
static void check_start(struct table *t)
{
	int n = table_seated(t);

	if (t->status != TABLE_WAITING || t->start_pending || t->lost)
		return;
	if (n >= t->cfg.max_seats) {
		loop_timer_cancel(&t->start_timer);
		table_start(t, false, 0);
	} else if (n >= t->cfg.min_players) {
		if (!loop_timer_armed(&t->start_timer))
			loop_timer_arm(&t->start_timer, t->cfg.start_delay_ms);
	} else {
		loop_timer_cancel(&t->start_timer);
	}
}

void table_seats_changed(struct table *t, const bool joined[HAND_MAX_SEATS])
{
	struct tmsg m = { .type = TM_PLAYER_JOINED };
	int i;

	/* The player set of an agent table is fixed once running; a cash
	 * table takes players between hands. */
	if (t->status != TABLE_WAITING && !(t->cfg.cash && t->status == TABLE_RUNNING))
		return;
	for (i = 0; i < t->cfg.max_seats; i++) {
		if (!joined[i])
			continue;
		m.seat = i;
		table_emit(t, &m);
	}
	if (t->status == TABLE_RUNNING) {
		if (!t->in_hand && !t->committing && !loop_timer_armed(&t->next_timer))
			table_deal(t);
		return;
	}
	m.type = TM_STATUS;
	table_emit(t, &m);
	check_start(t);
}

void table_start(struct table *t, bool force, int64_t command)
{
	if (t->status != TABLE_WAITING || t->lost) {
		if (command)
			tables_command_done(t->reg, t, command,
					    t->status == TABLE_ENDED ? "table_ended"
								     : "not_waiting");
		return;
	}
	if (t->start_pending) {
		/* One start at a time; an admin start during an automatic one
		 * is satisfied by it. */
		if (command)
			tables_command_done(t->reg, t, command, "ok");
		return;
	}
	loop_timer_cancel(&t->start_timer);
	t->start_pending = true;
	tables_request_start(t->reg, t, force, command);
}

void table_started(struct table *t)
{
	struct tmsg m = { .type = TM_STATUS };

	t->start_pending = false;
	t->status = TABLE_RUNNING;
	log_event(LOG_INFO, "table_started", "table=%s players=%d", t->id, table_seated(t));
	table_emit(t, &m);
	table_check_abandon(t);
	table_deal(t);
}

void table_leave(struct table *t, int seat, const char *agent_id, const char *reason,
		 int64_t command)
{
	struct table_seat *s;
	struct tmsg m = { .type = TM_PLAYER_LEFT, .seat = seat, .reason = reason };
	struct conn *c;
	bool kicked = strcmp(reason, "kick") == 0;

	if (seat < 0 || seat >= t->cfg.max_seats || !t->seat[seat].occupied ||
	    strcmp(t->seat[seat].agent_id, agent_id) != 0 || t->seat[seat].leaving) {
		if (command)
			tables_command_done(t->reg, t, command, "not_seated");
		return;
	}
	s = &t->seat[seat];
	c = s->conn;
	m.agent_id = s->agent_id;
	if (c)
		let_go(t, c, &m, 1000, kicked ? "Kicked by admin" : "Left the table");
	s->leaving = true;
	s->leave_reason = kicked ? "kick" : "leave";
	s->leave_command = command;
	table_emit(t, &m);
	if (t->in_hand && !t->committing && t->hand.seat[seat].in_hand) {
		/* Mid-hand: it folds at its turn (at once if it is its turn),
		 * its chips in the pot stay there, the rest is forfeited when
		 * the hand commits. */
		if (t->hand.phase == HAND_PHASE_BETTING && t->hand.to_act == seat)
			table_fold_leaver_now(t);
		return;
	}
	/* Between hands, or once the hand's commit is written (it cannot
	 * carry this leave any more): the seat is cleared by its own write,
	 * queued after the commit, so the chips returned are the committed
	 * ones.  Meanwhile it is leaving: never dealt in (table_deal skips
	 * it) nor brought back by a seats read, until table_left. */
	s->leave_queued = true;
	tables_request_leave(t->reg, t, seat, agent_id, kicked ? "kick" : "leave", command);
}

void table_left(struct table *t, int seat, const char *agent_id, const char *reason)
{
	struct table_seat *s = &t->seat[seat];
	struct tmsg m = { .type = TM_PLAYER_LEFT, .seat = seat, .reason = reason,
			  .agent_id = agent_id };
	bool announced = s->leaving; /* a voided hand's leaver was announced */

	if (!s->occupied || strcmp(s->agent_id, agent_id) != 0)
		return;
	if (s->conn)
		let_go(t, s->conn, announced ? NULL : &m, 1000,
		       strcmp(reason, "kick") == 0 ? "Kicked by admin" : "Left the table");
	if (!announced)
		table_emit(t, &m);
	memset(s, 0, sizeof(*s));
	t->seats_gen++;
	if (table_close_if_empty(t))
		return;
	if (t->status == TABLE_WAITING) {
		m.type = TM_STATUS;
		table_emit(t, &m);
		check_start(t);
	} else if (t->status == TABLE_RUNNING && !t->in_hand && !t->committing &&
		   !loop_timer_armed(&t->next_timer)) {
		table_deal(t);
	}
}

bool table_close_if_empty(struct table *t)
{
	if (!t->cfg.cash || t->status == TABLE_ENDED || t->lost || t->in_hand ||
	    t->committing || t->end_requested || table_seated(t) > 0)
		return false;
	log_event(LOG_INFO, "table_empty", "table=%s hands=%d", t->id, t->hand_number);
	table_end(t, "closed", 0);
	return true;
}

void table_end(struct table *t, const char *reason, int64_t command)
{
	if (t->status == TABLE_ENDED || t->lost) {
		if (command)
			tables_command_done(t->reg, t, command, "table_ended");
		return;
	}
	if (t->end_requested) {
		if (command)
			tables_command_done(t->reg, t, command, "ok");
		return;
	}
	if (t->committing) {
		/* The hand is final once committed: end right after. */
		t->pending_end = reason;
		t->pending_end_command = command;
		return;
	}
	table_void_hand(t, reason);
	loop_timer_cancel(&t->start_timer);
	loop_timer_cancel(&t->next_timer);
	loop_timer_cancel(&t->abandon_timer);
	t->pending_end = reason;
	t->pending_end_command = command;
	t->end_requested = true;
	tables_request_end(t->reg, t, reason, command);
}

void table_ended(struct table *t)
{
	struct tmsg m = { .type = TM_STATUS };
	struct conn *c, *next;

	t->status = TABLE_ENDED;
	t->end_reason = t->pending_end ? t->pending_end : "admin_stopped";
	log_event(LOG_INFO, "table_ended", "table=%s reason=%s hands=%d", t->id,
		  t->end_reason, t->hand_number);
	table_emit(t, &m);
	for (c = t->viewers; c; c = next) {
		next = c->vnext;
		let_go(t, c, NULL, 1000, "Table ended");
	}
	tables_release(t->reg, t);
}

void table_lost(struct table *t)
{
	struct conn *c, *next;

	log_event(LOG_WARN, "table_lost", "table=%s", t->id);
	t->lost = true;
	loop_timer_cancel(&t->turn_timer);
	loop_timer_cancel(&t->start_timer);
	loop_timer_cancel(&t->next_timer);
	loop_timer_cancel(&t->abandon_timer);
	for (c = t->viewers; c; c = next) {
		next = c->vnext;
		table_detach(t, c);
		/* 1012 "service restart": reconnect, another instance has it. */
		conn_close(c, 1012, "Table moved: reconnect");
	}
	tables_release(t->reg, t);
}
