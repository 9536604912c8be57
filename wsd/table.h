/*
 * table.h — the table runtime: one live table, whatever the wire format.
 *
 * A table owns its seats, the hand in progress (the engine, poker/hand.h,
 * driven through its log, poker/handlog.h), its timers (start delay, the
 * turn clock, the pause between hands, abandonment), the connections
 * watching it, and the commit of each finished hand.  It knows no dialect:
 * it tells every connection what happens through conn->codec->emit (codec.h)
 * and answers requests with wsd_err codes; every card a dialect shows comes
 * from table_view (poker/view.h).
 *
 * Life of a table (DESIGN §4):
 *   waiting   seats fill (felt-api seats agents and files a "seat" command);
 *             once min_players are seated the start delay runs, a full table
 *             starts at once, an admin "start" command starts it now;
 *   running   hands are dealt one after the other; each finished hand is
 *             committed (tables.h -> store.h) before the next is dealt; if
 *             the database is down the table pauses and retries;
 *   ended     one player has every chip (game_complete), nobody connected
 *             for the abandonment grace (abandoned), or an admin "stop"
 *             (admin_stopped): table_status ended to everyone, sockets
 *             closed 1000.
 * A hand in progress when the table ends or the process stops is void: the
 * stacks are the last committed ones.
 *
 * Sequence numbers.  t->seq grows by one at every step (a hand dealt, an
 * action, a hand over) and never goes back, across restarts too: it is
 * stored with each hand (tables.table_seq) and a reloaded table continues
 * TABLE_SEQ_RESTART_GAP above it, more than any hand can use (a hand log
 * holds at most HANDLOG_MAX_ENTRIES entries).
 */
#ifndef FELT_WSD_TABLE_H
#define FELT_WSD_TABLE_H

#include <stdbool.h>
#include <stdint.h>

#include "codec.h"
#include "conn.h"
#include "loop.h"
#include "poker/button.h"
#include "poker/hand.h"
#include "poker/handlog.h"
#include "poker/view.h"
#include "replay.h"

#define TABLE_ID_MAX 37
#define TABLE_NAME_MAX 65
#define TABLE_TOKEN_MAX 37             /* a turn token: a UUID */
#define TABLE_SEQ_RESTART_GAP 10000
#define TABLE_MAX_PENDING_LEAVES HAND_MAX_SEATS
/* Frames a table may send per step of t->seq: table_seq of the frames is
 * at least seq * this, so it keeps growing across restarts with seq. */
#define TABLE_FRAMES_PER_SEQ 1000

struct tables;
struct pyjson_members;

enum table_status { TABLE_WAITING, TABLE_RUNNING, TABLE_ENDED };

/* What the tables row says, fixed for the table's life. */
struct table_config {
	bool cash;                 /* kind 'cash' (Open Poker), else 'agent' */
	int max_seats;
	int64_t sb_chips, bb_chips;
	int64_t initial_stack_chips;
	int action_timeout_ms;
	int min_players;
	int start_delay_ms;
	int next_hand_ms;
	int64_t chip_ucents;
	int rake_bp;
	int64_t rake_cap_chips;
};

struct table_seat {
	bool occupied;                  /* an agent sits here */
	char agent_id[TABLE_ID_MAX];
	char name[TABLE_NAME_MAX];
	int64_t stack_chips;            /* the committed stack */
	struct conn *conn;              /* its player's connection, or NULL */
	/* Left or kicked while a hand was in progress: folded at its next
	 * turn, its seat cleared and its stack forfeited when the hand is
	 * committed. */
	bool leaving;
	const char *leave_reason;       /* "leave" or "kick" */
	int64_t leave_command;          /* table_commands id, 0 if none */
	/* Its leave has a write of its own, queued (left between hands, during
	 * the commit, or in a voided hand): the seat stays leaving, never dealt
	 * in nor brought back by a seats read, until table_left clears it. */
	bool leave_queued;
	/* The last action this seat had applied in this hand, so a resend of
	 * it gets the same ack. */
	char acted_token[TABLE_TOKEN_MAX];
	int64_t acted_seq;
	/* Hands in a row in which it timed out (DESIGN §3): from
	 * TABLE_SIT_OUT_HANDS on, while no connection plays it, its turns take
	 * the safety default at once instead of running the clock. */
	int timeout_hands;
	bool timed_out_this_hand;
	/* Cash tables: when its player last had no connection (loop_mono_ms),
	 * 0 while connected; after grace_ms without one it leaves. */
	int64_t gone_ms;
	/* Cash tables (TDA dead button): its player has been dealt in at this
	 * table since sitting down, so plays every hand; a newcomer waits for
	 * the big blind (or posts one, FELT_CASH_POST_BB). */
	bool dealt_in;
};

