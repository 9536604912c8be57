/*
 * bot_run — a felt-bot run: the agents, what they share (one lws context,
 * the HTTP slots, the statistics, the keys file) and each agent's life:
 *
 *   register (POST /v1/agents | /api/register; skipped for --keys agents)
 *   → join (POST /v1/tables/auto-join; moltpoker only)
 *   → connect (ws_url?token=..&format=agent | /ws with the bearer key)
 *   → play (bot_molt / bot_open decide, bot_conn moves the frames)
 *   → done (hands played, table ended, or stopped) | failed (gave up)
 *
 * Every step that can fail is retried with backoff up to --retries times;
 * a closed socket is reconnected the same way (a new session is fetched
 * when the server says the old one is gone).  Nothing blocks: steps are
 * callbacks and lws_sul timers on the one loop.
 *
 * bot_agent.c holds the life cycle and the REST steps, bot_conn.c the
 * WebSocket connection, felt-bot.c the loop, signals and the summary.
 */
#ifndef FELT_BOT_RUN_H
#define FELT_BOT_RUN_H

#include <libwebsockets.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "bot_molt.h"
#include "bot_open.h"
#include "bot_opts.h"
#include "bot_rest.h"
#include "bot_stats.h"

#define BOT_HTTP_SLOTS 16   /* REST requests in flight at once */
#define BOT_CONNECT_SLOTS 64 /* WebSocket handshakes in flight at once */
#define BOT_OUTQ 8          /* client frames queued per connection */
#define BOT_RX_MAX (256 * 1024) /* longest server frame accepted */
#define BOT_STOP_GRACE_S 5  /* after a stop, how long leaving tables may take */

enum agent_state {
	AG_IDLE,      /* not started */
	AG_REGISTER,
	AG_JOIN,
	AG_CONNECT,   /* socket opening */
	AG_PLAY,      /* socket open */
	AG_DONE,
	AG_FAILED,
};

struct bot_run;

/*
 * What an agent may only do so many at a time: REST requests (felt-api has a
 * few threads) and WebSocket handshakes (thousands at once would time out).
 * Agents wait in order; a slot freed goes to the first in line.
 */
enum bot_pool_id {
	BOT_POOL_HTTP,
	BOT_POOL_CONNECT,
	BOT_POOLS,
};

struct bot_pool {
	int inflight, limit;
	int rate;               /* starts per second; 0 = as fast as slots free up */
	double tokens;          /* starts earned and not yet used (rate only) */
	int64_t refilled_us;
	struct bot_agent *head, *tail;
};

struct bot_agent {
	struct bot_run *run;
	int index;
	enum agent_state state;
	char name[40];
	char api_key[BOT_REST_KEY_MAX];
	char agent_id[BOT_REST_ID_MAX];
	struct bot_join join;        /* moltpoker: the last join answer */
	int attempts;                /* consecutive failures of the current step */
	int rate_waits;              /* 429 answers waited out */
	lws_sorted_usec_list_t sul_retry; /* the next attempt of a step */
	lws_sorted_usec_list_t sul_think; /* a delayed action (--think-ms) */
	void (*step)(struct bot_agent *); /* the step waiting for a slot or a retry */
	struct bot_agent *wait_next; /* in the queue of a pool */
	bool holds[BOT_POOLS];       /* a slot of that pool is this agent's */
	/* the WebSocket */
	struct lws *wsi;
	bool reconnecting;           /* the next connection replaces one that broke */
	bool closing;                /* we close it on purpose */
	bool established;            /* the WebSocket handshake completed */
	bool in_open;                /* inside lws_client_connect_via_info */
	bool open_failed;            /* the connect failed while in_open */
	char close_code[48];         /* last error code before the server closed */
	union {
		struct molt_agent molt;
		struct open_agent open;
	} p;
	char *outq[BOT_OUTQ];        /* LWS_PRE + frame, malloc'd */
	size_t outlen[BOT_OUTQ];
	bool outact[BOT_OUTQ];       /* the frame is an action (latency starts when written) */
	int out_head, out_count;
	char think_text[BOT_OUT_MAX];
	bool think_pending;
	char *rx;
	size_t rx_len, rx_cap;
	bool rx_overflow;
	int64_t action_sent_us;      /* when the last action went out; 0 = none pending */
	/* hands */
	int table_slot;              /* the table being played, in run->tables; -1 none */
	int64_t hands_before;        /* hands on earlier tables (--rejoin) */
	int64_t hands_table;         /* hands seen on this table */
	bool table_ended;
	int64_t leave_by_us;         /* openpoker stop: close if not left by then */
};

struct table_count {
	char id[BOT_REST_ID_MAX];
	int64_t hands;
};

