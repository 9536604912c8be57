/*
 * table.c — the table runtime's hands: dealing, actions, timeouts, the
 * order of what everyone is told, and the end of a hand.
 */
#include "table.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/pyjson.h"
#include "core/token.h"
#include "tables.h"

static void turn_timeout(void *arg);
static void next_hand(void *arg);
static void start_delay_over(void *arg);

/* A random UUIDv4, as MoltPoker's turn tokens are. */
static void new_uuid(char out[TABLE_TOKEN_MAX])
{
	uint8_t b[16];
	int i, n = 0;

	if (token_random(b, sizeof(b)) != TOKEN_OK)
		abort(); /* no randomness: no safe token, no safe deck */
	b[6] = (uint8_t)((b[6] & 0x0f) | 0x40);
	b[8] = (uint8_t)((b[8] & 0x3f) | 0x80);
	for (i = 0; i < 16; i++) {
		n += snprintf(out + n, (size_t)(TABLE_TOKEN_MAX - n), "%02x", b[i]);
		if (i == 3 || i == 5 || i == 7 || i == 9)
			out[n++] = '-';
	}
	out[n] = '\0';
}

struct table *table_new(struct tables *reg, const char *id, enum table_status status,
			const struct table_config *cfg, int hand_number, int button,
			int64_t table_seq)
{
	struct table *t = calloc(1, sizeof(*t));
	struct loop *l = tables_loop(reg);

	if (!t)
		return NULL;
	t->reg = reg;
	snprintf(t->id, sizeof(t->id), "%s", id);
	t->status = status;
	t->cfg = *cfg;
	t->hand_number = hand_number;
	t->button = button;
	t->pos = t->deal_pos = (struct button_pos){ button, -1, -1 };
	t->seq = table_seq + TABLE_SEQ_RESTART_GAP;
	handlog_init(&t->log);
	loop_timer_init(&t->start_timer, l, start_delay_over, t);
	loop_timer_init(&t->turn_timer, l, turn_timeout, t);
	loop_timer_init(&t->next_timer, l, next_hand, t);
	loop_timer_init(&t->abandon_timer, l, table_abandon_due, t);
	loop_timer_init(&t->grace_timer, l, table_grace_due, t);
	return t;
}

void table_free(struct table *t)
{
	struct conn *c, *next;

	if (!t)
		return;
	loop_timer_cancel(&t->start_timer);
	loop_timer_cancel(&t->turn_timer);
	loop_timer_cancel(&t->next_timer);
	loop_timer_cancel(&t->abandon_timer);
	loop_timer_cancel(&t->grace_timer);
	for (c = t->viewers; c; c = next) {
		next = c->vnext;
		c->table = NULL;
		c->vprev = c->vnext = NULL;
	}
	handlog_free(&t->log);
	replay_free(t->replay);
	if (t->frame_cache)
		pyjson_members_free(t->frame_cache);
	free(t->frame_cache);
	free(t->frame_shared_text);
	free(t);
}

bool table_set_seat(struct table *t, int seat, const char *agent_id, const char *name,
		    int64_t stack_chips)
{
	struct table_seat *s;
	bool was = false;

	if (seat < 0 || seat >= t->cfg.max_seats)
		return false;
	s = &t->seat[seat];
	was = s->occupied;
	if (!agent_id) {
		if (s->conn)
			s->conn = NULL; /* the registry closes it */
		memset(s, 0, sizeof(*s));
		return false;
	}
	if (was && strcmp(s->agent_id, agent_id) != 0)
		was = false; /* another agent: a new player */
	if (!was)
		s->dealt_in = false; /* it waits for the big blind */
	if (!was && t->cfg.cash && !s->conn) {
		/* Seated (or reloaded) without a connection yet: the grace runs. */
		s->gone_ms = loop_mono_ms();
		table_check_grace(t);
	}
	s->occupied = true;
	snprintf(s->agent_id, sizeof(s->agent_id), "%s", agent_id);
	snprintf(s->name, sizeof(s->name), "%s", name ? name : "");
	s->stack_chips = stack_chips;
	return !was;
}