#define TABLE_SIT_OUT_HANDS 3

/* The last voluntary (or timeout) action of the hand, MoltPoker's `last`. */
struct table_last {
	bool valid;
	int seat;
	enum hand_action_type type;
	int64_t amount_chips;           /* raise-to, for raises */
};

struct table {
	struct tables *reg;
	char id[TABLE_ID_MAX];
	enum table_status status;
	struct table_config cfg;
	struct table_seat seat[HAND_MAX_SEATS];
	int hand_number;                /* the last committed hand (0: none) */
	int button;                     /* its button, -1 before the first */
	/* Cash tables: the dead button's positions (poker/button.h) of the
	 * last committed hand ({-1,-1,-1} before a first) and of the hand in
	 * progress (they become pos when it commits). */
	struct button_pos pos, deal_pos;
	bool post_bb;                   /* cash: newcomers post (FELT_CASH_POST_BB) */
	int64_t seq;
	const char *end_reason;         /* once ended */

	/* The hand in progress: dealt, not yet committed. */
	bool in_hand;
	struct hand hand;
	struct handlog log;
	int log_seen;                   /* entries already sent */
	char hand_agent[HAND_MAX_SEATS][TABLE_ID_MAX]; /* who was dealt in */
	char turn_token[TABLE_TOKEN_MAX];
	struct table_last last;
	bool committing;                /* the commit is in flight */
	bool commit_wanted;             /* done, to be committed (again) */

	/* What was asked while a hand or a commit was in progress. */
	const char *pending_end;        /* end reason to apply between hands */
	int64_t pending_end_command;
	bool end_requested;             /* the end is being written */
	bool stopping;                  /* process shutdown: deal no more */

	/* Viewers: players' and observers' connections. */
	struct conn *viewers;
	int connected_players;

	struct loop_timer start_timer, turn_timer, next_timer, abandon_timer;
	struct loop_timer grace_timer;  /* cash: the next seat whose grace ends */
	int grace_ms;                   /* cash: FELT_CASH_GRACE_MS */
	bool start_pending;             /* a start request is in flight */
	bool lost;                      /* another instance owns it now */

	/* The registry's (tables.c): its hash chain, its writes to the
	 * database (one in flight at a time, in order), commands seen. */
	struct table *hnext;
	uint64_t epoch;                 /* claim round it was loaded in */
	/* Bumped whenever a seat is emptied (leave written, leaver's hand
	 * committed): a seats read issued before may still show its player,
	 * who must not come back (tables_commands.c, tables_load.c). */
	uint64_t seats_gen;
	/* Seats reads in the order they were sent, and the newest applied:
	 * answers come back on different pool connections, in any order, and
	 * an older one must not undo a newer one (a player seated since). */
	uint64_t seats_read_sent, seats_read_applied;
	struct table_write *wq_head, *wq_tail;
	bool wq_busy;
	bool released;                  /* ended or lost: free when idle */
	int64_t cmd_high;               /* highest table_commands id applied */
	int abandon_ms;                 /* config.abandon_ms or the default */

	/* Open Poker's table_seq (table_next_frame): the last number a frame
	 * of this table carried; the hand they count (hand_seq) and how many
	 * frames it has had. */
	int64_t frame_seq, frame_hand_count;
	int frame_hand;
	/* The dialect keeping this table's public frames (table_keep_frames)
	 * and them; NULL when none does.  While it broadcasts a message, the
	 * numbers its public frame went out under (0: none). */
	const struct codec *framer;
	struct replay *replay;
	int64_t frame_shared_seq, frame_shared_hand_seq;
	/* While it broadcasts a message (frame_caching; not hand_start, whose
	 * frame names each viewer's seat), what is spelled once for every
	 * viewer: a table_state's shared members, or a public frame's whole
	 * text; dropped when the broadcast ends (openpoker_state.c). */
	struct pyjson_members *frame_cache;
	char *frame_shared_text;
	size_t frame_shared_len;
	bool frame_caching;
};

/* Build ------------------------------------------------------------------*/

/*
 * table_new — a table as loaded from the database (status, config, the last
 * committed hand number, button and table_seq).  Seats are set with
 * table_set_seat.  Returns NULL when memory is short.  Free with table_free.
 */