struct bot_run {
	struct lws_context *cx;
	const struct bot_opts *opts;
	struct bot_stats stats;
	struct bot_agent *agents;
	int n_agents;
	char run_tag[12];            /* random hex in agent names */
	FILE *keys_out;              /* --keys file, appended to */
	struct bot_pool pool[BOT_POOLS];
	struct table_count *tables;
	int n_tables, cap_tables;
	bool stopping;
	int64_t stop_deadline_us;
	bool finished;
	int64_t start_us, end_us;
	lws_sorted_usec_list_t tick;
	volatile sig_atomic_t *signals; /* SIGINT/SIGTERM count, from main */
	volatile sig_atomic_t *snapshots; /* SIGUSR1 count, from main */
	sig_atomic_t snapshots_done;
	int bad_frame_logs;          /* bad frames logged so far (the rest only counted) */
	bool check_due;              /* an agent finished: see whether the run is complete */
};

/* bot_now_us — monotonic microseconds (lws's clock). */
int64_t bot_now_us(void);

/*
 * bot_agent_start — begin agent a's life: register, or join/connect at
 * once when its key came from --keys.
 */
void bot_agent_start(struct bot_agent *a);

/*
 * bot_agent_table_ended — the agent's table is over (table_status ended /
 * table_closed): rejoin (--rejoin and hands still wanted) or finish.
 */
void bot_agent_table_ended(struct bot_agent *a);

/*
 * bot_agent_ws_closed — the socket is gone (failed to open, or closed):
 * decide between done, reconnecting, fetching a new session, or failing.
 */
void bot_agent_ws_closed(struct bot_agent *a);

/* bot_agent_resume — run a->step on the next loop turn (a pool slot came free). */
void bot_agent_resume(struct bot_agent *a);

/* bot_agent_fail — give up on agent a for reason (logged once). */
void bot_agent_fail(struct bot_agent *a, const char *reason);

/* bot_agent_done — agent a has nothing more to do (closes its socket if open). */
void bot_agent_done(struct bot_agent *a);

/*
 * bot_agent_hand — one more hand seen at table table_id: updates the
 * table's count and the run's hands figure.
 */
void bot_agent_hand(struct bot_agent *a);

/*
 * bot_run_table — the index of table id in r->tables (hands per table),
 * added on first sight; -1 when out of memory.
 */
int bot_run_table(struct bot_run *r, const char *id);

/* bot_agent_satisfied — the agent's tables have played the --hands asked (never when 0). */
bool bot_agent_satisfied(const struct bot_agent *a);

/* bot_run_check — note that an agent finished; the next tick stops the run when
 * every agent is done, failed or satisfied. */
void bot_run_check(struct bot_run *r);

/*
 * bot_run_begin — start every agent and the run's tick (100 ms: signals,
 * snapshots, --duration, completion, the stop grace).  sigcount counts
 * SIGINT/SIGTERM, usr1count SIGUSR1 (each one prints a snapshot line).
 */
void bot_run_begin(struct bot_run *r, volatile sig_atomic_t *sigcount,
		   volatile sig_atomic_t *usr1count);

/*
 * bot_run_stop — stop: no new steps; moltpoker sockets close, openpoker
 * agents leave their table first (at most BOT_STOP_GRACE_S).
 */
void bot_run_stop(struct bot_run *r, const char *why);

/*
 * bot_pool_take — a slot of pool id for agent a, true at once if one is
 * free (or was kept for a); otherwise a queues and step runs again when a
 * slot is its turn (it then holds the slot).
 */
bool bot_pool_take(struct bot_agent *a, enum bot_pool_id id, void (*step)(struct bot_agent *));

/* bot_pool_give — a gives back its slot of pool id (nothing if it holds none). */
void bot_pool_give(struct bot_agent *a, enum bot_pool_id id);

/*
 * bot_pool_refill — called every tick: a pool with a rate earns the starts
 * due since the last call (at most a tenth of a second's worth saved up)
 * and hands them to waiting agents.
 */
void bot_pool_refill(struct bot_run *r, enum bot_pool_id id, int64_t now);

/* bot_run_keys_append — record a newly registered agent in the --keys file. */
void bot_run_keys_append(struct bot_run *r, const struct bot_agent *a);

/* bot_conn_protocol — the WebSocket protocol entry for the context ("felt-bot-ws"). */
extern const struct lws_protocols bot_conn_protocol;

/*
 * bot_conn_open — open agent a's WebSocket: moltpoker to join.ws_url with
 * ?token=...&format=agent, openpoker to <base>/ws with the bearer key.
 * Failures arrive as bot_agent_ws_closed.
 */
void bot_conn_open(struct bot_agent *a);

/* bot_conn_send — queue text (len bytes) on a's socket; action marks an action
 * (its latency clock starts when written).  Returns 0, -1 if the queue is full. */
int bot_conn_send(struct bot_agent *a, const char *text, size_t len, bool action);

/* bot_conn_close — close a's socket (normal closure) if open. */
void bot_conn_close(struct bot_agent *a);

/* bot_conn_free — release a's buffers (at exit, after the context is gone). */
void bot_conn_free(struct bot_agent *a);

#endif