/* The viewer a connection is: its seat, or a spectator. */
static int viewer_of(const struct conn *c)
{
	return c->seat >= 0 ? c->seat : VIEW_SPECTATOR;
}

/* Queries -------------------------------------------------------------------*/

bool table_view(const struct table *t, int viewer, struct hand_view *out)
{
	if (!t->log.started)
		return false;
	hand_view(&t->hand, viewer, out);
	return true;
}

const char *table_turn_token(const struct table *t, int seat)
{
	if (!t->in_hand || t->hand.phase != HAND_PHASE_BETTING || t->hand.to_act != seat ||
	    seat < 0)
		return NULL;
	return t->turn_token;
}

int table_seated(const struct table *t)
{
	int i, n = 0;

	for (i = 0; i < t->cfg.max_seats; i++)
		if (t->seat[i].occupied && !t->seat[i].leaving)
			n++;
	return n;
}

const char *table_phase_name(const struct table *t)
{
	static const char *const streets[] = { "preflop", "flop", "turn", "river" };

	if (!t->log.started)
		return "waiting";
	switch (t->hand.phase) {
	case HAND_PHASE_BETTING:
		return streets[t->hand.street];
	case HAND_PHASE_SHOWDOWN:
		return "showdown";
	default:
		return "ended";
	}
}

void table_final_stacks(const struct table *t, int64_t out[HAND_MAX_SEATS])
{
	int i;

	for (i = 0; i < HAND_MAX_SEATS; i++)
		out[i] = i < t->cfg.max_seats && t->seat[i].occupied && !t->seat[i].leaving
				 ? t->seat[i].stack_chips
				 : -1;
}

/* The hand --------------------------------------------------------------------*/

/* Send the log entries nobody has seen yet, each to whoever may see it, and
 * note the last player action (MoltPoker's `last`). */
static void dispatch(struct table *t)
{
	for (; t->log_seen < t->log.n; t->log_seen++) {
		const struct handlog_entry *e = &t->log.entries[t->log_seen];
		struct tmsg m = { .type = TM_HAND_EVENT, .entry = t->log_seen };
		struct conn *c;
		bool pub;

		if (e->action) {
			t->last.valid = true;
			t->last.seat = e->ev.seat;
			t->last.amount_chips = e->ev.amount_chips;
			switch (e->ev.type) {
			case HAND_EV_FOLD: t->last.type = HAND_FOLD; break;
			case HAND_EV_CHECK: t->last.type = HAND_CHECK; break;
			case HAND_EV_CALL: t->last.type = HAND_CALL; break;
			default: t->last.type = HAND_RAISE; break;
			}
		}
		/* What a spectator may see goes to everyone: a broadcast for
		 * the table's framer (table_keep_frames). */
		pub = t->framer && view_event_visible(&e->ev, VIEW_SPECTATOR);
		if (pub)
			t->framer->broadcast(t, &m, true);
		for (c = t->viewers; c; c = c->vnext)
			if (view_event_visible(&e->ev, viewer_of(c)))
				table_emit_to(t, c, &m);
		if (pub)
			t->framer->broadcast(t, &m, false);
	}
}

/* Applied at the turn of a seat whose player left mid-hand: it folds. */
static int fold_leaver(struct table *t, int seat)
{
	struct hand_action a = { .type = HAND_FOLD };
	int rc = handlog_apply(&t->log, &t->hand, seat, &a, loop_now_ms(), false, NULL);

	if (rc)
		log_event(LOG_ERROR, "leaver_fold_failed", "table=%s seat=%d error=\"%s\"",
			  t->id, seat, handlog_strerror(rc));
	return rc;
}

static void void_hand(struct table *t, const char *why);

/*
 * Carry the hand forward after a change: send the new entries, fold the
 * seats whose players left when their turn comes, settle a showdown.  Ends
 * with a player to act (a new turn token, the clock running) or the hand
 * done.
 */
