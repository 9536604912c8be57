/*
 * codec.h — the interface between felt-wsd's table runtime and a WebSocket
 * dialect.
 *
 * A dialect (wsd/moltpoker.c for /v1/ws, wsd/openpoker.c for /ws) is a thin
 * translator: it turns client frames into calls on the runtime (table.h,
 * tables.h) and the runtime's messages (struct tmsg) into frames.  It keeps
 * no game state of its own: everything it shows comes from the table at the
 * moment of the message, and every card it shows comes from a struct
 * hand_view (poker/view.h), the one redaction point.
 *
 * The runtime talks to connections only through emit(): the same sequence
 * of messages goes to every dialect, and each picks what its protocol says
 * (MoltPoker answers TM_STATE with a game_state; Open Poker answers
 * TM_HAND_EVENT with player_action / community_cards, TM_TURN with
 * your_turn, and so on).
 */
#ifndef FELT_WSD_CODEC_H
#define FELT_WSD_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct conn;
struct table;

enum tmsg_type {
	/* The connection is now attached to the table (a seat's player or an
	 * observer): greet it and show the current state. */
	TM_ATTACHED,
	/* The table's lifecycle status changed: waiting (players seated
	 * changed), running (started), ended (reason, final stacks). */
	TM_STATUS,
	/* A player took seat m->seat (waiting tables). */
	TM_PLAYER_JOINED,
	/* The player of seat m->seat (agent m->agent_id) left or was kicked
	 * (m->reason: "leave", "kick"). */
	TM_PLAYER_LEFT,
	/* A hand started: m->seq is the state's seq. */
	TM_HAND_STARTED,
	/* Entry m->entry of the table's hand log happened; already filtered
	 * for this viewer (view_event_visible). */
	TM_HAND_EVENT,
	/* It is m->seat's turn (sent to everyone; the turn token is only
	 * readable by that seat's connection through table_turn_token). */
	TM_TURN,
	/* A step is over (an action, a timeout, a start): the state now is
	 * final until the next message; m->seq is its seq. */
	TM_STATE,
	/* The hand is over and its results are in the view (phase done). */
	TM_HAND_DONE,
	/* To one connection: its action (m->turn_token) is applied; m->seq is
	 * the state's seq after it (the same when a resend is acknowledged
	 * again). */
	TM_ACK,
};

struct tmsg {
	enum tmsg_type type;
	int seat;              /* TM_PLAYER_*, TM_TURN */
	int entry;             /* TM_HAND_EVENT */
	int64_t seq;           /* TM_STATE, TM_ACK, TM_HAND_STARTED */
	const char *agent_id;  /* TM_PLAYER_LEFT */
	const char *reason;    /* TM_PLAYER_LEFT */
	const char *turn_token;/* TM_ACK */
};

/*
 * Errors the runtime reports to a client, and the dialect's words for them
 * (codec.error's code argument is the dialect's string).
 */
enum wsd_err {
	WSD_OK = 0,
	WSD_ENOT_YOUR_TURN = -1,   /* another seat is to act, or no hand */
	WSD_ESTALE = -2,           /* expected_seq or turn token is not current */
	WSD_EINVALID_ACTION = -3,  /* the engine refused (message says why) */
	WSD_EVALIDATION = -4,      /* malformed message */
	WSD_EUNAUTHORIZED = -5,    /* no or unknown credential */
	WSD_ESESSION_EXPIRED = -6, /* session expired, revoked, or seat left */
	WSD_ETABLE_NOT_FOUND = -7, /* no such table (here) */
	WSD_ETABLE_ENDED = -8,     /* the table has ended */
	WSD_EUNAVAILABLE = -9,     /* database down: try again */
	WSD_ERATE = -10,           /* too many messages */
};

struct codec {
	const char *name;
	/*
	 * keeps_socket — the connection outlives its table (Open Poker's /ws:
	 * one socket per agent, from table to table through the lobby).  When
	 * its player leaves, or its table ends, the runtime tells it (the
	 * TM_PLAYER_LEFT or TM_STATUS message) and detaches it instead of
	 * closing the socket.
	 */
	bool keeps_socket;
	/*
	 * rate_per_s — messages a connection may send in any one second (a
	 * sliding window; each message over it is dropped and answered with
	 * error(WSD_ERATE)); at most CONN_RATE_MAX.  0: the server's token
	 * bucket (FELT_WSD_RATE, FELT_WSD_RATE_BURST).
	 */
	int rate_per_s;
	/*
	 * open — a connection was accepted on this dialect's path (path_arg:
	 * what follows the path, e.g. the table id of an observer; "" if
	 * none).  Runs inside the lws ESTABLISHED callback, so it may read the
	 * query string (conn_query_arg).  Starts authentication; returns 0, or
	 * -1 after asking the connection to close.
	 */
	int (*open)(struct conn *c, const char *path_arg);
	/* rx — one complete client message (at most FELT_WSD_MAX_MESSAGE). */
	void (*rx)(struct conn *c, const char *msg, size_t len);
	/* emit — the runtime tells this connection something. */
	void (*emit)(struct conn *c, const struct table *t, const struct tmsg *m);
	/* error — send the dialect's error frame for err with message. */
	void (*error)(struct conn *c, enum wsd_err err, const char *message);
	/* closed — the socket is gone; release what the dialect holds (the
	 * server has already detached it from its table). */
	void (*closed)(struct conn *c);
	/*
	 * broadcast — optional; called only for the tables that asked for it
	 * (table_keep_frames): m is about to go to every viewer of t (begin
	 * true) or has gone to them all (begin false).  Open Poker numbers a
	 * public frame once for all its recipients and keeps it for resync.
	 */
	void (*broadcast)(struct table *t, const struct tmsg *m, bool begin);
	/*
	 * rate_exempt — optional: a message over rate_per_s that the dialect
	 * takes all the same (Open Poker: an action on the connection's own
	 * pending turn; a table without pacing may ask a fast bot for more
	 * than rate_per_s actions a second, and only one per turn can be
	 * accepted).  Not counted in the window.
	 */
	bool (*rate_exempt)(struct conn *c, const char *msg, size_t len);
};

/* wsd_err_name — the MoltPoker spelling of err ("NOT_YOUR_TURN", ...). */
const char *wsd_err_name(enum wsd_err err);

#endif
