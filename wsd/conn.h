/*
 * conn.h — one client WebSocket connection.
 *
 * The server (server.c) owns the lws side: it assembles client messages
 * (bounded by FELT_WSD_MAX_MESSAGE), rate-limits them, and writes the
 * queued frames when the socket is writable.  Everyone else uses this
 * interface: a dialect queues frames with conn_send and ends a connection
 * with conn_close; the runtime attaches it to a table.
 *
 * Lifetime: a conn lives from the WebSocket handshake until the socket is
 * closed and nothing refers to it any more.  Asynchronous work that will
 * call back with a conn (a database lookup) holds a reference
 * (conn_ref/conn_unref) and checks conn_open() when it completes: the client
 * may have gone meanwhile.
 */
#ifndef FELT_WSD_CONN_H
#define FELT_WSD_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "loop.h"

struct lws;
struct server;
struct table;
struct codec;

#define CONN_ID_MAX 37 /* a uuid and its NUL */
#define CONN_RATE_MAX 64 /* the largest codec.rate_per_s */

struct conn_frame {
	struct conn_frame *next;
	size_t len;
	unsigned char buf[]; /* LWS_PRE bytes of room, then len bytes */
};

struct conn {
	uint64_t id;                 /* for logs */
	struct lws *wsi;             /* NULL once the socket is closed */
	struct server *srv;
	const struct codec *codec;
	int refs;                    /* the socket's own reference included */

	/* What the dialect and the runtime know about it. */
	int format;                  /* the dialect's choice (MoltPoker: agent/envelope) */
	void *codec_data;            /* the dialect's, freed by codec->closed */
	bool authenticated;
	char agent_id[CONN_ID_MAX];
	char table_id[CONN_ID_MAX];
	int seat;                    /* seat it plays, -1 for an observer */
	struct table *table;         /* attached to (runtime's) */
	struct conn *vprev, *vnext;  /* the table's list of viewers */
	struct conn *all_prev, *all_next; /* the server's list */

	/* Incoming message being assembled. */
	char *rx;
	size_t rx_len, rx_cap;
	bool rx_paused;

	/* Outgoing frames, oldest first. */
	struct conn_frame *head, *tail;
	size_t queued;

	/* Liveness (server.c's sweep): when the client last sent anything, a
	 * pong included, and whether a ping is due or sent since. */
	int64_t heard_ms;
	bool ping_due;
	bool ping_sent;

	/* Rate limit: a token bucket, in thousandths of a message; or, for a
	 * dialect with its own rate (codec.rate_per_s), when its last
	 * rate_per_s messages were let through (a ring, 0: none yet).
	 * floods: messages refused (in a row, for a sliding window). */
	int64_t tokens;
	int64_t refilled_ms;
	int64_t passed_ms[CONN_RATE_MAX];
	int passed_next;
	int floods;

	/* Closing: send what is queued, then close with this.  The close
	 * waits a moment first (linger), reading and dropping what the client
	 * still sends: closing a socket with unread input makes the kernel
	 * reset the connection, and the client would lose the frames queued
	 * before the close. */
	bool closing;
	bool lingered;
	int close_code;
	char close_reason[64];
	struct loop_timer linger;
};

/*
 * conn_send — queue one text frame (copied).  Returns 0, or -1 when the
 * connection is closing or its queue is over FELT_WSD_MAX_QUEUE (it is then
 * closed: a client that does not read is dropped, never waited for).
 */
int conn_send(struct conn *c, const char *text, size_t len);

/*
 * conn_close — close the connection with a WebSocket close code and a
 * reason (at most 63 bytes kept) once the frames already queued are sent.
 * Later conn_send calls are refused.  Idempotent: the first close wins.
 */
void conn_close(struct conn *c, int code, const char *reason);

/* conn_open — the socket is still there and not closing. */
bool conn_open(const struct conn *c);

/* conn_ref / conn_unref — keep c allocated across asynchronous work. */
void conn_ref(struct conn *c);
void conn_unref(struct conn *c);

/* conn_pause — stop (true) or resume (false) reading client messages. */
void conn_pause(struct conn *c, bool paused);

/*
 * conn_query_arg — the value of query argument name (e.g. "token") into buf
 * (len bytes, NUL-terminated), or NULL when absent or too long.  Only
 * during codec.open (the request headers are gone afterwards).
 */
const char *conn_query_arg(struct conn *c, const char *name, char *buf, size_t len);

/*
 * conn_authorization — the request's Authorization header into buf (len
 * bytes, NUL-terminated), or NULL when absent or too long.  Only during
 * codec.open, like conn_query_arg.
 */
const char *conn_authorization(struct conn *c, char *buf, size_t len);

#endif