struct table *table_new(struct tables *reg, const char *id, enum table_status status,
			const struct table_config *cfg, int hand_number, int button,
			int64_t table_seq);

/* table_free — cancel the timers, detach viewers (without closing them) and
 * free t. */
void table_free(struct table *t);

/*
 * table_set_seat — seat seat holds agent_id (NULL: empty) named name with
 * stack_chips.  Returns true when this seat was empty before and is now
 * taken (a player joined).
 */
bool table_set_seat(struct table *t, int seat, const char *agent_id, const char *name,
		    int64_t stack_chips);

/* Connections -------------------------------------------------------------*/

/*
 * table_attach — c becomes a viewer of t: the player of seat (taking the
 * seat over from an older connection, which is closed 1008) or an observer
 * (seat -1).  Emits TM_ATTACHED to c.  Returns 0 or a wsd_err
 * (WSD_ESESSION_EXPIRED: c's agent does not hold that seat any more,
 * WSD_ETABLE_ENDED).
 */
int table_attach(struct table *t, struct conn *c, int seat);

/* table_detach — c goes away (socket closed). */
void table_detach(struct table *t, struct conn *c);

/* Play --------------------------------------------------------------------*/

/* A player's request to act. */
struct table_act {
	enum hand_action_type type;     /* FOLD, CHECK, CALL, RAISE */
	int64_t amount_chips;           /* RAISE: raise-to */
	const char *turn_token;         /* NULL: not checked */
	bool has_expected_seq;
	int64_t expected_seq;
	const char *reasoning;          /* NULL or at most 2000 characters */
};

/*
 * table_act — the player on c acts.  On success the action is applied, c
 * gets TM_ACK, and everyone the consequences; a resend of the seat's last
 * applied action (same turn token) gets the same TM_ACK again and changes
 * nothing.  Returns 0, or a wsd_err with a message for the client in msg
 * (msglen bytes): WSD_ENOT_YOUR_TURN, WSD_ESTALE (expected_seq or token not
 * current), WSD_EINVALID_ACTION (the engine's reason).
 */
int table_act(struct table *t, struct conn *c, const struct table_act *a, char *msg,
	      size_t msglen);

/* table_view — what viewer (a seat or VIEW_SPECTATOR) may see of the hand in
 * progress or the last one dealt; false when no hand was dealt since the
 * table was loaded. */
bool table_view(const struct table *t, int viewer, struct hand_view *out);

/* table_turn_token — the token of the current turn when seat is to act,
 * else NULL. */
const char *table_turn_token(const struct table *t, int seat);

/* table_seated — players holding a seat (left ones excluded). */
int table_seated(const struct table *t);

/*
 * table_next_frame — the table_seq of the next frame t sends (Open Poker:
 * strictly increasing over all frames to all viewers, and across restarts,
 * as it grows with t->seq); *hand_seq gets the frame's number within the
 * current hand (1 for the hand's first frame, counting on while idle
 * after it; 0 before the first hand).
 */
int64_t table_next_frame(struct table *t, int64_t *hand_seq);

/* table_phase_name — "waiting", "preflop", "flop", "turn", "river",
 * "showdown" or "ended" (MoltPoker's phases). */
const char *table_phase_name(const struct table *t);

/* Lifecycle (table_life.c) ------------------------------------------------*/

/* table_seats_changed — seats were re-read (a "seat" command): announce
 * joiners, and start the table when its conditions are met. */
void table_seats_changed(struct table *t, const bool joined[HAND_MAX_SEATS]);

/* table_start — start now (admin: force) or when the start delay has run;
 * asks the database (tables.h) and deals the first hand when it agrees.
 * command: the table_commands id to mark done, 0 if none. */
void table_start(struct table *t, bool force, int64_t command);

/* table_started — the database agreed (seats: the seated players). */
void table_started(struct table *t);

/* table_leave — agent leaves seat (reason "leave" or "kick"); mid-hand it
 * folds at its turn and is cleared when the hand commits. */
void table_leave(struct table *t, int seat, const char *agent_id, const char *reason,
		 int64_t command);

/* table_left — the database cleared the seat (between hands). */
void table_left(struct table *t, int seat, const char *agent_id, const char *reason);

/* table_end — end the table for reason (the hand in progress, if any, is
 * void).  command: the table_commands id to mark done, 0 if none. */
void table_end(struct table *t, const char *reason, int64_t command);

/* table_close_if_empty — a cash table nobody sits at any more (between
 * hands) ends (reason "closed"): it is never reused, the lobby opens another
 * (sql/061).  Returns true when it is ending. */