static void advance(struct table *t)
{
	for (;;) {
		dispatch(t);
		if (t->hand.phase == HAND_PHASE_SHOWDOWN) {
			int rc = handlog_settle(&t->log, &t->hand, loop_now_ms());

			if (rc) {
				void_hand(t, handlog_strerror(rc));
				return;
			}
			continue;
		}
		if (t->hand.phase == HAND_PHASE_BETTING && t->seat[t->hand.to_act].leaving) {
			if (fold_leaver(t, t->hand.to_act)) {
				void_hand(t, "leaver fold refused");
				return;
			}
			continue;
		}
		break;
	}
	if (t->hand.phase == HAND_PHASE_BETTING) {
		const struct table_seat *s = &t->seat[t->hand.to_act];

		new_uuid(t->turn_token);
		/* Sitting out: gone, and timed out hand after hand. */
		loop_timer_arm(&t->turn_timer, s->timeout_hands >= TABLE_SIT_OUT_HANDS && !s->conn
						       ? 0
						       : t->cfg.action_timeout_ms);
	} else {
		t->turn_token[0] = '\0';
		loop_timer_cancel(&t->turn_timer);
	}
}

/* Tell everyone where the hand stands after a step, and commit a finished
 * hand. */
static void step_done(struct table *t)
{
	struct tmsg m = { .seq = t->seq };

	if (!t->in_hand)
		return;
	if (t->hand.phase == HAND_PHASE_BETTING) {
		m.type = TM_TURN;
		m.seat = t->hand.to_act;
		table_emit(t, &m);
	}
	m.type = TM_STATE;
	table_emit(t, &m);
	if (t->hand.phase == HAND_PHASE_DONE) {
		m.type = TM_HAND_DONE;
		table_emit(t, &m);
		t->commit_wanted = true;
		tables_request_commit(t->reg, t);
	}
}

/* A hand that cannot go on (an engine refusal the runtime did not expect,
 * memory) or that the table stopped: it never happened. */
static void void_hand(struct table *t, const char *why)
{
	int i;

	log_event(LOG_WARN, "hand_void", "table=%s hand=%d reason=\"%s\"", t->id,
		  t->hand_number + 1, why);
	loop_timer_cancel(&t->turn_timer);
	t->in_hand = false;
	t->commit_wanted = false;
	t->turn_token[0] = '\0';
	/* Seats whose players left during it are cleared between hands now. */
	for (i = 0; i < t->cfg.max_seats; i++)
		if (t->seat[i].leaving && !t->seat[i].leave_queued) {
			t->seat[i].leave_queued = true;
			tables_request_leave(t->reg, t, i, t->seat[i].agent_id,
					     t->seat[i].leave_reason, t->seat[i].leave_command);
		}
}

void table_deal(struct table *t)
{
	struct hand_config cfg;
	uint8_t seed[DECK_SEED_SIZE];
	struct tmsg m = { .type = TM_HAND_STARTED };
	int i, with_chips = 0, rc;

	if (t->status != TABLE_RUNNING || t->in_hand || t->committing || t->lost ||
	    t->start_pending || t->end_requested)
		return;
	if (t->pending_end) {
		table_end(t, t->pending_end, t->pending_end_command);
		return;
	}
	if (t->stopping)
		return;
	memset(&cfg, 0, sizeof(cfg));
	cfg.nseats = t->cfg.max_seats;
	for (i = 0; i < cfg.nseats; i++) {
		const struct table_seat *s = &t->seat[i];

		if (s->occupied && !s->leaving && s->stack_chips > 0) {
			cfg.stacks_chips[i] = s->stack_chips;
			with_chips++;
		}
	}
	if (with_chips < 2) {
		/* One player has every chip (or nobody is left). */
		table_end(t, t->cfg.cash ? "closed" : "game_complete", 0);
		return;
	}
	cfg.sb_chips = t->cfg.sb_chips;
	cfg.bb_chips = t->cfg.bb_chips;
	if (t->cfg.cash) {
		cfg.rake_bp = t->cfg.rake_bp;
		cfg.rake_cap_chips = t->cfg.rake_cap_chips;
		/* The dead button: newcomers wait for the big blind; when
		 * fewer than two can play, the table waits for players. */
		if (table_button_deal(t, &cfg))
			return;
	} else {
		cfg.button = hand_next_button(cfg.stacks_chips, cfg.nseats, t->button);
	}
	if (token_random(seed, sizeof(seed)) != TOKEN_OK)
		abort();
	rc = handlog_start(&t->log, &t->hand, &cfg, seed, tables_shuffler(t->reg),
			   loop_now_ms());
	if (rc) {
		log_event(LOG_ERROR, "deal_failed", "table=%s error=\"%s\"", t->id,
			  handlog_strerror(rc));
		return;
	}
	t->in_hand = true;
	t->log_seen = 0;
	t->last.valid = false;
	for (i = 0; i < HAND_MAX_SEATS; i++) {
		t->seat[i].acted_token[0] = '\0';
		t->seat[i].timed_out_this_hand = false;
		snprintf(t->hand_agent[i], sizeof(t->hand_agent[i]), "%s",
			 cfg.stacks_chips[i] > 0 ? t->seat[i].agent_id : "");
	}
	m.seq = ++t->seq;
	table_emit(t, &m);
	advance(t);
	step_done(t);
}

static void next_hand(void *arg)
{
	table_deal(arg);
}

void table_committed(struct table *t)
{
	int i;

	t->committing = false;
	t->commit_wanted = false;
	if (!t->in_hand)
		return;
	for (i = 0; i < t->cfg.max_seats; i++) {
		struct table_seat *s = &t->seat[i];

		if (!t->hand.seat[i].in_hand)
			continue;
		if (s->leaving) {
			/* The commit cleared the seat (its stack forfeited);
			 * a leave with its own write waits for table_left. */
			if (!s->leave_queued) {
				memset(s, 0, sizeof(*s));
				t->seats_gen++;
			}
			continue;
		}
		s->stack_chips = t->hand.seat[i].stack_chips;
	}
	t->hand_number++;
	t->button = t->hand.cfg.button;
	if (t->cfg.cash)
		table_button_committed(t);
	t->in_hand = false;
	/* A cash table's busted players leave it (they may buy in again). */
	for (i = 0; t->cfg.cash && i < t->cfg.max_seats; i++) {
		struct table_seat *s = &t->seat[i];

		if (s->occupied && !s->leaving && s->stack_chips == 0)
			table_leave(t, i, s->agent_id, "leave", 0);
	}
	if (t->pending_end) {
		table_end(t, t->pending_end, t->pending_end_command);
		return;
	}
	if (table_close_if_empty(t))
		return;
	loop_timer_arm(&t->next_timer, t->cfg.next_hand_ms);
}

void table_commit_failed(struct table *t)
{
	/* Still committing: the same commit is sent again when the database
	 * answers, and nothing is dealt meanwhile. */
	log_event(LOG_WARN, "table_paused", "table=%s hand=%d", t->id, t->hand_number + 1);
}

int64_t table_next_frame(struct table *t, int64_t *hand_seq)
{
	int64_t base = t->seq * TABLE_FRAMES_PER_SEQ;

	t->frame_seq = t->frame_seq + 1 > base ? t->frame_seq + 1 : base;
	if (t->in_hand && t->frame_hand != t->hand_number + 1) {
		t->frame_hand = t->hand_number + 1;
		t->frame_hand_count = 0;
	}
	*hand_seq = t->frame_hand ? ++t->frame_hand_count : 0;
	return t->frame_seq;
}

/* Play ------------------------------------------------------------------------*/

static void refusal(const struct table *t, int seat, int rc, char *msg, size_t msglen)
{
	struct hand_legal l;

	hand_legal(&t->hand, &l);
	switch (rc) {
	case HAND_ECHECK_FACING_BET:
		snprintf(msg, msglen, "Cannot check: %" PRId64 " to call", l.call_chips);
		break;
	case HAND_ENOTHING_TO_CALL:
		snprintf(msg, msglen, "Nothing to call: check instead");
		break;
	case HAND_ERAISE_BELOW_MIN:
		snprintf(msg, msglen, "Raise amount must be at least %" PRId64,
			 l.min_raise_to_chips);
		break;
	case HAND_ERAISE_ABOVE_STACK:
		snprintf(msg, msglen, "Raise amount must be at most %" PRId64 " (all-in)",
			 l.max_raise_to_chips);
		break;
	case HAND_ERAISE_CLOSED:
		snprintf(msg, msglen, "Raising is closed: a short all-in did not reopen the "
				      "betting; call or fold");
		break;
	case HAND_ERAISE_NO_OPPONENT:
		snprintf(msg, msglen, "Cannot raise: every opponent is all-in; call or fold");
		break;
	case HANDLOG_EFULL:
		snprintf(msg, msglen, "This hand has too many raises: fold, check or call");
		break;
	default:
		snprintf(msg, msglen, "Action not allowed: %s", handlog_strerror(rc));
		break;
	}
	(void)seat;
}