bool table_close_if_empty(struct table *t);

/* table_ended — the database recorded the end: tell everyone, close every
 * socket 1000; the registry frees the table afterwards. */
void table_ended(struct table *t);

/* table_deal — deal the next hand (or end the table when fewer than two
 * players have chips).  Agent tables move the button to the next seat with
 * chips; cash tables follow the dead button (table_button_deal), and wait
 * when it leaves fewer than two to deal. */
void table_deal(struct table *t);

/* table_committed — the database committed the hand in progress. */
void table_committed(struct table *t);

/* Cash tables' dead button (table_button.c) ---------------------------------*/

/*
 * table_button_state — what seat s is to poker/button.h's button_next:
 * EMPTY (nobody, leaving, busted, or sitting out: gone and timed out hand
 * after hand), PLAYING (dealt in at this table since it sat down), else a
 * newcomer, POSTING when post_bb, WAITING (for the big blind) otherwise.
 */
enum button_seat table_button_state(const struct table_seat *s, bool post_bb);

/*
 * table_button_deal — cash tables: put the next hand's button, blinds,
 * posts and players (the others' stacks zeroed) into cfg, whose nseats,
 * stacks and blinds' sizes are set, after t->pos; t->deal_pos gets the
 * hand's positions.  When the rule deals in fewer than two (everyone else
 * waits for a big blind that cannot move without a hand) the game starts
 * afresh: everyone seated is dealt in, the button after the last one.
 * Returns 0, or BUTTON_ETOO_FEW (fewer than two seated players can play:
 * nobody is dealt) or BUTTON_EINVAL (t->pos does not fit the table).
 */
int table_button_deal(struct table *t, struct hand_config *cfg);

/* table_button_committed — cash tables: the hand in progress committed:
 * its positions become t->pos, and whoever it dealt in plays from now on. */
void table_button_committed(struct table *t);

/*
 * table_button_loaded — cash tables, as loaded (063_dead_button.sql's
 * wsd_button_pos): the last hand's positions (bb -1 when unknown: the next
 * hand is a fresh start after button), and playing, the comma-separated
 * agent ids dealt in since they sat down (NULL: nobody); seats must be set.
 * Positions that do not fit the table are dropped (a fresh start).
 */
void table_button_loaded(struct table *t, const struct button_pos *pos, const char *playing);

/* table_seat_waits — cash tables: seat holds a newcomer not dealt in yet
 * (Open Poker shows it "waiting"). */
bool table_seat_waits(const struct table *t, int seat);

/* table_commit_failed — the commit did not go through (database down: the
 * registry retries when it is back). */
void table_commit_failed(struct table *t);

/* table_lost — another instance owns t now: close its sockets (1012) without
 * writing anything. */
void table_lost(struct table *t);

/* table_emit — send m to every viewer that may see it (between the framer's
 * broadcast calls, if t has one). */
void table_emit(struct table *t, const struct tmsg *m);

/*
 * table_keep_frames — dialect k asks t to keep its recent public frames
 * (replay.h) and to call k->broadcast around every table_emit from now on;
 * the first dialect to ask wins.  Returns 0, or -1 when memory is short.
 */
int table_keep_frames(struct table *t, const struct codec *k);

/* table_emit_to — send m to c. */
void table_emit_to(struct table *t, struct conn *c, const struct tmsg *m);

/* table_check_abandon — (re)arm or cancel the abandonment timer. */
void table_check_abandon(struct table *t);

/* table_check_grace — cash tables: (re)arm the timer of the first seat
 * whose player has had no connection for grace_ms (table_grace_due then
 * makes it leave: its chips go back to its balance). */
void table_check_grace(struct table *t);

/* table_grace_due — the grace timer's callback (arg: the table). */
void table_grace_due(void *arg);

/* table_abandon_due — the abandonment timer's callback (arg: the table):
 * ends it "abandoned" if still nobody plays. */
void table_abandon_due(void *arg);

/* table_void_hand — the hand in progress (if any, and not being committed)
 * never happened: stacks stay the committed ones; mid-hand leavers are
 * cleared between hands.  why goes to the log. */
void table_void_hand(struct table *t, const char *why);

/* table_fold_leaver_now — the seat to act has just left: fold it now. */
void table_fold_leaver_now(struct table *t);

/* table_final_stacks — for each seat: its stack if occupied and not
 * leaving, else -1. */
void table_final_stacks(const struct table *t, int64_t out[HAND_MAX_SEATS]);

#endif