int table_act(struct table *t, struct conn *c, const struct table_act *a, char *msg,
	      size_t msglen)
{
	struct hand_action ha = { .type = a->type, .amount_chips = a->amount_chips };
	struct table_seat *s;
	struct tmsg ack = { .type = TM_ACK };
	int seat = c->seat, rc;

	if (seat < 0 || c->table != t) {
		snprintf(msg, msglen, "Observers cannot act");
		return WSD_ENOT_YOUR_TURN;
	}
	s = &t->seat[seat];
	/* A resend of the action just applied: the same answer, nothing done. */
	if (a->turn_token && t->in_hand && s->acted_token[0] &&
	    token_equal(a->turn_token, s->acted_token)) {
		ack.turn_token = s->acted_token;
		ack.seq = s->acted_seq;
		table_emit_to(t, c, &ack);
		return 0;
	}
	if (a->has_expected_seq && a->expected_seq != t->seq) {
		snprintf(msg, msglen, "Game state has changed (seq is now %" PRId64 ")", t->seq);
		return WSD_ESTALE;
	}
	if (!t->in_hand || t->hand.phase != HAND_PHASE_BETTING || t->hand.to_act != seat) {
		snprintf(msg, msglen, "It is not your turn to act");
		return WSD_ENOT_YOUR_TURN;
	}
	if (a->turn_token && !token_equal(a->turn_token, t->turn_token)) {
		snprintf(msg, msglen, "turn_token is not the token of this turn: use the one "
				      "of the latest game_state");
		return WSD_EINVALID_ACTION;
	}
	rc = handlog_apply(&t->log, &t->hand, seat, &ha, loop_now_ms(), false, a->reasoning);
	if (rc) {
		refusal(t, seat, rc, msg, msglen);
		return WSD_EINVALID_ACTION;
	}
	loop_timer_cancel(&t->turn_timer);
	t->seq++;
	s->timeout_hands = 0;
	snprintf(s->acted_token, sizeof(s->acted_token), "%s",
		 a->turn_token ? a->turn_token : t->turn_token);
	s->acted_seq = t->seq;
	ack.turn_token = s->acted_token;
	ack.seq = t->seq;
	table_emit_to(t, c, &ack);
	advance(t);
	step_done(t);
	return 0;
}

static void turn_timeout(void *arg)
{
	struct table *t = arg;
	struct hand_action a;
	int seat, rc;

	if (!t->in_hand || t->hand.phase != HAND_PHASE_BETTING)
		return;
	seat = hand_timeout_action(&t->hand, &a);
	rc = handlog_apply(&t->log, &t->hand, seat, &a, loop_now_ms(), true, NULL);
	if (rc) {
		void_hand(t, handlog_strerror(rc));
		return;
	}
	log_event(LOG_DEBUG, "turn_timeout", "table=%s seat=%d", t->id, seat);
	if (!t->seat[seat].timed_out_this_hand) {
		t->seat[seat].timed_out_this_hand = true;
		t->seat[seat].timeout_hands++;
	}
	t->seq++;
	advance(t);
	step_done(t);
}

/* Lifecycle timers that table_life.c arms. */
static void start_delay_over(void *arg)
{
	table_start(arg, false, 0);
}

void table_void_hand(struct table *t, const char *why)
{
	if (t->in_hand && !t->committing)
		void_hand(t, why);
}

void table_fold_leaver_now(struct table *t)
{
	if (!t->in_hand || t->hand.phase != HAND_PHASE_BETTING)
		return;
	loop_timer_cancel(&t->turn_timer);
	t->seq++;
	advance(t);
	step_done(t);
}
